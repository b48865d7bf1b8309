// Files attached to outgoing letters (the receipt PDF), kept with the letter so a retry sends the same bytes.
import type { Kysely } from "kysely";
import { idColumn, isPostgres } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  await idColumn(db, db.schema.createTable("outbox_attachments"))
    .addColumn("outbox_id", "integer", (c) => c.notNull().references("outbox.id").onDelete("cascade"))
    .addColumn("filename", "varchar(200)", (c) => c.notNull())
    .addColumn("content_type", "varchar(100)", (c) => c.notNull())
    .addColumn("content", isPostgres(db) ? "bytea" : "blob", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("outbox_attachments_outbox_idx").on("outbox_attachments").column("outbox_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("outbox_attachments").ifExists().execute();
}
