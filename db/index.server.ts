// createDb(url): the one way to reach the database. A file path means SQLite (WAL mode),
// postgres://… means PostgreSQL through a pool.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Transaction } from "kysely";
import type { Database } from "./schema";
import { databaseKindOf, type DatabaseKind } from "../app/config.server";

export type Db = Kysely<Database>;
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export interface DbHandle {
  db: Db;
  kind: DatabaseKind;
  close(): Promise<void>;
}

// PostgreSQL returns BIGINT (count(*)) as a string by default; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function createDb(url: string): DbHandle {
  const kind = databaseKindOf(url);
  if (kind === "postgres") {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind, close: () => db.destroy() };
  }
  const file = path.resolve(url.replace(/^(sqlite|file):(\/\/)?/, ""));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // A registry of a million organisations is ~300 MB: a 64 MB page cache and memory-mapped reads
  // keep random lookups (joins by id) off the disk.
  sqlite.pragma("cache_size = -65536");
  sqlite.pragma("mmap_size = 268435456");
  // SQLite's lower() folds ASCII only; a Unicode-aware one makes `lower(…) LIKE …` behave as on PostgreSQL.
  sqlite.function("lower", { deterministic: true }, (value: unknown) =>
    typeof value === "string" ? value.toLocaleLowerCase("ru-RU") : value,
  );
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, kind, close: () => db.destroy() };
}

/** How many prepared statements the SQLite connection keeps (the portal's queries are far fewer; IN lists vary). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely sees it, with its prepared statements kept by SQL text: Kysely prepares every query
 * anew, and compiling the SQL was a third of the time SQLite spent per accepted report. A statement is bound
 * afresh on each run, and Kysely's single connection runs one query at a time (a stream holds the connection
 * until it ends), so a kept statement is never in use twice. Least recently used go first.
 */
export function withStatementCache(sqlite: SQLite.Database, size = STATEMENT_CACHE_SIZE) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SQLite.Statement {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (statements.size >= size) statements.delete(statements.keys().next().value as string);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

/**
 * A write whose loss in a crash costs nothing — a cache of what can be made again (a receipt's PDF), a counter of
 * recent requests: on PostgreSQL its commit does not wait for the disk (synchronous_commit off for that
 * transaction only; what it writes is never half there, only the last moments before a crash may be missing).
 * Everything else keeps waiting for the disk. SQLite (WAL, synchronous NORMAL) already commits without a sync.
 */
export async function withoutWaitingForDisk<T>(db: DbOrTx, work: (db: DbOrTx) => Promise<T>): Promise<T> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return work(db);
  if (db.isTransaction) return work(db); // the surrounding transaction decides
  return (db as Db).transaction().execute(async (trx) => {
    await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    return work(trx);
  });
}

/** True when a database error is a unique-constraint violation, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: string };
  return e.code === "23505" || e.code === "SQLITE_CONSTRAINT_UNIQUE" || e.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
