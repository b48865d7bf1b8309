// The registry (territorial offices, organisations with a trigram name index on either database),
// represented organisations (proxies) and stored files.
import { sql, type Kysely } from "kysely";
import { idColumn, isPostgres } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable("territorial_bodies")
    .addColumn("code", "varchar(4)", (c) => c.primaryKey())
    .addColumn("name", "varchar(300)", (c) => c.notNull())
    .addColumn("region", "varchar(200)", (c) => c.notNull())
    .addColumn("email", "varchar(254)", (c) => c.notNull())
    .addColumn("time_zone", "varchar(60)", (c) => c.notNull().defaultTo("Europe/Moscow"))
    .execute();

  await idColumn(db, db.schema.createTable("organizations"))
    .addColumn("regnum", "varchar(10)", (c) => c.notNull().unique())
    .addColumn("inn", "varchar(12)", (c) => c.notNull())
    .addColumn("kpp", "varchar(9)")
    .addColumn("ogrn", "varchar(15)", (c) => c.notNull())
    .addColumn("full_name", "varchar(1000)", (c) => c.notNull())
    .addColumn("short_name", "varchar(500)", (c) => c.notNull())
    .addColumn("kind", "varchar(10)", (c) => c.notNull())
    .addColumn("territorial_body_code", "varchar(4)", (c) => c.notNull().references("territorial_bodies.code"))
    .addColumn("address", "varchar(1000)", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("search_name", "varchar(1500)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("organizations_inn_idx").on("organizations").column("inn").execute();
  await db.schema.createIndex("organizations_ogrn_idx").on("organizations").column("ogrn").execute();
  await db.schema.createIndex("organizations_office_idx").on("organizations").column("territorial_body_code").execute();

  if (pg) {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`.execute(db);
    await sql`CREATE INDEX organizations_search_trgm ON organizations USING gin (search_name public.gin_trgm_ops)`.execute(
      db,
    );
  } else {
    await sql`CREATE VIRTUAL TABLE organizations_fts USING fts5(search_name, content='organizations', content_rowid='id', tokenize='trigram')`.execute(
      db,
    );
    await sql`CREATE TRIGGER organizations_fts_insert AFTER INSERT ON organizations BEGIN
      INSERT INTO organizations_fts(rowid, search_name) VALUES (new.id, new.search_name); END`.execute(db);
    await sql`CREATE TRIGGER organizations_fts_delete AFTER DELETE ON organizations BEGIN
      INSERT INTO organizations_fts(organizations_fts, rowid, search_name) VALUES ('delete', old.id, old.search_name); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER organizations_fts_update AFTER UPDATE OF search_name ON organizations BEGIN
      INSERT INTO organizations_fts(organizations_fts, rowid, search_name) VALUES ('delete', old.id, old.search_name);
      INSERT INTO organizations_fts(rowid, search_name) VALUES (new.id, new.search_name); END`.execute(db);
  }

  await idColumn(db, db.schema.createTable("files"))
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("owner_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("sha256", "varchar(64)", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("pages", "integer")
    .addColumn("original_name", "varchar(300)", (c) => c.notNull())
    .addColumn("stored_path", "varchar(300)", (c) => c.notNull().unique())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();

  await idColumn(db, db.schema.createTable("proxies"))
    .addColumn("representative_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("valid_from", "varchar(10)")
    .addColumn("valid_to", "varchar(10)")
    .addColumn("poa_file_id", "integer", (c) => c.references("files.id"))
    .addColumn("submitted_at", "varchar(30)")
    .addColumn("sla_due_at", "varchar(30)")
    .addColumn("decided_at", "varchar(30)")
    .addColumn("decided_by", "integer", (c) => c.references("users.id"))
    .addColumn("rejection_reason", "varchar(2000)")
    .addColumn("paper_copy_received_at", "varchar(30)")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("withdrawn_at", "varchar(30)")
    .execute();
  // One live proxy per representative and organisation; withdrawn ones stay for the record.
  await db.schema
    .createIndex("proxies_live_unique")
    .on("proxies")
    .columns(["representative_id", "organization_id"])
    .unique()
    .where(sql.ref("status"), "!=", "withdrawn")
    .execute();
  await db.schema
    .createIndex("proxies_representative_idx")
    .on("proxies")
    .columns(["representative_id", "status"])
    .execute();
  await db.schema.createIndex("proxies_review_idx").on("proxies").columns(["status", "sla_due_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("proxies").ifExists().execute();
  await db.schema.dropTable("files").ifExists().execute();
  if (!isPostgres(db)) await sql`DROP TABLE IF EXISTS organizations_fts`.execute(db);
  await db.schema.dropTable("organizations").ifExists().execute();
  await db.schema.dropTable("territorial_bodies").ifExists().execute();
}
