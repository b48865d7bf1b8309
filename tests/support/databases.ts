// The databases a database-touching test runs on: always a fresh SQLite file; PostgreSQL too when
// TEST_DATABASE_URL is set, each test file in a schema of its own that is dropped afterwards.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type DbHandle } from "../../db/index.server";
import { migrateToLatest } from "../../db/migrate.server";

export interface TestDatabase {
  url: string;
  handle: DbHandle;
  dispose(): Promise<void>;
}

export type DatabaseKindName = "sqlite" | "postgres";

export const databaseKinds: DatabaseKindName[] = process.env.TEST_DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];

export function tempDir(prefix = "sedo-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function createTestDatabase(kind: DatabaseKindName, migrate = true): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = tempDir();
    const url = path.join(dir, "portal.sqlite");
    const handle = createDb(url);
    if (migrate) await migrateToLatest(handle.db);
    return {
      url,
      handle,
      dispose: async () => {
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const schema = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const sep = base.includes("?") ? "&" : "?";
  const url = `${base}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const handle = createDb(url);
  if (migrate) await migrateToLatest(handle.db);
  return {
    url,
    handle,
    dispose: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}
