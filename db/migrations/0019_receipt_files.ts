// Receipt PDFs move from report_receipts to files under UPLOADS_DIR (receipts/<id / 1000>/<id>.pdf, see
// app/web/stored-files.server.ts): a 50 KB row per acceptance was the intake's costliest statement on both
// databases. The table was a cache of what a submission's row always gives again, so it is dropped; a receipt
// asked for (or mailed) after the upgrade is made once more from its row and kept as a file.
import type { Kysely } from "kysely";
import { isPostgres } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("report_receipts").ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("report_receipts")
    .addColumn("submission_id", "integer", (c) =>
      c.primaryKey().references("report_submissions.id").onDelete("cascade"),
    )
    .addColumn("content", isPostgres(db) ? "bytea" : "blob", (c) => c.notNull())
    .addColumn("created_at", "varchar(40)", (c) => c.notNull())
    .execute();
}
