// createDb(url): the one way to reach the database. A file path means SQLite (WAL mode),
// postgres://… means PostgreSQL through a pool.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Transaction } from "kysely";
import type { Database } from "./schema";
import { databaseKindOf, type DatabaseKind } from "../app/config.server";
import { processWide } from "../app/process-wide";

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
    pool.on("connect", (client) => preparingStatements(client));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    // Two connections whose commits do not wait for the disk, for withoutWaitingForDisk: a setting of the
    // connection, so such a write is one statement, not BEGIN, SET LOCAL, the write and COMMIT.
    const relaxedPool = new pg.Pool({ connectionString: withOption(url, "-c synchronous_commit=off"), max: 2 });
    relaxedPool.on("connect", (client) => preparingStatements(client));
    const relaxed = new Kysely<Database>({ dialect: new PostgresDialect({ pool: relaxedPool }) });
    notWaitingForDisk.set(db, relaxed);
    return {
      db,
      kind,
      close: async () => {
        await relaxed.destroy();
        await db.destroy();
      },
    };
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
 * Of a PostgreSQL database made by createDb: the same database through connections that commit without a sync.
 * One map for the process (processWide): the database is made by server.ts's copy of this module, and the Remix
 * build's copy must find it (with a map of each copy's own, every rate-limit hit of the routes was BEGIN, SET
 * LOCAL, the write and COMMIT).
 */
const notWaitingForDisk = processWide("notWaitingForDisk", () => new WeakMap<Db, Db>());

/** The connection URL with one more server setting in its `options` (kept with those it has, e.g. search_path). */
function withOption(url: string, option: string): string {
  const u = new URL(url);
  u.searchParams.set("options", [u.searchParams.get("options"), option].filter(Boolean).join(" "));
  return u.toString();
}

/** How many statements a PostgreSQL connection keeps prepared at most (the portal's fixed queries are far fewer). */
const PREPARED_STATEMENTS_MAX = 1000;
const statementNames = new Map<string, string>();

/**
 * Whether a statement is kept prepared on PostgreSQL: one of fixed shape whose best plan does not depend on its
 * values. Not a name search (LIKE and trigram similarity: whether the trigram index or a scan is better depends
 * on the words searched for, and a prepared statement may settle on one plan for all) nor an IN list (as many
 * texts as list lengths).
 */
function keptPrepared(text: string): boolean {
  return !/\b(i?like|similarity|word_similarity)\b|%>|<%|\bin \(/i.test(text);
}

/**
 * Makes a PostgreSQL connection prepare each statement once and run it by name afterwards. Kysely sends every
 * query unnamed, so PostgreSQL parsed and planned it anew each time: planning alone took 0.2–0.9 ms of the
 * server's CPU per statement (the intake's proxy lookup: 0.65 ms to plan, 0.16 ms to run), more than running
 * them. A prepared statement is planned for its values the first five times, and then keeps a plan for all
 * values only when that plan is no costlier (PostgreSQL's plan_cache_mode auto); schema changes re-plan it.
 */
function preparingStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    if (typeof text !== "string" || !Array.isArray(values) || values.length === 0 || rest.length > 0)
      return query(text, values, ...rest);
    let name = statementNames.get(text);
    if (name === undefined && statementNames.size < PREPARED_STATEMENTS_MAX && keptPrepared(text)) {
      name = `s${statementNames.size + 1}`;
      statementNames.set(text, name);
    }
    return name === undefined ? query(text, values) : query({ name, text, values });
  };
}

/**
 * A write whose loss in a crash costs nothing — a counter of recent requests, a cache of what can be made again:
 * on PostgreSQL its commit does not wait for the disk (it goes through the database's connections with
 * synchronous_commit off, or a transaction with it off locally for a database not made by createDb; what it writes
 * is never half there, only the last moments before a crash may be missing). Everything else keeps waiting for
 * the disk. SQLite (WAL, synchronous NORMAL) already commits without a sync.
 */
export async function withoutWaitingForDisk<T>(db: DbOrTx, work: (db: DbOrTx) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return work(db);
  if (db.isTransaction) return work(db); // the surrounding transaction decides
  const relaxed = notWaitingForDisk.get(db as Db);
  if (relaxed) return work(relaxed);
  return (db as Db).transaction().execute(async (trx) => {
    await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    return work(trx);
  });
}

/** Whether the database (or transaction) is PostgreSQL's, for SQL only it runs (migrations, INSERT inside WITH). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** True when a database error is a unique-constraint violation, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: string };
  return e.code === "23505" || e.code === "SQLITE_CONSTRAINT_UNIQUE" || e.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
