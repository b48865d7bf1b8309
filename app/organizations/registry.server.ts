// The registry of insurers: search by identifiers and by any part of the name (SQLite FTS5 trigram or
// PostgreSQL pg_trgm behind one function), and the upsert used by the seed and the import.
import { CompiledQuery, sql, type Compilable } from "kysely";
import type { DatabaseKind } from "../config.server";
import type { Db, DbOrTx } from "../../db/index.server";
import type { OrganizationsTable } from "../../db/schema";
import {
  checkAnyRegistrationNumber,
  checkInn,
  checkKpp,
  checkOgrn,
  officeCodeOf,
  subdivisionCodeOf,
} from "./identifiers";
import { normaliseOrganizationName, searchNameOf } from "./names";

export const SEARCH_PAGE_SIZE = 20;
/** Counting stops here: «найдено более 1 000» is as useful as an exact count and far cheaper. */
export const SEARCH_COUNT_CAP = 1000;
export const MIN_NAME_QUERY = 3;

export interface SearchCriteria {
  regnum?: string;
  sfrRegnum?: string;
  inn?: string;
  kpp?: string;
  ogrn?: string;
  name?: string;
}

export type SearchValidation =
  { ok: true; criteria: SearchCriteria } | { ok: false; fieldErrors: Record<string, string> };

