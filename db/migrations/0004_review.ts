// The operators' side: the office of each proxy kept on the row (the queue's index), POA expiry
// reminder stamps, and one SLA digest per office and working day.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("proxies").addColumn("office_code", "varchar(4)").execute();
  await sql`UPDATE proxies SET office_code = (SELECT territorial_body_code FROM organizations WHERE organizations.id = proxies.organization_id)`.execute(
    db,
  );
  await db.schema.alterTable("proxies").addColumn("expiry_reminded_30_at", "varchar(30)").execute();
  await db.schema.alterTable("proxies").addColumn("expiry_reminded_7_at", "varchar(30)").execute();
  await db.schema
    .createIndex("proxies_office_queue_idx")
    .on("proxies")
    .columns(["office_code", "status", "sla_due_at"])
    .execute();
  await db.schema
    .createIndex("proxies_office_decided_idx")
    .on("proxies")
    .columns(["office_code", "decided_at"])
    .execute();
  await db.schema.createIndex("proxies_expiry_idx").on("proxies").columns(["status", "valid_to"]).execute();
  await db.schema
    .createTable("sla_digests")
    .addColumn("office_code", "varchar(4)", (c) => c.notNull())
    .addColumn("digest_date", "varchar(10)", (c) => c.notNull())
    .addColumn("sent_at", "varchar(30)", (c) => c.notNull())
    .addPrimaryKeyConstraint("sla_digests_pk", ["office_code", "digest_date"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("sla_digests").ifExists().execute();
  await db.schema.dropIndex("proxies_expiry_idx").ifExists().execute();
  await db.schema.dropIndex("proxies_office_decided_idx").ifExists().execute();
  await db.schema.dropIndex("proxies_office_queue_idx").ifExists().execute();
}
