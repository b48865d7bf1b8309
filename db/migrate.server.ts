// Brings the database to the newest migration; used by the server at start, the scripts and the tests.
import { Migrator, sql } from "kysely";
import { isPostgres, type Db } from "./index.server";
import { migrationProvider } from "./migrations";

async function migratorOf(db: Db): Promise<Migrator> {
  // On PostgreSQL the migration tables are named with the connection's current schema: Kysely otherwise
  // looks for them in every schema, and a `kysely_migration_lock` left in another schema of the same
  // database (another deployment, an interrupted test run) would make it skip creating ours.
  const migrationTableSchema = isPostgres(db)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  return new Migrator({ db, provider: migrationProvider, migrationTableSchema });
}

/** Brings the database to the named migration, up or down (tests of a migration's data carry-over). */
export async function migrateTo(db: Db, name: string): Promise<void> {
  const { error } = await (await migratorOf(db)).migrateTo(name);
  if (error) throw error;
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = await migratorOf(db);
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}