/** Checks every filled-in identifier before anything is searched; at least one field must be filled. */
export function validateSearch(raw: Record<string, string | undefined>): SearchValidation {
  const fieldErrors: Record<string, string> = {};
  const criteria: SearchCriteria = {};
  const regnum = raw.regnum?.trim();
  if (regnum) {
    const number = checkAnyRegistrationNumber(regnum);
    if (!number.ok) fieldErrors.regnum = number.message;
    else if (number.kind === "sfr") criteria.sfrRegnum = number.value;
    else criteria.regnum = number.value;
  }
  const checks = { inn: checkInn, kpp: checkKpp, ogrn: checkOgrn } as const;
  for (const [key, check] of Object.entries(checks) as Array<
    [keyof typeof checks, (s: string) => ReturnType<typeof checkInn>]
  >) {
    const value = raw[key]?.trim();
    if (!value) continue;
    const result = check(value);
    if (result.ok) criteria[key] = result.value;
    else fieldErrors[key] = result.message;
  }
  const name = raw.name?.trim();
  if (name) {
    const normalised = normaliseOrganizationName(name);
    if (normalised.length < MIN_NAME_QUERY)
      fieldErrors.name = `Введите не менее ${MIN_NAME_QUERY} букв названия (без кавычек и ООО, АО, ИП).`;
    else criteria.name = normalised;
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  if (!Object.keys(criteria).length) return { ok: false, fieldErrors: { form: "Заполните хотя бы одно поле поиска." } };
  return { ok: true, criteria };
}

export interface OrganizationRow {
  id: number;
  regnum: string;
  sfrRegnum: string | null;
  inn: string;
  kpp: string | null;
  ogrn: string;
  fullName: string;
  shortName: string;
  address: string;
  officeCode: string;
  represented: boolean;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The registry's active organisations matching every criterion. On PostgreSQL a name is matched through the GIN
 * trigram index (`search_name LIKE`), or for a common part of a name through the GiST one (`lower(search_name)
 * LIKE`, the same text: see migration 0017).
 */
function filtered(db: DbOrTx, kind: DatabaseKind, c: SearchCriteria, commonName = false) {
  let q = db.selectFrom("organizations").where("organizations.active", "=", 1);
  if (c.regnum) q = q.where("organizations.regnum", "=", c.regnum);
  if (c.sfrRegnum) q = q.where("organizations.sfr_regnum", "=", c.sfrRegnum);
  if (c.inn) q = q.where("organizations.inn", "=", c.inn);
  if (c.kpp) q = q.where("organizations.kpp", "=", c.kpp);
  if (c.ogrn) q = q.where("organizations.ogrn", "=", c.ogrn);
  if (c.name) {
    const pattern = "%" + escapeLike(c.name) + "%";
    if (kind === "postgres") {
      q = commonName
        ? q.where(sql<boolean>`lower(organizations.search_name) LIKE ${pattern}`)
        : q.where(sql<boolean>`organizations.search_name LIKE ${pattern}`);
    } else {
      // FTS5 trigram: a quoted phrase matches any substring of three or more characters.
      const phrase = `"${c.name.replaceAll('"', '""')}"`;
      q = q.where(
        sql<boolean>`organizations.id IN (SELECT rowid FROM organizations_fts WHERE organizations_fts MATCH ${phrase})`,
      );
    }
  }
  return q;
}

/** Above this many expected matches a name is common: its first thousand are found by walking the GiST index. */
export const COMMON_NAME_ROWS = 3000;

/** The planner's estimate of the rows a query returns (PostgreSQL). */
async function estimatedRows(db: Db, query: Compilable): Promise<number> {
  const compiled = query.compile();
  const result = await db.executeQuery<{ "QUERY PLAN": Array<{ Plan: { "Plan Rows": number } }> }>(
    CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
  );
  return result.rows[0]?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0;
}

/**
 * Up to cap + 1 hits, found in one pass that stops there. A rare part of a name (and every identifier) is looked
 * up through the GIN index; a common one, where GIN would first gather every match, by walking the GiST index
 * in order until the cap, which only a plain index scan does — so bitmap and sequential scans are off for it.
 */
/** How a search finds its hits: FTS5 on SQLite; on PostgreSQL GIN for a rare name or none, GiST for a common one. */
export async function nameLookupOf(
  db: Db,
  kind: DatabaseKind,
  c: SearchCriteria,
): Promise<"fts" | "identifiers" | "rare-name" | "common-name"> {
  if (kind !== "postgres") return "fts";
  if (!c.name) return "identifiers";
  const expected = await estimatedRows(db, filtered(db, kind, c).select("organizations.id"));
  return expected < COMMON_NAME_ROWS ? "rare-name" : "common-name";
}

/**
 * Up to cap + 1 hits, found in one pass that stops there. A rare part of a name (and every identifier) is looked
 * up through the GIN index; a common one, where GIN would first gather every match, by walking the GiST index
 * in order until the cap, which only a plain index scan does — so bitmap and sequential scans are off for it.
 */
async function hitsOf(db: Db, kind: DatabaseKind, c: SearchCriteria): Promise<Array<{ id: number }>> {
  const first = (q: ReturnType<typeof filtered>) =>
    q
      .select("organizations.id")
      .limit(SEARCH_COUNT_CAP + 1)
      .execute();
  if ((await nameLookupOf(db, kind, c)) !== "common-name") return first(filtered(db, kind, c));
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`.execute(
      trx,
    );
    return first(filtered(trx, kind, c, true));
  });
}

export async function searchOrganizations(
  db: Db,
  kind: DatabaseKind,
  criteria: SearchCriteria,
  options: { page?: number; representativeId?: number } = {},
): Promise<{ rows: OrganizationRow[]; total: number; capped: boolean; page: number; pages: number }> {
  const page = Math.max(1, Math.floor(options.page ?? 1));
  // One pass finds up to cap + 1 hits and stops there (a sequential or bitmap scan in the table's order):
  // their number is the count shown, and their ids are all the page needs.
  const hits = await hitsOf(db, kind, criteria);
  const capped = hits.length > SEARCH_COUNT_CAP;
  const total = Math.min(hits.length, SEARCH_COUNT_CAP);
  const offset = (page - 1) * SEARCH_PAGE_SIZE;
  const columns = [
    "organizations.id",
    "organizations.regnum",
    "organizations.sfr_regnum",
    "organizations.inn",
    "organizations.kpp",
    "organizations.ogrn",
    "organizations.full_name",
    "organizations.short_name",
    "organizations.address",
    "organizations.territorial_body_code",
  ] as const;
  const byId = (ids: number[]) => db.selectFrom("organizations").select(columns).where("organizations.id", "in", ids);
  const pageIds = hits
    .map((h) => h.id)
    .sort((x, y) => x - y)
    .slice(0, SEARCH_COUNT_CAP)
    .slice(offset, offset + SEARCH_PAGE_SIZE);
  const rows = !total
    ? []
    : capped
      ? // Past the cap (the person has to narrow the query anyway): the first thousand hits in registry order,
        // paged by id — no sort of every match, no second search.
        pageIds.length
        ? await byId(pageIds).orderBy("organizations.id").execute()
        : []
      : // Up to the cap, by name: the hits themselves, fetched by id and sorted.
        await byId(hits.map((h) => h.id))
          .orderBy("organizations.short_name")
          .orderBy("organizations.id")
          .limit(SEARCH_PAGE_SIZE)
          .offset(offset)
          .execute();
  const ids = rows.map((r) => r.id);
  const represented = new Set<number>();
  if (options.representativeId && ids.length) {
    const live = await db
      .selectFrom("proxies")
      .select("organization_id")
      .where("representative_id", "=", options.representativeId)
      .where("status", "!=", "withdrawn")
      .where("organization_id", "in", ids)
      .execute();
    for (const p of live) represented.add(p.organization_id);
  }
  return {
    rows: rows.map((r) => ({
      id: r.id,
      regnum: r.regnum,
      sfrRegnum: r.sfr_regnum,
      inn: r.inn,
      kpp: r.kpp,
      ogrn: r.ogrn,
      fullName: r.full_name,
      shortName: r.short_name,
      address: r.address,
      officeCode: r.territorial_body_code,
      represented: represented.has(r.id),
    })),
    total,
    capped,
    page,
    pages: Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE)),
  };
}

/**
 * After a large import: fresh statistics, so that the planner tells common parts of names from rare ones
 * (PostgreSQL: `ANALYZE`, which autovacuum would otherwise run a minute later; SQLite: `PRAGMA optimize`).
 */
export async function refreshRegistryStatistics(db: Db, kind: DatabaseKind): Promise<void> {
  if (kind === "postgres") await sql`ANALYZE organizations`.execute(db);
  else await sql`PRAGMA optimize`.execute(db);
}

export interface RegistryEntry {
  regnum: string;
  /** The 12-digit СФР number, digits only; absent when the source does not give it. */
  sfrRegnum?: string | null;
  inn: string;
  kpp: string | null;
  ogrn: string;
  fullName: string;
  shortName: string;
  address: string;
}

function officeOrThrow(regnum: string): string {
  const office = officeCodeOf(regnum);
  if (!office)
    throw new Error(`No regional branch serves region ${regnum.slice(0, 2)} (registration number ${regnum})`);
  return office;
}

export function organizationValues(e: RegistryEntry): Omit<OrganizationsTable, "id"> {
  return {
    regnum: e.regnum,
    inn: e.inn,
    kpp: e.kpp,
    ogrn: e.ogrn,
    full_name: e.fullName,
    short_name: e.shortName,
    kind: e.inn.length === 12 ? "ip" : "legal",
    territorial_body_code: officeOrThrow(e.regnum),
    subdivision_code: subdivisionCodeOf(e.regnum),
    address: e.address,
    active: 1,
    search_name: searchNameOf(e.fullName, e.shortName),
    sfr_regnum: e.sfrRegnum ?? null,
  };
}

/** Inserts or updates organisations by registration number; returns how many were new. */
export async function upsertOrganizations(
  db: DbOrTx,
  entries: RegistryEntry[],
): Promise<{ added: number; updated: number }> {
  if (!entries.length) return { added: 0, updated: 0 };
  const regnums = entries.map((e) => e.regnum);
  const existing = new Set(
    (await db.selectFrom("organizations").select("regnum").where("regnum", "in", regnums).execute()).map(
      (r) => r.regnum,
    ),
  );
  await db
    .insertInto("organizations")
    .values(entries.map(organizationValues))
    .onConflict((oc) =>
      oc.column("regnum").doUpdateSet((eb) => ({
        inn: eb.ref("excluded.inn"),
        kpp: eb.ref("excluded.kpp"),
        ogrn: eb.ref("excluded.ogrn"),
        full_name: eb.ref("excluded.full_name"),
        short_name: eb.ref("excluded.short_name"),
        kind: eb.ref("excluded.kind"),
        territorial_body_code: eb.ref("excluded.territorial_body_code"),
        subdivision_code: eb.ref("excluded.subdivision_code"),
        address: eb.ref("excluded.address"),
        active: eb.ref("excluded.active"),
        search_name: eb.ref("excluded.search_name"),
        // A source without the СФР number keeps the one already known.
        sfr_regnum: eb.fn.coalesce(eb.ref("excluded.sfr_regnum"), eb.ref("organizations.sfr_regnum")),
      })),
    )
    .execute();
  const added = entries.filter((e) => !existing.has(e.regnum)).length;
  return { added, updated: entries.length - added };
}
