// Production-calendar years loaded with `npm run calendar:import`: the federal year (region null) or a subject's
// own days off (region = the branch code), who loaded it and when. They override the data shipped with the code.
import type { Kysely } from "kysely";
import { idColumn } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  await idColumn(db, db.schema.createTable("calendar_years"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("region", "varchar(4)")
    .addColumn("non_working", "text", (c) => c.notNull())
    .addColumn("working_weekends", "text", (c) => c.notNull())
    .addColumn("draft", "integer", (c) => c.notNull())
    .addColumn("source", "varchar(1000)", (c) => c.notNull())
    .addColumn("loaded_by", "varchar(200)", (c) => c.notNull())
    .addColumn("loaded_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("calendar_years_idx").on("calendar_years").columns(["year", "region", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("calendar_years").ifExists().execute();
}
