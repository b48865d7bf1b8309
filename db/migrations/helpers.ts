// Small helpers so one migration serves both SQLite and PostgreSQL.
import type { CreateTableBuilder, Kysely } from "kysely";
import { isPostgres } from "../index.server";

export { isPostgres };

/** An auto-incrementing integer primary key: SERIAL on PostgreSQL, INTEGER AUTOINCREMENT on SQLite. */
export function idColumn<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn("id", "serial", (c) => c.primaryKey())
    : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}
