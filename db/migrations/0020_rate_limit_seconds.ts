// Rate limits count hits per second: one row per bucket and second with its number of hits, instead of one row
// per hit. Counting a window read every hit in it — 6 000 index entries for an accounting program sending 100
// reports a second, 0.4 ms of each request — and now reads at most one row per second of the window. The
// hits recorded so far are carried over, summed by second.
import { sql, type Kysely } from "kysely";
import { idColumn } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rate_limit_seconds")
    .addColumn("bucket", "varchar(300)", (c) => c.notNull())
    .addColumn("at", "varchar(30)", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("rate_limit_seconds_pkey", ["bucket", "at"])
    .execute();
  await sql`INSERT INTO rate_limit_seconds (bucket, at, hits)
    SELECT bucket, substr(at, 1, 19) || '.000Z', count(*) FROM rate_limit_hits GROUP BY bucket, substr(at, 1, 19)`.execute(
    db,
  );
  await db.schema.dropTable("rate_limit_hits").execute();
  await db.schema.alterTable("rate_limit_seconds").renameTo("rate_limit_hits").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await idColumn(db, db.schema.createTable("rate_limit_hits_each"))
    .addColumn("bucket", "varchar(300)", (c) => c.notNull())
    .addColumn("at", "varchar(30)", (c) => c.notNull())
    .execute();
  await sql`INSERT INTO rate_limit_hits_each (bucket, at) SELECT bucket, at FROM rate_limit_hits`.execute(db);
  await db.schema.dropTable("rate_limit_hits").execute();
  await db.schema.alterTable("rate_limit_hits_each").renameTo("rate_limit_hits").execute();
  await db.schema.createIndex("rate_limit_hits_idx").on("rate_limit_hits").columns(["bucket", "at"]).execute();
}
