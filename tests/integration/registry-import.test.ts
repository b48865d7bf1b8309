// Registry import: separators, BOM, validation of every row with line and reason, upsert by
// registration number, unknown offices created; and the CLI's report and exit codes.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, tempDir, type TestDatabase } from "../support/databases";
import { importRegistry } from "../../app/organizations/registry-import.server";
import { seedTerritorialBodies } from "../../db/seed/registry.server";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";

const run = promisify(execFile);
const HEADER = "regnum;inn;kpp;ogrn;full_name;short_name;address";
const innA = "7707083893";
const ogrnA = "1027700132195";
const innIp = "500100732259";
const ogrnIp = withOgrnCheckDigit("30450011600015");

describe.each(databaseKinds)("registry import on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedTerritorialBodies(database.handle.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });
  const db = () => database.handle.db;

  it("reads ; with a BOM, refuses bad rows with their line and reason, and upserts the rest", async () => {
    const csv = [
      "\uFEFF" + HEADER,
      `7700100001;${innA};770701001;${ogrnA};Общество с ограниченной ответственностью «Ромашка»;ООО «Ромашка»;г. Москва, ул. Цветочная, д. 1`,
      `5000100002;${innIp};;${ogrnIp};Индивидуальный предприниматель Иванова Мария Петровна;ИП Иванова М. П.;Московская обл., г. Химки`,
      `7700100003;7707083894;770701001;${ogrnA};ООО «Опечатка»;ООО «Опечатка»;г. Москва`,
      `77001;${innA};770701001;${ogrnA};Короткий номер;Короткий;г. Москва`,
      `7700100005;${innA};;${ogrnA};Без КПП;Без КПП;г. Москва`,
      `7700100006;${innA};770701001;${ogrnIp};Не тот ОГРН;Не тот;г. Москва`,
      `9900100007;${withInnCheckDigit("990010000")};990001001;${withOgrnCheckDigit("102990010000")};ООО «Неизвестный орган»;ООО «Неизвестный»;где-то`,
      "",
    ].join("\r\n");
    const report = await importRegistry(db(), Readable.from([Buffer.from(csv)]));
    expect(report.fatal).toBeNull();
    expect(report.read).toBe(7);
    expect([report.added, report.updated]).toEqual([2, 0]);
    expect(report.refused.map((r) => r.line)).toEqual([4, 5, 6, 7, 8]);
    expect(report.refused[0].reason).toContain("Контрольные цифры ИНН");
    expect(report.refused[1].reason).toContain("10 цифр");
    expect(report.refused[2].reason).toContain("КПП не указан");
    expect(report.refused[3].reason).toContain("ОГРН из 13 цифр");
    // No office is invented for a region without a branch: the line is refused with its reason.
    expect(report.refused[4]).toEqual({
      line: 8,
      reason: "регион «99» рег. номера 9900100007 неизвестен: ни одно отделение СФР его не обслуживает",
    });
    expect(
      await db().selectFrom("territorial_bodies").select("code").where("code", "=", "9900").executeTakeFirst(),
    ).toBeUndefined();
    const ip = await db()
      .selectFrom("organizations")
      .selectAll()
      .where("regnum", "=", "5000100002")
      .executeTakeFirstOrThrow();
    // Московская область is served by the branch of г. Москва и Московская область.
    expect([ip.kind, ip.kpp, ip.territorial_body_code]).toEqual(["ip", null, "7700"]);
  });

  it("reads , with quoted fields and updates by registration number", async () => {
    const csv = `${HEADER.replaceAll(";", ",")}\n7700100001,${innA},770701001,${ogrnA},"Общество с ограниченной ответственностью «Ромашка-Новая»","ООО «Ромашка-Новая»","г. Москва, ул. Новая, д. 2"\n`;
    const report = await importRegistry(db(), Readable.from([Buffer.from(csv)]));
    expect([report.read, report.added, report.updated, report.refused.length]).toEqual([1, 0, 1, 0]);
    const row = await db()
      .selectFrom("organizations")
      .selectAll()
      .where("regnum", "=", "7700100001")
      .executeTakeFirstOrThrow();
    expect(row.short_name).toBe("ООО «Ромашка-Новая»");
    expect(row.address).toBe("г. Москва, ул. Новая, д. 2");
    expect(row.search_name).toContain("ромашка-новая");
  });

  it("reads the optional sfr_regnum column (either spelling), keeps a known СФР number when a file has none, refuses a taken one", async () => {
    const header = "regnum;sfr_regnum;inn;kpp;ogrn;full_name;short_name;address";
    const csv = [
      header,
      `7700100011;087-001-000011;${innA};770701001;${ogrnA};ООО «Первое»;ООО «Первое»;г. Москва`,
      `7700100012;087001000012;${innA};770701001;${ogrnA};ООО «Второе»;ООО «Второе»;г. Москва`,
      `7700100013;087-001-00001;${innA};770701001;${ogrnA};ООО «Опечатка»;ООО «Опечатка»;г. Москва`,
      `7700100014;087-001-000011;${innA};770701001;${ogrnA};ООО «Чужой номер»;ООО «Чужой»;г. Москва`,
      `7700100015;;${innA};770701001;${ogrnA};ООО «Без номера СФР»;ООО «Без СФР»;г. Москва`,
      "",
    ].join("\n");
    const report = await importRegistry(db(), Readable.from([Buffer.from(csv)]));
    expect([report.added, report.refused.map((r) => r.line)]).toEqual([3, [4, 5]]);
    expect(report.refused[0].reason).toBe(
      "рег. номер СФР «087-001-00001»: Регистрационный номер СФР содержит 12 цифр (XXX-XXX-XXXXXX), а указано 11.",
    );
    expect(report.refused[1].reason).toBe(
      "рег. номер СФР 087-001-000011 уже записан за организацией с рег. номером 7700100011",
    );
    const numbers = await db()
      .selectFrom("organizations")
      .select(["regnum", "sfr_regnum"])
      .where("regnum", "in", ["7700100011", "7700100012", "7700100015"])
      .orderBy("regnum")
      .execute();
    expect(numbers.map((n) => n.sfr_regnum)).toEqual(["087001000011", "087001000012", null]);
    // The old header (no sfr_regnum) updates the organisation and keeps its СФР number.
    const old = `${HEADER}\n7700100011;${innA};770701001;${ogrnA};ООО «Первое-Новое»;ООО «Первое»;г. Москва\n`;
    expect((await importRegistry(db(), Readable.from([Buffer.from(old)]))).updated).toBe(1);
    const kept = await db()
      .selectFrom("organizations")
      .selectAll()
      .where("regnum", "=", "7700100011")
      .executeTakeFirstOrThrow();
    expect([kept.full_name, kept.sfr_regnum]).toEqual(["ООО «Первое-Новое»", "087001000011"]);
  });

  it("stops with a clear message when the header is not the registry's", async () => {
    const report = await importRegistry(db(), Readable.from([Buffer.from("a;b;c\n1;2;3\n")]));
    expect(report.fatal).toContain("нет столбцов: regnum, inn, kpp, ogrn, full_name, short_name, address");
    expect(report.read).toBe(0);
  });
});

describe("npm run registry:import", () => {
  it("prints the report, exits 0 when something was read and non-zero when nothing could be", async () => {
    const dir = tempDir();
    const env = { ...process.env, DATABASE_URL: path.join(dir, "db.sqlite"), SESSION_SECRET: "x".repeat(40) };
    const good = path.join(dir, "registry.csv");
    fs.writeFileSync(
      good,
      `${HEADER}\n7700100001;${innA};770701001;${ogrnA};ООО «Ромашка»;ООО «Ромашка»;г. Москва\n7700100003;7707083894;770701001;${ogrnA};x;x;y\n`,
    );
    const ok = await run(process.execPath, ["--import", "tsx", "scripts/registry-import.ts", good], {
      env,
      cwd: path.resolve(__dirname, "../.."),
    });
    expect(ok.stdout).toContain("Прочитано строк: 2; добавлено: 1; обновлено: 0; отклонено: 1");
    expect(ok.stdout).toContain("строка 3: ИНН «7707083894»");
    const empty = path.join(dir, "empty.csv");
    fs.writeFileSync(empty, "");
    const failed = await run(process.execPath, ["--import", "tsx", "scripts/registry-import.ts", empty], {
      env,
      cwd: path.resolve(__dirname, "../.."),
    }).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
