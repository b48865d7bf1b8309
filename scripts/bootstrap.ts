// What every CLI script starts with: the settings (a bad one exits 2 with its name) and a migrated
// database with the regional offices present.
import { ConfigError, loadConfig, type Config } from "../app/config.server";
import { createDb, type DbHandle } from "../db/index.server";
import { migrateToLatest } from "../db/migrate.server";
import { seedTerritorialBodies } from "../db/seed/registry.server";

export async function openForScript(): Promise<{ config: Config; database: DbHandle }> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  }
  const database = createDb(config.databaseUrl);
  await migrateToLatest(database.db);
  await seedTerritorialBodies(database.db);
  return { config, database };
}
