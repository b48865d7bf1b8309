// The representative's list sorts and filters their proxies by the organisation's name, ИНН and registration
// number. Joined to a registry of a million organisations, that took one index probe per proxy — 5 000 probes,
// 20–45 ms on PostgreSQL for every page of the list. Each proxy now carries a copy of the three (as it already
// carries the office), so the list is sorted and filtered on the proxies alone and only its page of 50 rows is
// joined. The database keeps the copy: a trigger fills it when a proxy is added and another refreshes it when
// the registry changes an organisation's name or numbers, whichever code path writes them.
import { sql, type Kysely } from "kysely";
import { isPostgres } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("proxies")
    .addColumn("organization_search_name", "varchar(1500)", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("proxies")
    .addColumn("organization_inn", "varchar(12)", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("proxies")
    .addColumn("organization_regnum", "varchar(10)", (c) => c.notNull().defaultTo(""))
    .execute();
  await sql`UPDATE proxies SET
      organization_search_name = (SELECT search_name FROM organizations o WHERE o.id = proxies.organization_id),
      organization_inn = (SELECT inn FROM organizations o WHERE o.id = proxies.organization_id),
      organization_regnum = (SELECT regnum FROM organizations o WHERE o.id = proxies.organization_id)`.execute(db);
  // The registry's changes reach the proxies of that organisation through this index.
  await db.schema.createIndex("proxies_organization_idx").on("proxies").column("organization_id").execute();

  if (isPostgres(db)) {
    await sql`CREATE FUNCTION proxies_copy_organization() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT o.search_name, o.inn, o.regnum INTO NEW.organization_search_name, NEW.organization_inn, NEW.organization_regnum
          FROM organizations o WHERE o.id = NEW.organization_id;
        RETURN NEW;
      END $$`.execute(db);
    await sql`CREATE TRIGGER proxies_copy_organization BEFORE INSERT ON proxies
      FOR EACH ROW EXECUTE FUNCTION proxies_copy_organization()`.execute(db);
    await sql`CREATE FUNCTION organizations_refresh_proxies() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE proxies SET organization_search_name = NEW.search_name, organization_inn = NEW.inn,
            organization_regnum = NEW.regnum
          WHERE organization_id = NEW.id;
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE TRIGGER organizations_refresh_proxies AFTER UPDATE OF search_name, inn, regnum ON organizations
      FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name OR OLD.inn IS DISTINCT FROM NEW.inn
        OR OLD.regnum IS DISTINCT FROM NEW.regnum)
      EXECUTE FUNCTION organizations_refresh_proxies()`.execute(db);
  } else {
    await sql`CREATE TRIGGER proxies_copy_organization AFTER INSERT ON proxies BEGIN
        UPDATE proxies SET
          organization_search_name = (SELECT search_name FROM organizations WHERE id = NEW.organization_id),
          organization_inn = (SELECT inn FROM organizations WHERE id = NEW.organization_id),
          organization_regnum = (SELECT regnum FROM organizations WHERE id = NEW.organization_id)
        WHERE id = NEW.id;
      END`.execute(db);
    await sql`CREATE TRIGGER organizations_refresh_proxies AFTER UPDATE OF search_name, inn, regnum ON organizations
      WHEN OLD.search_name IS NOT NEW.search_name OR OLD.inn IS NOT NEW.inn OR OLD.regnum IS NOT NEW.regnum BEGIN
        UPDATE proxies SET organization_search_name = NEW.search_name, organization_inn = NEW.inn,
            organization_regnum = NEW.regnum
          WHERE organization_id = NEW.id;
      END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS organizations_refresh_proxies ON organizations`.execute(db);
    await sql`DROP TRIGGER IF EXISTS proxies_copy_organization ON proxies`.execute(db);
    await sql`DROP FUNCTION IF EXISTS organizations_refresh_proxies()`.execute(db);
    await sql`DROP FUNCTION IF EXISTS proxies_copy_organization()`.execute(db);
  } else {
    await sql`DROP TRIGGER IF EXISTS organizations_refresh_proxies`.execute(db);
    await sql`DROP TRIGGER IF EXISTS proxies_copy_organization`.execute(db);
  }
  await db.schema.dropIndex("proxies_organization_idx").ifExists().execute();
  for (const column of ["organization_regnum", "organization_inn", "organization_search_name"])
    await db.schema.alterTable("proxies").dropColumn(column).execute();
}
