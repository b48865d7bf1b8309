// The registry's name search at a size where a part of a name can be common: on PostgreSQL a common part is found
// by walking the GiST index up to the cap, a rare one through GIN (migration 0017); both answer the same thing the
// plain LIKE does. SQLite (FTS5) gives the same answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases";
import { seedRegistry } from "../../db/seed/registry.server";
import {
  COMMON_NAME_ROWS,
  nameLookupOf,
  SEARCH_COUNT_CAP,
  SEARCH_PAGE_SIZE,
  refreshRegistryStatistics,
  searchOrganizations,
  validateSearch,
} from "../../app/organizations/registry.server";

const SIZE = 30_000;

describe.each(databaseKinds)(`registry name search over ${SIZE} organisations on %s`, (kind) => {
  let database: TestDatabase;
  const criteria = (name: string) => {
    const v = validateSearch({ name });
    if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
    return v.criteria;
  };
  /** Every active organisation whose search name holds the part, by a plain scan. */
  const plainMatches = async (part: string) =>
    (
      await database.handle.db
        .selectFrom("organizations")
        .select(["id", "short_name"])
        .where("active", "=", 1)
        .where(sql<boolean>`search_name LIKE ${"%" + part + "%"}`)
        .orderBy("id")
        .execute()
    ).map((r) => r.id);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedRegistry(database.handle.db, SIZE, 42);
    await refreshRegistryStatistics(database.handle.db, database.handle.kind);
  }, 120_000);
  afterAll(() => database?.dispose());

  it("a common part («вич», every entrepreneur): more than the cap, paged by id among real matches", async () => {
    const all = await plainMatches("вич");
    expect(all.length).toBeGreaterThan(COMMON_NAME_ROWS);
    expect(await nameLookupOf(database.handle.db, database.handle.kind, criteria("вич"))).toBe(
      kind === "postgres" ? "common-name" : "fts",
    );
    const first = await searchOrganizations(database.handle.db, database.handle.kind, criteria("вич"));
    expect(first).toMatchObject({ capped: true, total: SEARCH_COUNT_CAP, pages: SEARCH_COUNT_CAP / SEARCH_PAGE_SIZE });
    expect(first.rows).toHaveLength(SEARCH_PAGE_SIZE);
    const matching = new Set(all);
    const seen = new Set<number>();
    let previous = 0;
    for (const page of [1, 2, 50]) {
      const result = await searchOrganizations(database.handle.db, database.handle.kind, criteria("вич"), { page });
      expect(result.rows, `page ${page}`).toHaveLength(SEARCH_PAGE_SIZE);
      for (const row of result.rows) {
        expect(matching.has(row.id), `${row.shortName} matches`).toBe(true);
        expect(seen.has(row.id), "no organisation on two pages").toBe(false);
        expect(row.id).toBeGreaterThan(previous); // registry order across the pages
        seen.add(row.id);
        previous = row.id;
      }
    }
    const past = await searchOrganizations(database.handle.db, database.handle.kind, criteria("вич"), { page: 51 });
    expect(past.rows).toEqual([]);
  });

  it("a rarer part: the exact count and every match, sorted by name", async () => {
    // A name of the generator's that is neither everywhere nor unique.
    const all = await plainMatches("ромашк");
    expect(all.length).toBeGreaterThan(SEARCH_PAGE_SIZE);
    expect(all.length).toBeLessThanOrEqual(SEARCH_COUNT_CAP);
    expect(await nameLookupOf(database.handle.db, database.handle.kind, criteria("ромашк"))).toBe(
      kind === "postgres" ? "rare-name" : "fts",
    );
    const found: number[] = [];
    const names: string[] = [];
    const first = await searchOrganizations(database.handle.db, database.handle.kind, criteria("ромашк"));
    expect(first).toMatchObject({ capped: false, total: all.length });
    for (let page = 1; page <= first.pages; page++) {
      const result = await searchOrganizations(database.handle.db, database.handle.kind, criteria("ромашк"), { page });
      found.push(...result.rows.map((r) => r.id));
      names.push(...result.rows.map((r) => r.shortName));
    }
    expect([...found].sort((a, b) => a - b)).toEqual(all);
    const sorted = await database.handle.db
      .selectFrom("organizations")
      .select("short_name")
      .where("id", "in", all)
      .orderBy("short_name")
      .orderBy("id")
      .execute();
    expect(names).toEqual(sorted.map((r) => r.short_name));
  });

  it("a part found nowhere, and a name with an identifier", async () => {
    const none = await searchOrganizations(database.handle.db, database.handle.kind, criteria("щщщщ"));
    expect(none).toMatchObject({ total: 0, capped: false, rows: [] });
    const one = await database.handle.db
      .selectFrom("organizations")
      .select(["inn", "short_name"])
      .where("search_name", "like", "%вич%")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    const v = validateSearch({ name: "вич", inn: one.inn });
    if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
    const both = await searchOrganizations(database.handle.db, database.handle.kind, v.criteria);
    expect(both.rows.map((r) => r.shortName)).toContain(one.short_name);
    expect(both.capped).toBe(false);
  });
});
