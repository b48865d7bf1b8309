// `npm run migrate`: brings the database of DATABASE_URL to the newest migration.
import { loadConfig } from "../app/config.server";
import { createDb } from "../db/index.server";
import { migrateToLatest } from "../db/migrate.server";

const config = loadConfig();
const database = createDb(config.databaseUrl);
await migrateToLatest(database.db);
await database.close();
console.log(`Database ${config.databaseKind} is up to date.`);
