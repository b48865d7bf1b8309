// Reports as accountants send them in 2026, through the HTTP app on both databases: ЕФС-1 found by its СФР
// number, the real 4-ФСС file of shared/fixtures, identifiers that must agree, corrections, many files and ZIP
// archives at once with «Результаты отправки», the page script's /reports/send, and «Сводка» with its exports.
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { textOf, uploadForm, type FilePart } from "../support/client";
import { registryWith, representativeWithCertificate, submittedProxy } from "../support/flow";
import { efs1Xml, fss4Xml } from "../support/fss4";
import { zipOf } from "../support/zip";
import { pdfText } from "../support/pdf-text";
import { createActiveUser, signedInClient } from "../support/users";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";

const REAL = path.resolve(__dirname, "../../../shared/fixtures/real/reports");
const real = (name: string) => fs.readFileSync(path.join(REAL, name));

// The organisation of the reconstructed ЕФС-1 (СФР 087-001-000001, ИНН 7707083893, КПП 773601001) …
const ROMASHKA = {
  regnum: "7700600001",
  sfrRegnum: "087001000001",
  inn: "7707083893",
  kpp: "773601001",
  ogrn: "1027700132195",
  fullName: "Потребительский кооператив «Ромашка»",
  shortName: "ПК «Ромашка»",
  address: "г. Москва",
};
// … the insurer of the real 4-ФСС file (Башкортостан, no КПП in the file) …
const ECOTECH = {
  regnum: "0274016164",
  inn: "0274176895",
  kpp: "027401001",
  ogrn: "1130280031188",
  fullName: "Общество с ограниченной ответственностью «Экологические технологии и системы»",
  shortName: "ООО «ЭТиС»",
  address: "г. Уфа",
};
const VASILEK = {
  regnum: "7700600002",
  sfrRegnum: "087001000002",
  inn: withInnCheckDigit("770060000"),
  kpp: "770601001",
  ogrn: withOgrnCheckDigit("102770060000"),
  fullName: "АО «Василёк»",
  shortName: "АО «Василёк»",
  address: "г. Москва",
};
// … and one in the registry that this representative does not serve.
const STRANGER = {
  regnum: "7700600003",
  sfrRegnum: "087001000003",
  inn: withInnCheckDigit("770060001"),
  kpp: "770601002",
  ogrn: withOgrnCheckDigit("102770060001"),
  fullName: "ООО «Чужое»",
  shortName: "ООО «Чужое»",
  address: "г. Москва",
};

const romashka = (o: Partial<Parameters<typeof efs1Xml>[0]> = {}) =>
  efs1Xml({ number: "087-001-000001", inn: ROMASHKA.inn, kpp: ROMASHKA.kpp, ...o });
const vasilek = (o: Partial<Parameters<typeof efs1Xml>[0]> = {}) =>
  efs1Xml({ number: "087-001-000002", inn: VASILEK.inn, kpp: VASILEK.kpp, ...o });

