// Proxies reach the regional branch of the insurer's subject, on each database: a registry with numbers of several
// regions lands every organisation in its branch (RR00) with its four-digit subdivision, and migration 0013 moves
// the organisations, proxies and operators of a phantom office the old import invented to the real branch.
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases";
import { importRegistry } from "../../app/organizations/registry-import.server";
import { seedTerritorialBodies } from "../../db/seed/registry.server";
import { migrateTo, migrateToLatest } from "../../db/migrate.server";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";
import { startTestApp, type TestApp } from "../support/app";
import { registryWith, representativeWithCertificate, submittedProxy } from "../support/flow";
import { localDate } from "../../app/calendar";
import { importCalendarYear } from "../../app/calendar/import.server";
import { useLoadedYears } from "../../app/calendar/production-calendar";
import { createActiveUser, signedInClient } from "../support/users";
import { textOf } from "../support/client";

const HEADER = "regnum;inn;kpp;ogrn;full_name;short_name;address";
const row = (regnum: string, n: number) =>
  `${regnum};${withInnCheckDigit(String(770000000 + n))};770101001;${withOgrnCheckDigit(String(102770000000 + n))};ООО «Регион ${n}»;ООО «Регион ${n}»;адрес`;

describe.each(databaseKinds)("regional branches on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind, false);
  });
  afterAll(async () => {
    await database?.dispose();
  });
  const db = () => database.handle.db;

  it("migration 0013 moves a phantom office's organisations, proxies and operators to the region's branch", async () => {
    await migrateTo(db(), "0012_mchd");
    await seedTerritorialBodies(db());
    // What the old import made of a real Башкортостан number: an office «0274» in Moscow time, with no operators.
    await db()
      .insertInto("territorial_bodies")
      .values({
        code: "0274",
        name: "Территориальный орган 0274",
        region: "Территориальный орган 0274",
        email: "office0274@sfr.example.ru",
        time_zone: "Europe/Moscow",
      })
      .execute();
    await db()
      .insertInto("organizations")
      .values({
        regnum: "0274016164",
        sfr_regnum: null,
        inn: "0274176895",
        kpp: "027401001",
        ogrn: "1130280031188",
        full_name: "ООО «ЭТиС»",
        short_name: "ООО «ЭТиС»",

        search_name: "ооо этис",
        kind: "legal",
        territorial_body_code: "0274",
        address: "г. Уфа",
        active: 1,
      } as never)
      .execute();
    const at = "2026-11-01T00:00:00.000Z";
    const user = await db()
      .insertInto("users")
      .values({
        role: "representative",
        surname: "Иванова",
        given_name: "Мария",
        patronymic: "",
        email: "r@example.ru",
        password_hash: "x",
        status: "active",
        territorial_body_code: null,
        locked_until: null,
        created_at: at,
        confirmed_at: at,
        password_changed_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db()
      .insertInto("users")
      .values({
        role: "operator",
        surname: "Операторова",
        given_name: "Ольга",
        patronymic: "",
        email: "o@example.ru",
        password_hash: "x",
        status: "active",
        territorial_body_code: "0274",
        locked_until: null,
        created_at: at,
        confirmed_at: at,
        password_changed_at: at,
      })
      .execute();
    const org = await db()
      .selectFrom("organizations")
      .select("id")
      .where("regnum", "=", "0274016164")
      .executeTakeFirstOrThrow();
    await db()
      .insertInto("proxies")
      .values({
        representative_id: user.id,
        organization_id: org.id,
        status: "in_review",
        valid_from: null,
        valid_to: null,
        poa_file_id: null,
        submitted_at: at,
        sla_due_at: at,
        decided_at: null,
        decided_by: null,
        rejection_reason: null,
        paper_copy_received_at: null,
        created_at: at,
        withdrawn_at: null,
        office_code: "0274",
        expiry_reminded_30_at: null,
        expiry_reminded_7_at: null,
      } as never)
      .execute();

    await migrateToLatest(db());
    const moved = await db()
      .selectFrom("organizations")
      .select(["territorial_body_code", "subdivision_code"])
      .where("id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(moved).toEqual({ territorial_body_code: "0200", subdivision_code: "0274" });
    const proxy = await db()
      .selectFrom("proxies")
      .select("office_code")
      .where("organization_id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(proxy.office_code).toBe("0200");
    const operator = await db()
      .selectFrom("users")
      .select("territorial_body_code")
      .where("email", "=", "o@example.ru")
      .executeTakeFirstOrThrow();
    expect(operator.territorial_body_code).toBe("0200");
    expect(
      await db().selectFrom("territorial_bodies").select("code").where("code", "=", "0274").executeTakeFirst(),
    ).toBeUndefined();
    const branch = await db()
      .selectFrom("territorial_bodies")
      .selectAll()
      .where("code", "=", "0200")
      .executeTakeFirstOrThrow();
    expect(branch).toMatchObject({ region: "Республика Башкортостан", time_zone: "Asia/Yekaterinburg" });
  });

  it("an import with numbers of several regions lands every organisation in its branch, keeping the subdivision", async () => {
    const numbers = ["0274016165", "1601234567", "7701012345", "7812345678", "0301234567", "5003123456"];
    const csv = [HEADER, ...numbers.map((n, i) => row(n, i + 1)), row("9901234567", 99)].join("\n");
    const report = await importRegistry(db(), Readable.from([Buffer.from(csv)]));
    expect(report.added).toBe(numbers.length);
    expect(report.refused).toEqual([
      { line: 8, reason: "регион «99» рег. номера 9901234567 неизвестен: ни одно отделение СФР его не обслуживает" },
    ]);
    const rows = await db()
      .selectFrom("organizations")
      .innerJoin("territorial_bodies", "territorial_bodies.code", "organizations.territorial_body_code")
      .select([
        "organizations.regnum",
        "organizations.territorial_body_code",
        "organizations.subdivision_code",
        "territorial_bodies.region",
      ])
      .where("organizations.regnum", "in", numbers)
      .orderBy("organizations.regnum")
      .execute();
    expect(rows.map((r) => [r.regnum, r.territorial_body_code, r.subdivision_code, r.region])).toEqual([
      ["0274016165", "0200", "0274", "Республика Башкортостан"],
      ["0301234567", "0300", "0301", "Республика Бурятия"],
      ["1601234567", "1600", "1601", "Республика Татарстан"],
      ["5003123456", "7700", "5003", "г. Москва и Московская область"],
      ["7701012345", "7700", "7701", "г. Москва и Московская область"],
      ["7812345678", "7800", "7812", "г. Санкт-Петербург и Ленинградская область"],
    ]);
    expect(
      (await db().selectFrom("territorial_bodies").select("code").where("code", "not like", "%00").execute()).length,
    ).toBe(0);
  });
});

describe.each(databaseKinds)("merged branches on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind, false);
  });
  afterAll(async () => {
    await database?.dispose();
  });
  const db = () => database.handle.db;

  it("migration 0015 merges Московская область (5000) into the branch of г. Москва и Московская область, with its organisations, proxies and operators", async () => {
    await migrateTo(db(), "0014_calendar_years");
    await seedTerritorialBodies(db());
    // An earlier version seeded a branch of its own for Московская область.
    await db()
      .insertInto("territorial_bodies")
      .values({
        code: "5000",
        name: "Отделение СФР по Московской области",
        region: "Московская область",
        email: "office5000@sfr.example.ru",
        time_zone: "Europe/Moscow",
      })
      .execute();
    await db().updateTable("territorial_bodies").set({ region: "г. Москва" }).where("code", "=", "7700").execute();
    const org = await db()
      .insertInto("organizations")
      .values({
        regnum: "5003123456",
        sfr_regnum: null,
        inn: withInnCheckDigit("500312345"),
        kpp: "500301001",
        ogrn: withOgrnCheckDigit("102500312345"),
        full_name: "ООО «Подмосковье»",
        short_name: "ООО «Подмосковье»",
        search_name: "ооо подмосковье",
        kind: "legal",
        territorial_body_code: "5000",
        subdivision_code: "5003",
        address: "Московская обл., г. Химки",
        active: 1,
      } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    const at = "2026-11-01T00:00:00.000Z";
    const person = (role: "representative" | "operator", email: string, office: string | null) => ({
      role,
      surname: "Подмосковная",
      given_name: "Анна",
      patronymic: "",
      email,
      password_hash: "x",
      status: "active" as const,
      territorial_body_code: office,
      locked_until: null,
      created_at: at,
      confirmed_at: at,
      password_changed_at: at,
    });
    const rep = await db()
      .insertInto("users")
      .values(person("representative", "rep@example.ru", null) as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    await db()
      .insertInto("users")
      .values(person("operator", "op5000@example.ru", "5000") as never)
      .execute();
    await db()
      .insertInto("proxies")
      .values({
        representative_id: rep.id,
        organization_id: org.id,
        status: "in_review",
        office_code: "5000",
        created_at: at,
        submitted_at: at,
        sla_due_at: "2026-11-09T21:00:00.000Z",
      } as never)
      .execute();
    await migrateToLatest(db());
    const moved = await db()
      .selectFrom("organizations")
      .innerJoin("proxies", "proxies.organization_id", "organizations.id")
      .select(["organizations.territorial_body_code", "organizations.subdivision_code", "proxies.office_code"])
      .where("organizations.id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(moved).toEqual({ territorial_body_code: "7700", subdivision_code: "5003", office_code: "7700" });
    const operator = await db()
      .selectFrom("users")
      .select(["territorial_body_code", "subdivision_codes"])
      .where("email", "=", "op5000@example.ru")
      .executeTakeFirstOrThrow();
    expect(operator).toEqual({ territorial_body_code: "7700", subdivision_codes: null });
    const offices = await db().selectFrom("territorial_bodies").select(["code", "region"]).execute();
    expect(offices.find((o) => o.code === "5000")).toBeUndefined();
    expect(offices.find((o) => o.code === "7700")?.region).toBe("г. Москва и Московская область");
    // Every subject has its branch: 89 subjects, three pairs served by one branch each.
    expect(offices.length).toBe(86);
    expect(offices.map((o) => o.code)).toEqual(expect.arrayContaining(["9000", "9300", "9400", "9500"]));
  });

  it("a row whose 12-digit СФР number names another branch than its ФСС number is refused with both", async () => {
    const csv = [
      `${HEADER};sfr_regnum`,
      `${row("1601000077", 71)};087001000077`,
      `${row("7701000077", 72)};087001000078`,
      `${row("0274000077", 73)};002074000077`,
    ].join("\n");
    const report = await importRegistry(db(), Readable.from([Buffer.from(csv)]));
    expect(report.refused).toEqual([
      {
        line: 2,
        reason: "рег. номер СФР 087-001-000077 относится к отделению 7700, а рег. номер 1601000077 — к отделению 1600",
      },
    ]);
    // 087 is Москва's ПФР code; 002 is not in the table of confirmed codes, so the ФСС number decides.
    expect(report.added).toBe(2);
  });
});

describe.each(databaseKinds)("deadlines in the branch's own calendar on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 0, start: "2026-11-05T09:00:00.000Z" });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("a proxy in Татарстан submitted before 6 November (День Конституции РТ) is due a working day later than in Москва", async () => {
    const orgs = [
      { regnum: "1601000001", n: 11 },
      { regnum: "7701000001", n: 12 },
    ].map(({ regnum, n }) => ({
      regnum,
      inn: withInnCheckDigit(String(770000000 + n)),
      kpp: "770101001",
      ogrn: withOgrnCheckDigit(String(102770000000 + n)),
      fullName: `ООО «Срок ${n}»`,
      shortName: `ООО «Срок ${n}»`,
      address: "адрес",
    }));
    const ids = await registryWith(app, orgs);
    const rep = await representativeWithCertificate(app);
    const due: Record<string, string> = {};
    for (const org of orgs) {
      const proxy = await submittedProxy(app, rep, ids[org.regnum], ["2026-11-01", "2027-10-31"]);
      expect(proxy.status).toBe("in_review");
      expect(proxy.office_code).toBe(`${org.regnum.slice(0, 2)}00`);
      due[org.regnum] = localDate(new Date(proxy.sla_due_at!), "Europe/Moscow");
    }
    // Thursday 5 November: Friday 6 is off in Татарстан only; five working days end on 12 or 13 November.
    expect(due).toEqual({ "1601000001": "2026-11-13", "7701000001": "2026-11-12" });
  });

  it("the branch's queue shows each proxy's subdivision and filters by it", async () => {
    const other = {
      regnum: "7702000001",
      inn: withInnCheckDigit("770000013"),
      kpp: "770101001",
      ogrn: withOgrnCheckDigit("102770000013"),
      fullName: "ООО «Второй филиал»",
      shortName: "ООО «Второй филиал»",
      address: "адрес",
    };
    const ids = await registryWith(app, [other]);
    const rep = await representativeWithCertificate(app);
    await submittedProxy(app, rep, ids[other.regnum], ["2026-11-01", "2027-10-31"]);
    const op = await createActiveUser(
      app.database.handle.db,
      { surname: "Филиалова", givenName: "Ф", patronymic: "" },
      "operator",
    );
    await app.database.handle.db
      .updateTable("users")
      .set({ territorial_body_code: "7700" })
      .where("id", "=", op.id)
      .execute();
    const client = await signedInClient(app.url, op.email);
    const all = textOf((await client.get("/operator")).html);
    expect(all).toContain("рег. № 7702000001, подразделение 7702");
    expect(all).toContain("рег. № 7701000001, подразделение 7701");
    expect(all).not.toContain("1601000001"); // Татарстан's branch handles that one
    const page = await client.get("/operator?subdivision=7702");
    expect(page.html).toContain(">Подразделение</label>");
    const filtered = textOf(page.html);
    expect(filtered).toContain("7702000001");
    expect(filtered).not.toContain("7701000001");
  });

  it("an administrator limits an operator to some subdivisions: the queue, the card and the decisions keep to them", async () => {
    const db = app.database.handle.db;
    const op = await createActiveUser(db, { surname: "Ограниченная", givenName: "О", patronymic: "" }, "operator");
    await db.updateTable("users").set({ territorial_body_code: "7700" }).where("id", "=", op.id).execute();
    const admin = await createActiveUser(db, { surname: "Админ", givenName: "П", patronymic: "" }, "admin");
    const adminClient = await signedInClient(app.url, admin.email);
    // A subdivision of another branch is refused, and nothing is written.
    const wrong = await adminClient.submit("/admin/operators", {
      intent: "subdivisions",
      operatorId: String(op.id),
      subdivisions: "7702, 1601",
    });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.html)).toContain(
      "Подразделение 1601 относится не к отделению 7700: сотрудник видит только заявки своего отделения.",
    );
    const malformed = await adminClient.submit("/admin/operators", {
      intent: "subdivisions",
      operatorId: String(op.id),
      subdivisions: "77-02",
    });
    expect(textOf(malformed.html)).toContain(
      "Код подразделения — 4 цифры (первые цифры рег. номера ФСС), а указано «77-02».",
    );
    expect(
      (await db.selectFrom("users").select("subdivision_codes").where("id", "=", op.id).executeTakeFirstOrThrow())
        .subdivision_codes,
    ).toBeNull();
    const saved = await adminClient.submit("/admin/operators", {
      intent: "subdivisions",
      operatorId: String(op.id),
      subdivisions: "7702",
    });
    expect(saved.status).toBe(302);
    expect(textOf((await adminClient.get("/admin/operators")).html)).toContain(
      `Сотрудник ${op.email} видит заявки подразделений 7702.`,
    );
    const client = await signedInClient(app.url, op.email);
    const queue = textOf((await client.get("/operator")).html);
    expect(queue).toContain("Ваши подразделения: 7702");
    expect(queue).toContain("7702000001");
    expect(queue).not.toContain("7701000001");
    const outside = await db
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .select(["proxies.id", "proxies.version"])
      .where("organizations.regnum", "=", "7701000001")
      .executeTakeFirstOrThrow();
    expect((await client.get(`/operator/proxies/${outside.id}`)).status).toBe(404);
    await client.get("/operator");
    const decision = await client.post(`/operator/proxies/${outside.id}`, {
      intent: "approve",
      version: String(outside.version),
    });
    expect(decision.status).toBe(404);
    expect(
      (await db.selectFrom("proxies").select("status").where("id", "=", outside.id).executeTakeFirstOrThrow()).status,
    ).toBe("in_review");
    // Emptied again, the operator sees every subdivision of the branch.
    await adminClient.submit("/admin/operators", {
      intent: "subdivisions",
      operatorId: String(op.id),
      subdivisions: "",
    });
    expect(textOf((await client.get("/operator")).html)).toContain("7701000001");
  });

  it("the branch's figures for 30 days: decided, on time, the median in its own working days; the admins compare branches", async () => {
    const db = app.database.handle.db;
    // Two decisions in Москва: one by the deadline after 3 working days, one after it.
    const moscow = await db
      .selectFrom("proxies")
      .select(["id", "submitted_at", "sla_due_at"])
      .where("office_code", "=", "7700")
      .orderBy("id")
      .execute();
    expect(moscow.length).toBeGreaterThanOrEqual(2);
    await db
      .updateTable("proxies")
      .set({ status: "approved", decided_at: "2026-11-10T10:00:00.000Z" })
      .where("id", "=", moscow[0].id)
      .execute();
    await db
      .updateTable("proxies")
      .set({ status: "rejected", decided_at: "2026-11-20T10:00:00.000Z" })
      .where("id", "=", moscow[1].id)
      .execute();
    app.clock.set("2026-11-23T09:00:00.000Z");
    const { slaFigures } = await import("../../app/review/sla.server");
    const f = await slaFigures(db, { code: "7700", timeZone: "Europe/Moscow" }, app.clock.now());
    // Both were submitted on Thursday 5 November and due at the end of 12 November: the first was decided on
    // 10 November after 3 working days (6, 9, 10), the second on 20 November after 11.
    expect(f).toMatchObject({ decided: 2, onTime: 1, medianWorkingDays: 7 });
    const admin = await createActiveUser(db, { surname: "Админова", givenName: "А", patronymic: "" }, "admin");
    const client = await signedInClient(app.url, admin.email);
    const page = await client.get("/admin/offices");
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain("7700 — г. Москва");
    expect(text).toContain("1600 — Республика Татарстан");
    expect(text).toContain(`в срок ${f.onTime} из 2`);
  });
});

