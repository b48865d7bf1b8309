// PostgreSQL name search at a million organisations: the GIN trigram index finds a rare part of a name at once, but
// for a common one («ромашк», «ович») it must gather every match into a bitmap first — 13–30 ms before the first
// row. A GiST trigram index can be walked in order and stopped at the thousandth hit (2 ms). It is built on
// lower(search_name) (search_name is already lower-case), so that a query chooses its index by how it is written:
// the plain column for rare parts (GIN), the expression for common ones (GiST, see registry.server.ts). A finer
// histogram of search_name tells the two apart. SQLite (FTS5 trigram) needs neither.
import { sql, type Kysely } from "kysely";
import { isPostgres } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`CREATE INDEX organizations_search_gist ON organizations USING gist (lower(search_name) public.gist_trgm_ops(siglen = 64))`.execute(
    db,
  );
  await sql`ALTER TABLE organizations ALTER COLUMN search_name SET STATISTICS 1000`.execute(db);
  await sql`ANALYZE organizations`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`DROP INDEX IF EXISTS organizations_search_gist`.execute(db);
  await sql`ALTER TABLE organizations ALTER COLUMN search_name SET STATISTICS -1`.execute(db);
}
