// Qualified certificates of representatives: DER kept in the database, thumbprints unique.
import type { Kysely } from "kysely";
import { idColumn, isPostgres } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  await idColumn(db, db.schema.createTable("certificates"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("sha1", "varchar(40)", (c) => c.notNull().unique())
    .addColumn("sha256", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("serial", "varchar(128)", (c) => c.notNull())
    .addColumn("issuer", "varchar(1000)", (c) => c.notNull())
    .addColumn("issuer_cn", "varchar(500)")
    .addColumn("holder_surname", "varchar(200)", (c) => c.notNull())
    .addColumn("holder_given_name", "varchar(200)", (c) => c.notNull())
    .addColumn("holder_patronymic", "varchar(200)", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("snils", "varchar(20)")
    .addColumn("inn", "varchar(20)")
    .addColumn("not_before", "varchar(30)", (c) => c.notNull())
    .addColumn("not_after", "varchar(30)", (c) => c.notNull())
    .addColumn("algorithm", "varchar(20)", (c) => c.notNull())
    .addColumn("der", isPostgres(db) ? "bytea" : "blob", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("uploaded_at", "varchar(30)", (c) => c.notNull())
    .addColumn("replaced_at", "varchar(30)")
    .addColumn("reminded_30_at", "varchar(30)")
    .addColumn("reminded_7_at", "varchar(30)")
    .execute();
  await db.schema.createIndex("certificates_user_idx").on("certificates").columns(["user_id", "status"]).execute();
  await db.schema.createIndex("certificates_expiry_idx").on("certificates").columns(["status", "not_after"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("certificates").ifExists().execute();
}
