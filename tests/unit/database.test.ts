import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb, withStatementCache, withoutWaitingForDisk, type DbOrTx } from "../../db/index.server";
import { createTestDatabase, databaseKinds } from "../support/databases";

describe("SQLite statement cache", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it("prepares a query once and binds it afresh on every run", () => {
    const sqlite = new SQLite(":memory:");
    const cached = withStatementCache(sqlite, 2);
    cached.prepare("create table t (n integer)").run([]);
    const insert = cached.prepare("insert into t (n) values (?)");
    expect(cached.prepare("insert into t (n) values (?)")).toBe(insert);
    insert.run([1]);
    cached.prepare("insert into t (n) values (?)").run([2]);
    expect(cached.prepare("select n from t where n = ?").all([2])).toEqual([{ n: 2 }]);
    expect(cached.prepare("select n from t where n = ?").all([1])).toEqual([{ n: 1 }]);
    cached.close();
  });

  it("forgets the least recently used statement when full", () => {
    const sqlite = new SQLite(":memory:");
    const cached = withStatementCache(sqlite, 2);
    const one = cached.prepare("select 1");
    const two = cached.prepare("select 2");
    expect(cached.prepare("select 1")).toBe(one); // now «select 2» is the oldest
    cached.prepare("select 3");
    expect(cached.prepare("select 1")).toBe(one);
    expect(cached.prepare("select 2")).not.toBe(two);
    cached.close();
  });

  it("keeps Kysely's queries right through the cache, in and out of transactions and after a failure", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-stmt-"));
    dirs.push(dir);
    const { db, close } = createDb(path.join(dir, "db.sqlite"));
    await sql`create table items (id integer primary key, name text not null unique)`.execute(db);
    for (const name of ["а", "б", "в"]) await sql`insert into items (name) values (${name})`.execute(db);
    await expect(sql`insert into items (name) values (${"а"})`.execute(db)).rejects.toThrow(/UNIQUE/);
    await db.transaction().execute(async (trx) => {
      await sql`insert into items (name) values (${"г"})`.execute(trx);
    });
    const rows = await sql<{ name: string }>`select name from items where id > ${1} order by id`.execute(db);
    expect(rows.rows.map((r) => r.name)).toEqual(["б", "в", "г"]);
    const first = await sql<{ name: string }>`select name from items where id > ${0} order by id`.execute(db);
    expect(first.rows).toHaveLength(4);
    await close();
  });
});

describe.each(databaseKinds)("withoutWaitingForDisk on %s", (kind) => {
  it("commits the write (on PostgreSQL through connections that do not wait for the disk; the others still do)", async () => {
    const database = await createTestDatabase(kind);
    try {
      const db = database.handle.db;
      const setting = async (w: DbOrTx) =>
        kind === "postgres"
          ? (await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(w)).rows[0].synchronous_commit
          : "n/a";
      const inside = await withoutWaitingForDisk(db, async (w) => {
        await w
          .insertInto("rate_limit_hits")
          .values({ bucket: "test:disk", at: "2026-11-23T09:00:00.000Z", hits: 1 })
          .execute();
        return setting(w);
      });
      expect(inside).toBe(kind === "postgres" ? "off" : "n/a");
      expect(await setting(db)).toBe(kind === "postgres" ? "on" : "n/a");
      const rows = await db.selectFrom("rate_limit_hits").select("bucket").where("bucket", "=", "test:disk").execute();
      expect(rows).toHaveLength(1);
    } finally {
      await database.dispose();
    }
  });
});

describe.skipIf(!databaseKinds.includes("postgres"))("withoutWaitingForDisk from another copy of the module", () => {
  it("finds the relaxed connections of a database made by the other copy (the server build bundles its own)", async () => {
    const database = await createTestDatabase("postgres");
    try {
      vi.resetModules();
      const copy = (await import("../../db/index.server")) as typeof import("../../db/index.server");
      expect(copy.withoutWaitingForDisk).not.toBe(withoutWaitingForDisk);
      const seen = await copy.withoutWaitingForDisk(database.handle.db, async (w) => ({
        // Not the fallback (a transaction with SET LOCAL): a connection whose every commit skips the sync.
        transaction: w.isTransaction,
        setting: (await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(w)).rows[0]
          .synchronous_commit,
      }));
      expect(seen).toEqual({ transaction: false, setting: "off" });
    } finally {
      await database.dispose();
    }
  });
});

describe.skipIf(!databaseKinds.includes("postgres"))("PostgreSQL prepared statements", () => {
  it("prepares a statement of fixed shape once per connection, and never a name search or an IN list", async () => {
    const database = await createTestDatabase("postgres");
    try {
      const db = database.handle.db;
      const prepared = await db.transaction().execute(async (trx) => {
        // One connection for the whole transaction: what it ran is what it holds prepared.
        for (const regnum of ["7700000001", "7700000002"])
          await trx.selectFrom("organizations").select("id").where("regnum", "=", regnum).execute();
        await trx.selectFrom("organizations").select("id").where("search_name", "like", "%ромашк%").execute();
        await trx.selectFrom("organizations").select("id").where("id", "in", [1, 2, 3]).execute();
        const rows = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(trx);
        return rows.rows.map((r) => r.statement);
      });
      expect(prepared.filter((s) => s.includes('"regnum" = $1'))).toHaveLength(1);
      expect(prepared.some((s) => /like/i.test(s))).toBe(false);
      expect(prepared.some((s) => /\bin \(/i.test(s))).toBe(false);
    } finally {
      await database.dispose();
    }
  });
});