describe.each(databaseKinds)("npm run calendar:import's work on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 0, start: "2026-11-05T09:00:00.000Z" });
  });
  afterAll(async () => {
    useLoadedYears([]);
    await app?.close();
  });

  it("loads a subject's year, shows the difference, records who loaded it, and lists the deadlines it would move without moving them", async () => {
    const org = {
      regnum: "1602000001",
      inn: withInnCheckDigit("770000021"),
      kpp: "770101001",
      ogrn: withOgrnCheckDigit("102770000021"),
      fullName: "ООО «Календарь»",
      shortName: "ООО «Календарь»",
      address: "адрес",
    };
    const ids = await registryWith(app, [org]);
    const rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids[org.regnum], ["2026-11-01", "2027-10-31"]);
    expect(localDate(new Date(proxy.sla_due_at!), "Europe/Moscow")).toBe("2026-11-13");
    const db = app.database.handle.db;
    // A (hypothetical) decree adds 10 November in Татарстан.
    const csv = "date;type\n2026-03-20;нерабочий\n2026-05-27;нерабочий\n2026-11-06;нерабочий\n2026-11-10;нерабочий\n";
    const result = await importCalendarYear(db, app.clock, Buffer.from(csv), {
      region: "1600",
      source: "Указ Раиса РТ (тест)",
      loadedBy: "Администраторов П.",
    });
    expect(result.diff).toEqual({
      added: ["2026-11-10"],
      removed: [],
      workingWeekendsAdded: [],
      workingWeekendsRemoved: [],
    });
    expect(result.movedDeadlines).toEqual([
      expect.objectContaining({ proxyId: proxy.id, regnum: org.regnum, officeCode: "1600", before: proxy.sla_due_at }),
    ]);
    expect(localDate(new Date(result.movedDeadlines[0].after), "Europe/Moscow")).toBe("2026-11-16");
    const kept = await db
      .selectFrom("proxies")
      .select("sla_due_at")
      .where("id", "=", proxy.id)
      .executeTakeFirstOrThrow();
    expect(kept.sla_due_at).toBe(proxy.sla_due_at);
    // The branch's operators see the deadline the new calendar gives beside the one set.
    const op = await createActiveUser(db, { surname: "Казанская", givenName: "К", patronymic: "" }, "operator");
    await db.updateTable("users").set({ territorial_body_code: "1600" }).where("id", "=", op.id).execute();
    const client = await signedInClient(app.url, op.email);
    const queue = textOf((await client.get("/operator")).html);
    expect(queue).toContain("Загруженный производственный календарь даёт другой срок у заявок на проверке: 1.");
    expect(queue).toContain("по новому календарю — 16.11.2026");
    const card = textOf((await client.get(`/operator/proxies/${proxy.id}`)).html);
    expect(card).toContain("— 16.11.2026");
    expect(card).toContain("(установленный срок не изменён)");
    const row = await db.selectFrom("calendar_years").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ year: 2026, region: "1600", loaded_by: "Администраторов П.", draft: 0 });
    const { isWorkingDay } = await import("../../app/calendar");
    expect(isWorkingDay("2026-11-10", "1600")).toBe(false);
    expect(isWorkingDay("2026-11-10", "7700")).toBe(true);
    // Loading it again changes nothing.
    const again = await importCalendarYear(db, app.clock, Buffer.from(csv), {
      region: "1600",
      source: "x",
      loadedBy: "y",
    });
    expect(again.diff.added).toEqual([]);
    expect(again.movedDeadlines).toEqual([]);
    // A proxy sent for review after the import is given its deadline by the loaded year. The page that sets it runs
    // the Remix build's copy of the calendar, while the import ran this test's copy (server.ts's, in production).
    const second = { ...org, regnum: "1602000002", inn: withInnCheckDigit("770000022"), fullName: "ООО «Календарь-2»" };
    const secondIds = await registryWith(app, [{ ...second, ogrn: withOgrnCheckDigit("102770000022") }]);
    const later = await submittedProxy(app, rep, secondIds[second.regnum], ["2026-11-01", "2027-10-31"]);
    expect(localDate(new Date(later.sla_due_at!), "Europe/Moscow")).toBe("2026-11-16");
  });
});