describe.each(databaseKinds)("ЕФС-1, batches and the summary on %s", (kind) => {
  let app: TestApp;
  let ids: Record<string, number>;
  let rep: Awaited<ReturnType<typeof representativeWithCertificate>>;
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 0 });
    await app.database.handle.db
      .insertInto("territorial_bodies")
      .values({
        code: "0274",
        name: "ОСФР по Республике Башкортостан",
        region: "Республика Башкортостан",
        email: "office0274@sfr.example.ru",
        time_zone: "Asia/Yekaterinburg",
      })
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
    ids = await registryWith(app, [ROMASHKA, ECOTECH, VASILEK, STRANGER]);
    rep = await representativeWithCertificate(app);
    for (const org of [ROMASHKA, ECOTECH, VASILEK])
      await submittedProxy(app, rep, ids[org.regnum], ["2026-01-01", "2027-06-30"]);
    await app.database.handle.db
      .updateTable("proxies")
      .set({ status: "approved" })
      .where("representative_id", "=", rep.id)
      .execute();
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(() => app.clock.set("2026-11-23T09:00:00.000Z"));
  const db = () => app.database.handle.db;
  const rows = () =>
    db().selectFrom("report_submissions").selectAll().where("representative_id", "=", rep.id).orderBy("id").execute();
  const file = (name: string, bytes: Buffer): FilePart => ({
    field: "reports",
    name,
    bytes,
    type: name.endsWith(".zip") ? "application/zip" : "text/xml",
  });
  async function send(...files: FilePart[]) {
    await rep.client.get("/reports");
    return uploadForm(rep.client, "/reports", {}, files);
  }
  const results = (html: string) => {
    const start = html.indexOf('aria-label="Результаты отправки"');
    return start < 0 ? "" : textOf(html.slice(start, html.indexOf("</table>", start)));
  };
  const session = () => ({ Cookie: `sedo_session=${rep.client.cookie("sedo_session")}` });

  it("accepts the reconstructed ЕФС-1 of shared/fixtures by its СФР number, no organisation chosen; the receipt names the form", async () => {
    const res = await send(file("efs1-2026-section2-reconstructed.xml", real("efs1-2026-section2-reconstructed.xml")));
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toMatch(/Отчёт принят\. Квитанция № 2026-7700600001-\d{7}/);
    const row = (await rows()).at(-1)!;
    expect([
      row.form,
      row.regnum,
      row.sfr_regnum,
      row.period,
      row.year,
      row.correction,
      row.filled_on,
      row.organization_id,
    ]).toEqual(["EFS-1", ROMASHKA.regnum, ROMASHKA.sfrRegnum, "03", 2026, 0, "2026-04-10", ids[ROMASHKA.regnum]]);
    const pdf = await fetch(`${app.url}/reports/${row.id}/receipt`, { headers: session() });
    const printed = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    for (const s of [
      "расчёта по форме ЕФС-1, раздел 2",
      "ЕФС-1, раздел 2, первичный — раздел 2 (ОСС)",
      "7700600001 (СФР: 087-001-000001)",
      "I квартал 2026 г.",
    ]) {
      expect(printed, s).toContain(s);
    }
    await app.deliverMail();
    const letter = app.smtp.lastTo(rep.email);
    expect(letter.subject).toContain("ЕФС-1, раздел 2, первичный");
    expect(textOf((await rep.client.get("/reports")).html)).toContain("ЕФС-1, раздел 2, первичный");
  });

  it("accepts the real 4-ФСС file of shared/fixtures (9 months 2019, windows-1251, no КПП) by its ФСС number", async () => {
    const res = await send(file("4fss-0274016164-2019-09-real.xml", real("4fss-0274016164-2019-09-real.xml")));
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toMatch(/Отчёт принят\. Квитанция № 2019-0274016164-\d{7}/);
    expect((await rows()).at(-1)).toMatchObject({
      form: "4-FSS",
      regnum: ECOTECH.regnum,
      period: "09",
      year: 2019,
      correction: 0,
    });
  });

  it.each([
    [
      "ИНН of another organisation",
      () => romashka({ inn: VASILEK.inn, period: "06" }),
      `ИНН в отчёте (${VASILEK.inn}) не совпадает с ИНН организации ПК «Ромашка» (7707083893)`,
    ],
    [
      "КПП of another organisation",
      () => romashka({ kpp: "773601002", period: "06" }),
      "КПП в отчёте (773601002) не совпадает с КПП организации ПК «Ромашка» (773601001)",
    ],
    [
      "4-ФСС for a period from 2023",
      () => fss4Xml({ regnum: ROMASHKA.regnum, inn: ROMASHKA.inn, kpp: ROMASHKA.kpp, year: 2025, period: "06" }),
      "расчёт 4-ФСС принимается только за периоды по 2022 год",
    ],
    [
      "ЕФС-1 for a period before 2023",
      () => romashka({ year: 2022, period: "06" }),
      "за «полугодие 2022 г.» отправьте расчёт 4-ФСС",
    ],
    [
      "an organisation not served",
      () => efs1Xml({ number: "087-001-000003", inn: STRANGER.inn, kpp: STRANGER.kpp }),
      "Организации с рег. номером СФР 087-001-000003 нет в вашем списке представляемых",
    ],
    ["ЕФС-1 without section 2", () => romashka({ section2: false, persons: 2 }), "нет раздела 2 (ОСС)"],
    ["a period that has not ended", () => romashka({ period: "12" }), "«год 2026 г.» ещё не закончился"],
  ])("refuses %s, naming what is wrong, and records it", async (_name, make, message) => {
    const before = (await rows()).length;
    const res = await send(file("r.xml", make()));
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain(message);
    const added = (await rows()).slice(before);
    expect(added).toHaveLength(1);
    expect([added[0].status, added[0].stored_path]).toEqual(["rejected", null]);
    expect(added[0].reason).toContain(message);
  });

  it("accepts a correction under the same period, refuses a second initial report and a used correction number", async () => {
    // I quarter 2026 was accepted above (the reconstructed file).
    const second = await send(file("again.xml", romashka({ period: "03", year: 2026, guid: "second-initial" })));
    expect(second.status).toBe(422);
    expect(textOf(second.html)).toMatch(
      /За «I квартал 2026 г\.» по организации ПК «Ромашка» уже принят расчёт \(первичный, квитанция № 2026-7700600001-\d{7}\)\. Исправления отправляются уточнённым расчётом: номер корректировки 001\./,
    );
    const corrected = await send(file("corr1.xml", romashka({ period: "03", year: 2026, correction: "001" })));
    expect(corrected.status).toBe(200);
    const row = (await rows()).at(-1)!;
    expect([row.status, row.correction, row.period]).toEqual(["accepted", 1, "03"]);
    const journal = textOf((await rep.client.get("/reports?period=03&year=2026")).html);
    expect(journal).toContain("ЕФС-1, раздел 2, уточнённый (1)");
    const printed = await pdfText(
      new Uint8Array(await (await fetch(`${app.url}/reports/${row.id}/receipt`, { headers: session() })).arrayBuffer()),
    );
    expect(printed).toContain("уточнённый (1)");
    // The same correction file again is a duplicate (its receipt back); another file with number 001 is refused.
    expect(
      textOf((await send(file("corr1-copy.xml", romashka({ period: "03", year: 2026, correction: "001" })))).html),
    ).toContain("Этот файл уже принят");
    const reused = await send(
      file("corr1b.xml", romashka({ period: "03", year: 2026, correction: "001", guid: "other" })),
    );
    expect(textOf(reused.html)).toContain(
      "номер корректировки 001 уже использован. Следующий уточнённый расчёт — с номером 002.",
    );
    // Neither the duplicate nor the refused correction leaves a stored report file: one per accepted row.
    const storedReports = () =>
      fs
        .readdirSync(path.join(app.config.uploadsDir, "reports"), { recursive: true })
        .filter((n) => String(n).endsWith(".xml"));
    const accepted = await db()
      .selectFrom("report_submissions")
      .select("id")
      .where("status", "=", "accepted")
      .where("stored_path", "is not", null)
      .execute();
    expect(storedReports()).toHaveLength(accepted.length);
    // Two different corrections with the same number at once: exactly one is accepted.
    const [a, b] = await Promise.all([
      send(file("c2a.xml", romashka({ period: "03", year: 2026, correction: "002", guid: "a" }))),
      send(file("c2b.xml", romashka({ period: "03", year: 2026, correction: "002", guid: "b" }))),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 422]);
    expect(
      (await rows()).filter((r) => r.status === "accepted" && r.correction === 2 && r.period === "03"),
    ).toHaveLength(1);
  });

  it("takes many files at once, each finding its own organisation; «Результаты отправки» lists every one", async () => {
    const before = (await rows()).length;
    const res = await send(
      file("vasilek-06.xml", vasilek({ period: "06" })),
      file("wrong-inn.xml", vasilek({ period: "09", inn: ROMASHKA.inn })),
      file("notes.txt", Buffer.from("это не отчёт")),
      file(
        "ecotech-2022.xml",
        fss4Xml({ regnum: ECOTECH.regnum, inn: ECOTECH.inn, kpp: null, period: "3", year: 2022 }),
      ),
    );
    expect(res.status).toBe(200);
    const table = results(res.html);
    expect(textOf(res.html)).toContain("Файлов: 4. Принято: 2. Не принято: 2.");
    expect(table).toMatch(
      /vasilek-06\.xml АО «Василёк» рег\. № 7700600002 ЕФС-1, раздел 2, первичный полугодие 2026 г\. Принят квитанция № 2026-7700600002-\d{7}/,
    );
    expect(table).toContain("wrong-inn.xml АО «Василёк»");
    expect(table).toContain("Не принят ИНН в отчёте (7707083893) не совпадает");
    expect(table).toContain("notes.txt — — Не принят Файл не является корректным XML");
    expect(table).toMatch(/ecotech-2022\.xml ООО «ЭТиС» рег\. № 0274016164 4-ФСС, первичный I квартал 2022 г\. Принят/);
    const added = (await rows()).slice(before);
    expect(added.map((r) => [r.original_name, r.status])).toEqual([
      ["vasilek-06.xml", "accepted"],
      ["wrong-inn.xml", "rejected"],
      ["notes.txt", "rejected"],
      ["ecotech-2022.xml", "accepted"],
    ]);
  });

  it("unpacks a ZIP export folder; refuses a ZIP bomb and a ZIP with ../ paths, recording why", async () => {
    const before = (await rows()).length;
    const folder = zipOf([
      { name: "Выгрузка/ЕФС-1/vasilek-09.xml", bytes: vasilek({ period: "09" }) },
      { name: "Выгрузка/ЕФС-1/romashka-06.xml", bytes: romashka({ period: "06" }) },
      { name: "Выгрузка/опись.pdf", bytes: Buffer.from("%PDF-1.4") },
    ]);
    const res = await send(file("выгрузка.zip", folder));
    expect(res.status).toBe(200);
    const table = results(res.html);
    expect(table).toMatch(/vasilek-09\.xml из архива выгрузка\.zip АО «Василёк».*Принят/);
    expect(table).toMatch(/romashka-06\.xml из архива выгрузка\.zip ПК «Ромашка».*Принят/);
    expect(table).toContain("опись.pdf из архива выгрузка.zip — — Пропущен не XML-файл: пропущен");
    const bomb = zipOf([{ name: "bomb.xml", bytes: Buffer.alloc(64 * 1024 * 1024) }]);
    const climbing = zipOf([{ name: "../../evil.xml", bytes: romashka({ period: "09" }) }]);
    const refused = await send(file("bomb.zip", bomb), file("climbing.zip", climbing));
    expect(refused.status).toBe(422);
    expect(results(refused.html)).toMatch(/bomb\.zip — — Не принят Файл «bomb\.xml» в архиве распаковывается в 64 МБ/);
    expect(results(refused.html)).toContain(
      "climbing.zip — — Не принят В архиве есть файл с путём «../../evil.xml», который ведёт за пределы архива",
    );
    const added = (await rows()).slice(before);
    expect(added.map((r) => [r.original_name, r.status, r.refusal_rule])).toEqual([
      ["vasilek-09.xml", "accepted", null],
      ["romashka-06.xml", "accepted", null],
      ["bomb.zip", "rejected", "archive-readable"],
      ["climbing.zip", "rejected", "archive-readable"],
    ]);
    expect(added.filter((r) => r.status === "rejected").every((r) => r.stored_path === null)).toBe(true);
  });

  it("refuses more than 500 files at once, reading and recording none of them", async () => {
    const before = (await rows()).length;
    const many = Array.from({ length: 501 }, (_, i) => file(`${i}.xml`, Buffer.from("<a/>")));
    const res = await send(...many);
    expect(res.status).toBe(413);
    expect(textOf(res.html)).toContain("За один раз принимается не более 500 файлов: отправьте их частями.");
    expect(await rows()).toHaveLength(before);
  });

  it("answers the page script on /reports/send with JSON lines, checking the CSRF token", async () => {
    await rep.client.get("/reports");
    const form = new FormData();
    form.set("csrf", rep.client.csrf);
    form.append(
      "reports",
      new Blob([
        new Uint8Array(fss4Xml({ regnum: ECOTECH.regnum, inn: ECOTECH.inn, kpp: null, period: "06", year: 2022 })),
      ]),
      "e.xml",
    );
    const res = await fetch(`${app.url}/reports/send`, {
      method: "POST",
      body: form,
      headers: { ...session(), Origin: app.url },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { lines: Array<{ outcome: string; receiptNumber: string; fileName: string }> };
    expect(body.lines).toHaveLength(1);
    expect(body.lines[0]).toMatchObject({ outcome: "accepted", fileName: "e.xml" });
    expect(body.lines[0].receiptNumber).toMatch(/^2022-0274016164-/);
    const forged = new FormData();
    forged.set("csrf", "wrong");
    forged.append("reports", new Blob([new Uint8Array(Buffer.from("<a/>"))]), "x.xml");
    const refused = await fetch(`${app.url}/reports/send`, {
      method: "POST",
      body: forged,
      headers: { ...session(), Origin: app.url },
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toContain("Страница устарела");
  });

  it("«Сводка» shows organisations × periods and who has not reported for the last ended period; CSV and XLSX carry the same", async () => {
    const page = await rep.client.get("/reports/summary?year=2026");
    expect(page.status).toBe(200);
    const start = page.html.indexOf('aria-label="Сводка"');
    const table = textOf(page.html.slice(start, page.html.indexOf("</table>", start)));
    expect(table).toMatch(
      /ПК «Ромашка» рег\. № 7700600001, СФР 087-001-000001, ИНН 7707083893 Утверждено Уточнён \(2\) квитанция Принят квитанция Не отправлен Не принят Отчётный период «год 2026 г\.» ещё не закончился/,
    );
    expect(table).toMatch(/АО «Василёк» .* Утверждено Не отправлен Принят квитанция Принят квитанция Не отправлен/);
    expect(table).toMatch(/ООО «ЭТиС» .* Утверждено Не отправлен Не отправлен Не отправлен Не отправлен/);
    // Today is 23 November 2026: the last ended period is 9 months 2026; Василёк has reported for it.
    expect(textOf((await rep.client.get("/reports/summary?year=20x6")).html)).toContain(
      "Год — четыре цифры не позже 2026, например 2026 (введено «20x6»). Показан год последнего закончившегося периода.",
    );
    const missing = await rep.client.get("/reports/summary?missing=1");
    expect(textOf(missing.html)).toContain("Не отправлено за 9 месяцев 2026 г.: 2 из 3 организаций.");
    const missingTable = textOf(missing.html.slice(missing.html.indexOf('aria-label="Сводка"')));
    expect(missingTable).toContain("ПК «Ромашка»");
    expect(missingTable).toContain("ООО «ЭТиС»");
    expect(missingTable).not.toContain("АО «Василёк»");
    const csv = await fetch(`${app.url}/reports/summary.csv?year=2026`, { headers: session() });
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toContain('filename="svodka-2026.csv"');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).split("\r\n");
    expect(lines[0]).toBe(
      "Регистрационный номер;Рег. номер СФР;ИНН;Наименование;Статус доверенности;I квартал 2026 г.;полугодие 2026 г.;9 месяцев 2026 г.;год 2026 г.",
    );
    expect(lines.find((l) => l.startsWith("0274016164"))).toBe(
      "0274016164;;0274176895;ООО «ЭТиС»;Утверждено;Не отправлен;Не отправлен;Не отправлен;Не отправлен",
    );
    expect(lines.find((l) => l.startsWith("7700600001"))).toMatch(
      /^7700600001;087-001-000001;7707083893;ПК «Ромашка»;Утверждено;Уточнён \(2\), квитанция № 2026-7700600001-\d{7};Принят, квитанция № 2026-7700600001-\d{7};Не отправлен;Не принят: Отчётный период «год 2026 г\.» ещё не закончился: отчёт за него принимается после 31\.12\.2026\.$/,
    );
    const xlsx = await fetch(`${app.url}/reports/summary.xlsx?missing=1`, { headers: session() });
    expect(xlsx.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.getWorksheet("Сводка 2026")!;
    expect(sheet.getRow(1).getCell(8).text).toBe("9 месяцев 2026 г.");
    const names = [2, 3, 4].map((r) => sheet.getRow(r).getCell(4).text);
    expect(names.filter(Boolean).sort()).toEqual(["ООО «ЭТиС»", "ПК «Ромашка»"]);
    expect(sheet.getRow(2).getCell(1).text).toMatch(/^\d{10}$/);
    // Another representative sees none of this.
    const someone = await createActiveUser(db(), { surname: "Другая", givenName: "Анна", patronymic: "" });
    const other = await signedInClient(app.url, someone.email);
    expect(textOf((await other.get("/reports/summary?year=2026")).html)).toContain(
      "В списке представляемых пока нет организаций.",
    );
  });

  it("finds an organisation in the registry by its СФР number, with or without dashes", async () => {
    for (const q of ["087-001-000001", "087001000001"]) {
      const page = await rep.client.get(`/profile/representative/search?regnum=${q}`);
      expect(textOf(page.html)).toContain("ПК «Ромашка»");
      expect(textOf(page.html)).toContain("СФР 087-001-000001");
    }
    expect(textOf((await rep.client.get("/profile/representative/search?regnum=087-001-00000")).html)).toContain(
      "Регистрационный номер — 10 цифр (ФСС) или 12 цифр (СФР, XXX-XXX-XXXXXX), а указано 11.",
    );
  });
});
