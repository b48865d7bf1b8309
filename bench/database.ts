// The database a benchmark runs on: a fresh SQLite file, or with BENCH_DATABASE_URL=postgres://… a fresh
// schema in that database, dropped afterwards (BENCH_KEEP_SCHEMA=1 keeps it, to read query plans in psql with
// `SET search_path = <schema>`).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type DbHandle } from "../db/index.server";

export async function openBenchDatabase(): Promise<{
  handle: DbHandle;
  url: string;
  label: string;
  cleanup: () => Promise<void>;
}> {
  const base = process.env.BENCH_DATABASE_URL;
  if (base) {
    const schema = `bench_${crypto.randomBytes(4).toString("hex")}`;
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.end();
    const url = `${base}${base.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const handle = createDb(url);
    return {
      handle,
      url,
      label: "PostgreSQL 15",
      cleanup: async () => {
        await handle.close();
        if (process.env.BENCH_KEEP_SCHEMA) {
          console.log(`(schema ${schema} kept)`);
          return;
        }
        const d = new pg.Client({ connectionString: base });
        await d.connect();
        await d.query(`DROP SCHEMA ${schema} CASCADE`);
        await d.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-bench-"));
  const url = path.join(dir, "bench.sqlite");
  const handle = createDb(url);
  return {
    handle,
    url,
    label: "SQLite (WAL)",
    cleanup: async () => (await handle.close(), fs.rmSync(dir, { recursive: true, force: true })),
  };
}
