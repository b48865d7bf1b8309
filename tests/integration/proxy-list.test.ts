// The representative's list sorts and filters on each proxy's copy of its organisation's name and numbers
// (migration 0018): the database fills the copy when a proxy is added and keeps it when the registry changes.
import type { Selectable } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrganizationsTable } from "../../db/schema";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases";
import { createActiveUser } from "../support/users";
import { insertBareProxies } from "../support/flow";
import { seedRegistry } from "../../db/seed/registry.server";
import { seedTerritorialBodies } from "../../db/seed/registry.server";
import { ManualClock } from "../../app/clock.server";
import { upsertOrganizations } from "../../app/organizations/registry.server";
import { RepresentativeProxies } from "../../app/proxies/representative-proxies.server";
import { offlineRegistry } from "../../app/proxies/mchd-registry.server";

describe.each(databaseKinds)("the representative's list on %s", (kind) => {
  let database: TestDatabase;
  let proxies: RepresentativeProxies;
  let orgs: Array<Selectable<OrganizationsTable>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const db = database.handle.db;
    await seedTerritorialBodies(db);
    await seedRegistry(db, 300, 5);
    orgs = await db.selectFrom("organizations").selectAll().orderBy("id").limit(120).execute();
    const rep = await createActiveUser(db, { surname: "Спискова", givenName: "Ольга", patronymic: "Игоревна" });
    // Added straight in the database, as a bulk load would: the trigger fills the copy.
    await insertBareProxies(
      db,
      rep.id,
      orgs.map((o) => o.id),
    );
    proxies = RepresentativeProxies.for(
      {
        db,
        clock: new ManualClock("2026-11-23T09:00:00Z"),
        dbKind: database.handle.kind,
        uploadsDir: "/tmp",
        appUrl: "http://localhost",
        ip: null,
        mchdRegistry: offlineRegistry,
      },
      rep.id,
    );
  }, 60_000);
  afterAll(() => database?.dispose());

  it("copies the organisation's name and numbers into each proxy and pages the list in name order", async () => {
    const copies = await database.handle.db
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .select([
        "proxies.organization_search_name",
        "proxies.organization_inn",
        "proxies.organization_regnum",
        "organizations.search_name",
        "organizations.inn",
        "organizations.regnum",
      ])
      .execute();
    expect(copies).toHaveLength(orgs.length);
    for (const c of copies)
      expect([c.organization_search_name, c.organization_inn, c.organization_regnum]).toEqual([
        c.search_name,
        c.inn,
        c.regnum,
      ]);

    const byName = [...orgs].sort((a, b) =>
      a.search_name < b.search_name ? -1 : a.search_name > b.search_name ? 1 : a.id - b.id,
    );
    const first = await proxies.list({});
    const second = await proxies.list({ page: 2 });
    expect(first.total).toBe(orgs.length);
    expect([...first.rows, ...second.rows].map((r) => r.regnum)).toEqual(byName.slice(0, 100).map((o) => o.regnum));
    expect(first.rows[0]).toMatchObject({ short_name: byName[0].short_name, inn: byName[0].inn });
  });

  it("finds by ИНН prefix, by name part and by branch", async () => {
    const target = orgs[7];
    const byInn = await proxies.list({ q: target.inn });
    expect(byInn.rows.map((r) => r.regnum)).toContain(target.regnum);
    expect(byInn.total).toBe(byInn.rows.length);
    const word = target.search_name.split(" ").find((w) => w.length >= 5)!;
    const byName = await proxies.list({ q: word });
    expect(byName.rows.map((r) => r.regnum)).toContain(target.regnum);
    expect(byName.total).toBe(orgs.filter((o) => o.search_name.includes(word)).length);
    const region = await proxies.list({ region: target.territorial_body_code });
    expect(region.total).toBe(orgs.filter((o) => o.territorial_body_code === target.territorial_body_code).length);
  });

  it("follows the registry when it renames an organisation or corrects its ИНН", async () => {
    const target = orgs[3];
    const newInn = target.inn.length === 10 ? "9909909909" : "990990990990";
    await upsertOrganizations(database.handle.db, [
      {
        regnum: target.regnum,
        inn: newInn,
        kpp: target.kpp,
        ogrn: target.ogrn,
        fullName: "Общество с ограниченной ответственностью «Переименованная Жарптица»",
        shortName: "ООО «Переименованная Жарптица»",
        address: target.address,
      },
    ]);
    const renamed = await proxies.list({ q: "жарптица" });
    expect(renamed.rows.map((r) => [r.regnum, r.short_name])).toEqual([
      [target.regnum, "ООО «Переименованная Жарптица»"],
    ]);
    expect((await proxies.list({ q: newInn })).rows.map((r) => r.regnum)).toEqual([target.regnum]);
    expect((await proxies.list({ q: target.inn })).rows.map((r) => r.regnum)).not.toContain(target.regnum);
  });
});
