// Receipts leave the request path: a receipt PDF is made once, after the acceptance is committed, and kept here;
// the letter that carries it names the submission and takes the stored PDF when it is sent.
import type { Kysely } from "kysely";
import { isPostgres } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("report_receipts")
    .addColumn("submission_id", "integer", (c) =>
      c.primaryKey().references("report_submissions.id").onDelete("cascade"),
    )
    .addColumn("content", isPostgres(db) ? "bytea" : "blob", (c) => c.notNull())
    .addColumn("created_at", "varchar(40)", (c) => c.notNull())
    .execute();
  // An attachment made when its letter is sent (kind and the row it is made of); its content column stays empty.
  await db.schema.alterTable("outbox_attachments").addColumn("generated", "varchar(40)").execute();
  await db.schema.alterTable("outbox_attachments").addColumn("generated_ref", "integer").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox_attachments").dropColumn("generated_ref").execute();
  await db.schema.alterTable("outbox_attachments").dropColumn("generated").execute();
  await db.schema.dropTable("report_receipts").ifExists().execute();
}
