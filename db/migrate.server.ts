// Brings the database to the newest migration; used by the server at start, the scripts and the tests.
import { Migrator } from "kysely";
import type { Db } from "./index.server";
import { migrationProvider } from "./migrations";

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}
