// Report submissions through the gateway: accepted ones with a receipt number and the stored file,
// refused ones with the reason.
import type { Kysely } from "kysely";
import { idColumn } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  await idColumn(db, db.schema.createTable("report_submissions"))
    .addColumn("representative_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("organization_id", "integer", (c) => c.references("organizations.id"))
    .addColumn("proxy_id", "integer", (c) => c.references("proxies.id"))
    .addColumn("regnum", "varchar(10)")
    .addColumn("period", "varchar(2)")
    .addColumn("year", "integer")
    .addColumn("status", "varchar(10)", (c) => c.notNull())
    .addColumn("reason", "varchar(1000)")
    .addColumn("receipt_number", "varchar(40)", (c) => c.unique())
    .addColumn("received_at", "varchar(30)", (c) => c.notNull())
    .addColumn("sha256", "varchar(64)", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("original_name", "varchar(300)", (c) => c.notNull())
    .addColumn("stored_path", "varchar(300)")
    .addColumn("via", "varchar(10)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("report_submissions_rep_idx")
    .on("report_submissions")
    .columns(["representative_id", "received_at"])
    .execute();
  await db.schema
    .createIndex("report_submissions_org_idx")
    .on("report_submissions")
    .columns(["organization_id", "received_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("report_submissions").ifExists().execute();
}
