// The SEDO gateway through the HTTP app: reports (4-ФСС for periods up to 2022, ЕФС-1 from 2023) accepted only
// for approved, in-term proxies with a valid certificate and an ended period; receipts; refusals recorded; the API.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { postDeclaringLength, textOf, uploadForm, type BrowserClient } from "../support/client";
import { registryWith, representativeWithCertificate, setTerm, submittedProxy } from "../support/flow";
import { efs1Xml, fss4Xml } from "../support/fss4";
import { assertDocumented } from "../support/openapi";
import { signedInClient } from "../support/users";
import { pdfText } from "../support/pdf-text";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";
import { expireEndedProxies } from "../../app/review/jobs.server";
import { madeFilePath } from "../../app/web/stored-files.server";

const ROMASHKA = {
  regnum: "7700500001",
  sfrRegnum: "087001000001",
  inn: "7707083893",
  kpp: "770701001",
  ogrn: "1027700132195",
  fullName: "Общество с ограниченной ответственностью «Ромашка»",
  shortName: "ООО «Ромашка»",
  address: "г. Москва",
};
const OTHER = {
  regnum: "7700500002",
  inn: withInnCheckDigit("770050000"),
  kpp: "770501001",
  ogrn: withOgrnCheckDigit("102770050000"),
  fullName: "АО «Другое»",
  shortName: "АО «Другое»",
  address: "г. Москва",
};

describe.each(databaseKinds)("4-ФСС intake on %s", (kind) => {
  let app: TestApp;
  let ids: Record<string, number>;
  let rep: { id: number; email: string; client: BrowserClient };
  let proxyId: number;
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 10 });
    ids = await registryWith(app, [ROMASHKA, OTHER]);
    rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids[ROMASHKA.regnum], ["2026-01-01", "2027-06-30"]);
    proxyId = proxy.id;
    await submittedProxy(app, rep, ids[OTHER.regnum]); // stays «На проверке»
  });
  afterAll(async () => {
    await app?.close();
  });
  const db = () => app.database.handle.db;
  const receiptFile = (id: number) => madeFilePath(app.config.uploadsDir, "receipts", id);
  beforeEach(async () => {
    app.clock.set("2026-11-23T09:00:00.000Z");
    await db()
      .updateTable("proxies")
      .set({ status: "approved", valid_from: "2026-01-01", valid_to: "2027-06-30" })
      .where("id", "=", proxyId)
      .execute();
    await db()
      .updateTable("certificates")
      .set({ not_after: "2027-10-23T15:00:41.000Z" })
      .where("user_id", "=", rep.id)
      .execute();
  });

  async function send(organizationId: number | null, bytes: Buffer, name = "4fss.xml") {
    await rep.client.get("/reports");
    return uploadForm(rep.client, "/reports", organizationId ? { organization: String(organizationId) } : {}, {
      field: "reports",
      name,
      bytes,
      type: "text/xml",
    });
  }
  const journalOf = (html: string) =>
    textOf(
      html.slice(
        html.indexOf('aria-label="Журнал отправок"'),
        html.indexOf("</table>", html.indexOf('aria-label="Журнал отправок"')),
      ),
    );
  const rows = () =>
    db().selectFrom("report_submissions").selectAll().where("representative_id", "=", rep.id).orderBy("id").execute();

  it("accepts a report for an approved, in-term proxy: receipt number, stored file, letter, receipt PDF", async () => {
    const xml = fss4Xml({ regnum: ROMASHKA.regnum, period: "09", year: 2022 });
    const res = await send(ids[ROMASHKA.regnum], xml);
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toMatch(/Отчёт принят\. Квитанция № 2022-7700500001-\d{7}/);
    const row = (await rows()).at(-1)!;
    expect([row.status, row.regnum, row.period, row.year, row.via, row.form, row.correction]).toEqual([
      "accepted",
      ROMASHKA.regnum,
      "09",
      2022,
      "web",
      "4-FSS",
      0,
    ]);
    expect(row.stored_path).toMatch(/^reports\//);
    const pdf = await fetch(`${app.url}/reports/${row.id}/receipt`, {
      headers: { Cookie: `sedo_session=${rep.client.cookie("sedo_session")}` },
    });
    expect(pdf.status).toBe(200);
    const pdfBytes = new Uint8Array(await pdf.arrayBuffer());
    const doc = await PDFDocument.load(pdfBytes);
    const printed = await pdfText(pdfBytes);
    for (const s of [
      "КВИТАНЦИЯ О ПРИЁМЕ",
      row.receipt_number!,
      "Общество с ограниченной ответственностью «Ромашка»",
      ROMASHKA.regnum,
      "9 месяцев 2022 г.",
      "4-ФСС, первичный",
      "23.11.2026, 12:00 (МСК)",
      "Иванова Мария Петровна",
    ]) {
      expect(printed, s).toContain(s);
    }
    expect(printed.replace(/ /g, "")).toContain(row.sha256); // printed in groups of eight
    expect(doc.getTitle()).toBe(`Квитанция о приёме № ${row.receipt_number}`);
    expect(doc.getSubject()).toContain(`рег. номер ${ROMASHKA.regnum}`);
    expect(doc.getSubject()).toContain("9 месяцев 2022 г.");
    expect(doc.getSubject()).toContain(row.sha256);
    await app.deliverMail();
    const letter = app.smtp.lastTo(rep.email);
    expect(letter.subject).toContain(`квитанция № ${row.receipt_number}`);
    expect(letter.text).toContain(row.sha256);
    const attached = letter.parsed.attachments.find((a) => a.contentType === "application/pdf");
    expect(attached?.filename).toBe(`kvitanciya-${row.receipt_number}.pdf`);
    expect(await pdfText(new Uint8Array(attached!.content))).toContain(row.receipt_number!);
    const journal = textOf((await rep.client.get("/reports")).html);
    expect(journal).toContain(`квитанция № ${row.receipt_number}`);
  });

  it("makes the receipt once, after the answer, and keeps it: the kept PDF is the one downloaded and mailed", async () => {
    const res = await send(ids[ROMASHKA.regnum], fss4Xml({ regnum: ROMASHKA.regnum, period: "06", year: 2022 }));
    expect(res.status).toBe(200);
    const row = (await rows()).at(-1)!;
    expect(row.status).toBe("accepted");
    // Asked for at once, it waits for the one rendering under way; it is kept within two seconds of the answer.
    const cookie = { Cookie: `sedo_session=${rep.client.cookie("sedo_session")}` };
    const first = new Uint8Array(
      await (await fetch(`${app.url}/reports/${row.id}/receipt`, { headers: cookie })).arrayBuffer(),
    );
    const file = receiptFile(row.id);
    let kept: Buffer | null = null;
    for (const started = Date.now(); !kept && Date.now() - started < 2000; await new Promise((r) => setTimeout(r, 20)))
      kept = fs.existsSync(file) ? fs.readFileSync(file) : null;
    expect(kept, "kept within 2 s").not.toBeNull();
    expect(Buffer.from(first).equals(kept!)).toBe(true);
    // Nothing but the whole file is left in its folder (the temporary name it was written under is gone).
    expect(fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${row.id}.`))).toEqual([`${row.id}.pdf`]);
    const again = new Uint8Array(
      await (await fetch(`${app.url}/reports/${row.id}/receipt`, { headers: cookie })).arrayBuffer(),
    );
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    const attachments = await db()
      .selectFrom("outbox_attachments")
      .innerJoin("outbox", "outbox.id", "outbox_attachments.outbox_id")
      .select(["outbox_attachments.generated", "outbox_attachments.generated_ref", "outbox_attachments.content"])
      .where("outbox_attachments.generated_ref", "=", row.id)
      .execute();
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({ generated: "report-receipt", generated_ref: row.id });
    expect(attachments[0].content.length).toBe(0); // the letter keeps no copy of its own
    await app.deliverMail();
    const mailed = app.smtp
      .lastTo(rep.email)
      .parsed.attachments.find((a) => a.filename === `kvitanciya-${row.receipt_number}.pdf`);
    expect(mailed && Buffer.from(mailed.content).equals(Buffer.from(first))).toBe(true);
  });

  it("a receipt that was never kept (the process stopped first) is made from its row when asked for, and for the letter — the same bytes", async () => {
    const res = await send(ids[ROMASHKA.regnum], fss4Xml({ regnum: ROMASHKA.regnum, period: "03", year: 2022 }));
    expect(res.status).toBe(200);
    const row = (await rows()).at(-1)!;
    const cookie = { Cookie: `sedo_session=${rep.client.cookie("sedo_session")}` };
    // The intake's rendering (from the facts it had at hand) is over once this answers.
    const atIntake = Buffer.from(
      await (await fetch(`${app.url}/reports/${row.id}/receipt`, { headers: cookie })).arrayBuffer(),
    );
    fs.rmSync(receiptFile(row.id));
    await app.deliverMail();
    const mailed = app.smtp
      .lastTo(rep.email)
      .parsed.attachments.find((a) => a.filename === `kvitanciya-${row.receipt_number}.pdf`);
    expect(mailed, "the letter still carries the receipt").toBeDefined();
    expect(await pdfText(new Uint8Array(mailed!.content))).toContain(row.receipt_number!);
    // Made again from the submission's row, it is byte for byte the one the intake made.
    expect(Buffer.from(mailed!.content).equals(atIntake)).toBe(true);
    expect(fs.readFileSync(receiptFile(row.id)).equals(atIntake)).toBe(true);
    const pdf = await fetch(`${app.url}/reports/${row.id}/receipt`, { headers: cookie });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).equals(atIntake)).toBe(true);
  });

  it("answers the same file sent again with the first receipt, recording and mailing nothing new, also when two race", async () => {
    const xml = fss4Xml({ regnum: ROMASHKA.regnum, period: "03", year: 2021 });
    const first = await send(ids[ROMASHKA.regnum], xml);
    expect(first.status).toBe(200);
    const receipt = textOf(first.html).match(/Квитанция № (\d{4}-\d{10}-\d{7})/)![1];
    const before = (await rows()).length;
    await app.deliverMail();
    const letters = app.smtp.to(rep.email).length;
    app.clock.set("2026-11-23T09:20:00.000Z"); // twenty minutes later
    const again = await send(ids[ROMASHKA.regnum], xml, "copy.xml");
    expect(again.status).toBe(200);
    expect(textOf(again.html).replace(/\s+([.,])/g, "$1")).toContain(
      `Этот файл уже принят 23.11.2026, 12:00, квитанция № ${receipt}. Повторно он не отправлялся.`,
    );
    expect(await rows()).toHaveLength(before);
    await app.deliverMail();
    expect(app.smtp.to(rep.email).length).toBe(letters);
    // Two identical files at the same moment (the second request's check runs before the first commits):
    // exactly one acceptance, both answers carry its receipt.
    const racing = fss4Xml({ regnum: ROMASHKA.regnum, period: "06", year: 2021 });
    const [a, b] = await Promise.all([send(ids[ROMASHKA.regnum], racing), send(ids[ROMASHKA.regnum], racing)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const accepted = (await rows()).filter((r) => r.status === "accepted" && r.period === "06" && r.year === 2021);
    expect(accepted).toHaveLength(1);
    for (const page of [a, b]) expect(textOf(page.html)).toContain(accepted[0].receipt_number!);
  });

  it.each([
    [
      "a report of another organisation than the chosen one",
      () => fss4Xml({ regnum: OTHER.regnum }),
      "Отчёт подан за страхователя с рег. номером 7700500002, а выбрана организация ООО «Ромашка» (рег. номер 7700500001)",
    ],
    [
      "a period that has not ended",
      () => efs1Xml({ number: "087-001-000001", kpp: ROMASHKA.kpp, period: "12", year: 2026 }),
      "Отчётный период «год 2026 г.» ещё не закончился",
    ],
    [
      "an XML bomb",
      () =>
        Buffer.from(
          `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><F4REPORT><TITLE REG_NUM="&b;"/></F4REPORT>`,
        ),
      "DOCTYPE",
    ],
    [
      "an external entity",
      () =>
        Buffer.from(
          `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><F4REPORT><TITLE REG_NUM="&x;"/></F4REPORT>`,
        ),
      "DOCTYPE",
    ],
    [
      "a file that is not XML",
      () => Buffer.from("%PDF-1.7 not a report"),
      "Файл не является корректным XML: это не XML-файл (он начинается с «%PDF-1.7 not»). Выберите файл отчёта в формате XML.",
    ],
    [
      "nesting 120 elements deep",
      () => Buffer.from(`<?xml version="1.0"?>${"<a>".repeat(120)}${"</a>".repeat(120)}`),
      "Структура файла не похожа на отчёт: элементы вложены глубже 64 уровней.",
    ],
    [
      "500 000 attributes on one element (4.9 MB)",
      () =>
        Buffer.from(
          `<?xml version="1.0"?><F4REPORT><TITLE ${Array.from({ length: 500_000 }, (_, i) => `a${i.toString(36)}="1"`).join(" ")}/></F4REPORT>`,
        ),
      "Структура файла не похожа на отчёт: у одного элемента больше 200 атрибутов.",
    ],
    [
      "an element named __proto__",
      () => Buffer.from(`<?xml version="1.0"?><F4REPORT><__proto__><TITLE/></__proto__></F4REPORT>`),
      "Файл не удалось разобрать: элемент или атрибут с недопустимым именем «__proto__».",
    ],
    [
      "an element named constructor",
      () => Buffer.from(`<?xml version="1.0"?><F4REPORT><constructor/></F4REPORT>`),
      "Файл не удалось разобрать: элемент или атрибут с недопустимым именем «constructor».",
    ],
  ])("refuses %s and records the refusal", async (_name, make, message) => {
    const before = (await rows()).length;
    const started = Date.now();
    const res = await send(ids[ROMASHKA.regnum], make());
    expect(res.status).toBe(422);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(textOf(res.html)).toContain(message);
    const all = await rows();
    expect(all).toHaveLength(before + 1);
    expect(all.at(-1)!.status).toBe("rejected");
    expect(all.at(-1)!.reason).toContain(message);
    expect(all.at(-1)!.stored_path).toBeNull();
  });

  it("refuses a file over 5 MB in the form (recorded, nothing stored), and a body over the limit unread", async () => {
    const before = (await rows()).length;
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x20); // one byte over
    const web = await send(ids[ROMASHKA.regnum], big);
    expect(web.status).toBe(422);
    expect(textOf(web.html)).toContain("Файл больше 5 МБ");
    const refused = (await rows()).slice(before);
    expect(refused.map((r) => [r.status, r.refusal_rule, r.stored_path])).toEqual([
      ["rejected", "file-readable", null],
    ]);
    // A form body declaring more than a batch may carry (60 MB) is refused before a byte of it is read.
    const page = await postDeclaringLength(`${app.url}/reports`, 61 * 1024 * 1024, {
      Origin: app.url,
      Cookie: `sedo_session=${rep.client.cookie("sedo_session")}`,
    });
    expect(page.status).toBe(413);
    expect(page.body).toContain("Файлы слишком велики");
    await rep.client.get("/profile/api-tokens");
    const created = await rep.client.post("/profile/api-tokens", { intent: "create", name: "Проверка размера" });
    const token = created.html.match(/sedo_[A-Za-z0-9_-]{40,}/)![0];
    // Over the API a 9 MiB declared length is refused before a byte of it is read.
    const api = await postDeclaringLength(`${app.url}/api/v1/reports`, 9 * 1024 * 1024, {
      Authorization: `Bearer ${token}`,
    });
    expect(api.status).toBe(413);
    expect((JSON.parse(api.body) as { error: string }).error).toContain("Файл больше 5 МБ");
    assertDocumented("post", "/reports", 413, JSON.parse(api.body));
    expect(await rows()).toHaveLength(before + 1);
  });

  it("reads an unknown sender's small upload to the end before its 401, so the client sees the answer, not a reset", async () => {
    // The body comes in two parts 150 ms apart, as a slow client sends it: the answer must come after both.
    const boundary = "zz";
    const part = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="report"; filename="r.xml"\r\n\r\n`,
    );
    const end = Buffer.from(`\r\n--${boundary}--\r\n`);
    const filler = Buffer.alloc(30 * 1024, 0x61);
    const length = part.length + 2 * filler.length + end.length;
    const answer = await new Promise<{ status: number; afterBody: boolean; body: string }>((resolve, reject) => {
      let bodySent = false;
      const req = http.request(`${app.url}/api/v1/reports`, {
        method: "POST",
        headers: {
          "Content-Type": `multipart/form-data; boundary=${boundary}`,
          "Content-Length": String(length),
          Authorization: "Bearer sedo_" + "y".repeat(43),
        },
      });
      req.on("response", (res) => {
        const afterBody = bodySent;
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, afterBody, body }));
      });
      req.on("error", reject);
      req.write(Buffer.concat([part, filler]));
      setTimeout(() => {
        req.end(Buffer.concat([filler, end]), () => (bodySent = true));
      }, 150);
    });
    expect(answer).toMatchObject({ status: 401, afterBody: true });
    expect((JSON.parse(answer.body) as { error: string }).error).toContain("недействителен");
  });

  it("answers an over-limit upload without a declared length (chunked) with 413, not a reset", async () => {
    await rep.client.get("/profile/api-tokens");
    const created = await rep.client.post("/profile/api-tokens", { intent: "create", name: "Chunked" });
    const token = created.html.match(/sedo_[A-Za-z0-9_-]{40,}/)![0];
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${app.url}/api/v1/reports`, {
        method: "POST",
        headers: { "Content-Type": "multipart/form-data; boundary=zz", Authorization: `Bearer ${token}` },
      });
      let written = 0;
      let timer: NodeJS.Timeout | undefined;
      req.on("response", (res) => {
        clearInterval(timer);
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", (e) => (written > 12 * 1024 * 1024 ? reject(e) : undefined));
      req.write('--zz\r\nContent-Disposition: form-data; name="report"; filename="big.xml"\r\n\r\n');
      // 1 MiB every 5 ms, up to 12 MiB: the answer must come first.
      timer = setInterval(() => {
        if (written >= 12 * 1024 * 1024) return clearInterval(timer);
        req.write(Buffer.alloc(1024 * 1024, 0x61));
        written += 1024 * 1024;
      }, 5);
    });
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { error: string }).error).toContain("Файл больше 5 МБ");
  });

  it("does not read an upload from someone unknown: no session on the page, no valid token on the API", async () => {
    // Each request declares 1 MiB but sends only its first line: an answer proves the body was never awaited.
    const page = await postDeclaringLength(`${app.url}/reports`, 1024 * 1024, { Origin: app.url });
    expect(page.status).toBe(302);
    const api = await postDeclaringLength(`${app.url}/api/v1/reports`, 1024 * 1024, {
      Authorization: "Bearer sedo_" + "x".repeat(43),
    });
    expect(api.status).toBe(401);
    expect((JSON.parse(api.body) as { error: string }).error).toContain("недействителен");
    const poa = await postDeclaringLength(`${app.url}/profile/representative/proxies/${proxyId}/poa`, 1024 * 1024, {
      Origin: app.url,
    });
    expect(poa.status).toBe(302);
  });

  it("refuses when the proxy is not approved, when the term has ended, or when the certificate is not valid today", async () => {
    const inReview = await send(ids[OTHER.regnum], fss4Xml({ regnum: OTHER.regnum, inn: OTHER.inn, kpp: OTHER.kpp }));
    expect(textOf(inReview.html)).toContain("не утверждена: статус «На проверке»");
    // The proxy's term ends on 30 November: on 1 December the report is refused.
    await db().updateTable("proxies").set({ valid_to: "2026-11-30" }).where("id", "=", proxyId).execute();
    expect((await send(ids[ROMASHKA.regnum], fss4Xml({ regnum: ROMASHKA.regnum }))).status).toBe(200);
    app.clock.set("2026-11-30T21:00:01.000Z"); // 1 December in Moscow
    rep.client = await signedInClient(app.url, rep.email); // a week later: a new session
    const expired = await send(ids[ROMASHKA.regnum], fss4Xml({ regnum: ROMASHKA.regnum }));
    expect(textOf(expired.html)).toContain("Сегодня доверенность не действует: её срок с 01.01.2026 по 30.11.2026");
    // Once the nightly job has marked it «Срок истёк», the refusal names that status.
    expect(await expireEndedProxies(db(), app.clock)).toBeGreaterThanOrEqual(1);
    const marked = await send(ids[ROMASHKA.regnum], fss4Xml({ regnum: ROMASHKA.regnum }));
    expect(textOf(marked.html)).toContain("не утверждена: статус «Срок истёк»");
    app.clock.set("2026-11-23T09:00:00.000Z");
    rep.client = await signedInClient(app.url, rep.email);
    await db()
      .updateTable("proxies")
      .set({ status: "approved", valid_to: "2027-06-30" })
      .where("id", "=", proxyId)
      .execute();
    await db()
      .updateTable("certificates")
      .set({ not_after: "2026-11-01T00:00:00.000Z" })
      .where("user_id", "=", rep.id)
      .execute();
    const cert = await send(ids[ROMASHKA.regnum], fss4Xml({ regnum: ROMASHKA.regnum }));
    expect(textOf(cert.html)).toContain("Сертификат подписи сегодня не действует");
  });

  it("filters the journal by organisation and period", async () => {
    await send(ids[ROMASHKA.regnum], fss4Xml({ regnum: ROMASHKA.regnum, period: "06", year: 2022 }));
    const byPeriod = journalOf((await rep.client.get("/reports?period=06&year=2022")).html);
    expect(byPeriod).toContain("полугодие 2022 г.");
    expect(byPeriod).not.toContain("9 месяцев 2022 г.");
    const byOrg = journalOf((await rep.client.get(`/reports?organization=${ids[OTHER.regnum]}`)).html);
    expect(byOrg).toContain("АО «Другое»");
    expect(byOrg).not.toContain("ООО «Ромашка»");
    // A year that is not four digits is named, and the journal is shown for all years rather than emptied.
    const badYear = await rep.client.get("/reports?year=20x6");
    expect(textOf(badYear.html)).toContain(
      "Год — четыре цифры, например 2026 (введено «20x6»). Показаны отправки за все годы.",
    );
    expect(journalOf(badYear.html)).toContain("полугодие 2022 г.");
    expect(textOf((await rep.client.get("/reports?year=2026")).html)).not.toContain("Год — четыре цифры");
  });

  it("pages the journal by 50 and filters it by result; the office's list is paged too", async () => {
    const base = {
      representative_id: rep.id,
      organization_id: ids[OTHER.regnum],
      proxy_id: null,
      regnum: OTHER.regnum,
      period: "03",
      year: 2025,
      received_at: "2026-11-20T09:00:00.000Z",
      sha256: "0".repeat(64),
      size: 10,
      original_name: "old.xml",
      via: "api" as const,
      receipt_number: null,
      stored_path: null,
    };
    await db()
      .insertInto("report_submissions")
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          ...base,
          status: "rejected" as const,
          reason: `Причина отказа № ${i + 1}`,
        })),
      )
      .execute();
    const filtered = `/reports?organization=${ids[OTHER.regnum]}&year=2025&result=rejected`;
    const firstHtml = (await rep.client.get(filtered)).html;
    const first = textOf(firstHtml);
    expect(first).toContain("Страница 1 из 2 (всего 60)");
    expect(first).toContain("Причина отказа № 60");
    expect(first).not.toContain("Причина отказа № 10 ");
    const second = await rep.client.get(`${filtered}&page=2`);
    expect(textOf(second.html)).toContain("Страница 2 из 2");
    expect(textOf(second.html)).toContain("Причина отказа № 1 ");
    expect(journalOf(second.html).match(/Причина отказа № \d+/g)).toHaveLength(10);
    expect(journalOf(firstHtml).match(/Причина отказа № \d+/g)).toHaveLength(50);
    // A page past the end shows the last one; the accepted filter leaves none of these.
    expect(textOf((await rep.client.get(`${filtered}&page=99`)).html)).toContain("Страница 2 из 2");
    expect(
      textOf((await rep.client.get(`/reports?organization=${ids[OTHER.regnum]}&year=2025&result=accepted`)).html),
    ).toContain("Отправок с такими условиями нет.");
    const { createActiveUser } = await import("../support/users");
    const operator = await createActiveUser(
      db(),
      { surname: "Страничная", givenName: "Анна", patronymic: "" },
      "operator",
    );
    await db().updateTable("users").set({ territorial_body_code: "7700" }).where("id", "=", operator.id).execute();
    const office = await signedInClient(app.url, operator.email);
    expect(textOf((await office.get("/operator/reports")).html)).toMatch(/Страница 1 из \d+/);
    expect(textOf((await office.get("/operator/reports?page=2")).html)).toMatch(/Страница 2 из \d+/);
    // «Отчёты организаций» filters by period, year and result as the representative's journal does.
    const refusedOf2025 = textOf((await office.get("/operator/reports?year=2025&result=rejected")).html);
    expect(refusedOf2025).toContain("Страница 1 из 2 (всего 60)");
    expect(refusedOf2025).not.toContain("Принят, квитанция");
    const accepted2025 = textOf((await office.get("/operator/reports?year=2025&result=accepted")).html);
    expect(accepted2025).not.toContain("Причина отказа №");
    expect(textOf((await office.get("/operator/reports?period=06&result=rejected&year=2025")).html)).not.toContain(
      "Причина отказа №",
    );
  });

  it("an approved proxy whose term the representative extends goes to review, and reports are still accepted on its approved term", async () => {
    // Approved by the office (its approved term recorded), then extended by the representative.
    await db()
      .updateTable("proxies")
      .set({ approved_valid_from: "2026-01-01", approved_valid_to: "2027-06-30" })
      .where("id", "=", proxyId)
      .execute();
    const extended = await setTerm(rep.client, proxyId, "2026-01-01", "2028-06-30");
    expect(extended.status).toBe(302);
    const p = await db().selectFrom("proxies").selectAll().where("id", "=", proxyId).executeTakeFirstOrThrow();
    expect([p.status, p.valid_to, p.approved_valid_to]).toEqual(["in_review", "2028-06-30", "2027-06-30"]);
    const list = textOf((await rep.client.get("/profile/representative")).html);
    expect(list).toContain("до решения отчёты принимаются по утверждённому сроку: с 01.01.2026 по 30.06.2027");
    const res = await send(ids[ROMASHKA.regnum], fss4Xml({ regnum: ROMASHKA.regnum, period: "12", year: 2021 }));
    expect(textOf(res.html)).toMatch(/Отчёт принят\. Квитанция №/);
    // The office refuses the change: nothing approved is left, and reports are refused.
    await db()
      .updateTable("proxies")
      .set({ status: "rejected", approved_valid_from: null, approved_valid_to: null })
      .where("id", "=", proxyId)
      .execute();
    const refused = await send(ids[ROMASHKA.regnum], fss4Xml({ regnum: ROMASHKA.regnum, period: "09", year: 2021 }));
    expect(textOf(refused.html)).toContain("не утверждена: статус «Отклонено»");
  });

  it("takes reports over the API with a token; refuses a revoked token; receipts are the sender's only", async () => {
    await rep.client.get("/profile/api-tokens");
    const created = await rep.client.post("/profile/api-tokens", { intent: "create", name: "Бухгалтерия" });
    const token = created.html.match(/sedo_[A-Za-z0-9_-]{40,}/)![0];
    const post = (bytes: Buffer, auth = token) => {
      const form = new FormData();
      form.set("report", new Blob([new Uint8Array(bytes)], { type: "text/xml" }), "4fss.xml");
      return fetch(`${app.url}/api/v1/reports`, {
        method: "POST",
        body: form,
        headers: { Authorization: `Bearer ${auth}` },
      });
    };
    const ok = await post(efs1Xml({ number: "087-001-000001", kpp: ROMASHKA.kpp, period: "03", year: 2026 }));
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as {
      status: string;
      submissionId: number;
      receiptNumber: string;
      receiptUrl: string;
      sha256: string;
    };
    expect(body.status).toBe("accepted");
    assertDocumented("post", "/reports", 200, body);
    // The year, the organisation's number and the submission's id in seven digits (made in the INSERT on PostgreSQL).
    expect(body.receiptNumber).toBe(`2026-7700500001-${String(body.submissionId).padStart(7, "0")}`);
    const receipt = await fetch(body.receiptUrl.replace(app.config.appUrl, app.url), {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(receipt.headers.get("content-type")).toBe("application/pdf");
    expect(receipt.headers.get("content-disposition")).toContain(`kvitanciya-${body.receiptNumber}.pdf`);
    // The journal over the API, filtered like the page.
    const journal = (query: string, auth: string | null = token) =>
      fetch(`${app.url}/api/v1/reports${query}`, { headers: auth ? { Authorization: `Bearer ${auth}` } : {} });
    const listed = await journal(`?registrationNumber=${ROMASHKA.regnum}&period=03&year=2026&status=accepted`);
    expect(listed.status).toBe(200);
    const page = (await listed.json()) as {
      total: number;
      page: number;
      pages: number;
      submissions: Array<Record<string, unknown>>;
    };
    assertDocumented("get", "/reports", 200, page);
    expect(page).toMatchObject({ total: 1, page: 1, pages: 1 });
    expect(page.submissions[0]).toMatchObject({
      submissionId: body.submissionId,
      status: "accepted",
      receiptNumber: body.receiptNumber,
      registrationNumber: ROMASHKA.regnum,
      period: "03",
      year: 2026,
      via: "api",
      receiptUrl: body.receiptUrl,
      reason: null,
    });
    const refusedOnes = (await (
      await journal(`?registrationNumber=${OTHER.regnum}&year=2022&status=rejected`)
    ).json()) as { total: number; submissions: Array<{ reason: string; receiptUrl: unknown }> };
    assertDocumented("get", "/reports", 200, refusedOnes);
    expect(refusedOnes.total).toBeGreaterThan(0);
    expect(refusedOnes.submissions[0].reason).toContain("не утверждена");
    expect(refusedOnes.submissions[0].receiptUrl).toBeNull();
    const bad = await journal("?period=05&status=maybe");
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: string };
    assertDocumented("get", "/reports", 400, badBody);
    expect(badBody.error).toBe("Неверные параметры: period: 03, 06, 09 или 12; status: accepted или rejected.");
    const anonymous = await journal("", null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    assertDocumented("get", "/reports", 401, await anonymous.json());
    expect(
      await db()
        .selectFrom("audit_events")
        .select("id")
        .where("action", "=", "api.denied")
        .where("subject_id", "=", "/api/v1/reports")
        .executeTakeFirst(),
    ).toBeDefined();
    const unknown = await post(fss4Xml({ regnum: "7799999999" }));
    expect(unknown.status).toBe(422);
    const unknownBody = (await unknown.json()) as { reason: string };
    assertDocumented("post", "/reports", 422, unknownBody);
    expect(unknownBody.reason).toContain("нет в вашем списке");
    // A file the parser cannot build (too deep, a reserved name) is a recorded refusal in JSON, not a 500.
    for (const [bad, message] of [
      [
        `${"<a>".repeat(120)}${"</a>".repeat(120)}`,
        "Структура файла не похожа на отчёт: элементы вложены глубже 64 уровней.",
      ],
      [
        `<F4REPORT><__proto__/></F4REPORT>`,
        "Файл не удалось разобрать: элемент или атрибут с недопустимым именем «__proto__».",
      ],
    ]) {
      const refused = await post(Buffer.from(`<?xml version="1.0"?>${bad}`));
      expect(refused.status).toBe(422);
      const refusedBody = (await refused.json()) as { rule: string; reason: string; submissionId: number };
      assertDocumented("post", "/reports", 422, refusedBody);
      expect([refusedBody.rule, refusedBody.reason]).toEqual(["file-readable", expect.stringContaining(message)]);
      expect((await rows()).find((r) => r.id === refusedBody.submissionId)?.status).toBe("rejected");
    }
    const row = await db()
      .selectFrom("api_tokens")
      .select("id")
      .where("user_id", "=", rep.id)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    await rep.client.post("/profile/api-tokens", { intent: "revoke", tokenId: String(row.id) });
    const revoked = await post(fss4Xml({ regnum: ROMASHKA.regnum }));
    expect(revoked.status).toBe(401);
    assertDocumented("post", "/reports", 401, await revoked.json());
    // The office's operators see the submission; another office's do not.
    const here = await (
      await import("../support/users")
    ).createActiveUser(db(), { surname: "Московская", givenName: "Ольга", patronymic: "" }, "operator");
    const there = await (
      await import("../support/users")
    ).createActiveUser(db(), { surname: "Дальняя", givenName: "Ирина", patronymic: "" }, "operator");
    await db().updateTable("users").set({ territorial_body_code: "7700" }).where("id", "=", here.id).execute();
    await db().updateTable("users").set({ territorial_body_code: "2500" }).where("id", "=", there.id).execute();
    const officePage = textOf((await (await signedInClient(app.url, here.email)).get("/operator/reports")).html);
    expect(officePage).toContain(`Принят, квитанция № ${body.receiptNumber}`);
    expect(officePage).toContain("Не принят");
    expect(textOf((await (await signedInClient(app.url, there.email)).get("/operator/reports")).html)).not.toContain(
      body.receiptNumber,
    );
    // The accepted file itself: the sender and the office's operators download the same bytes; nobody else.
    const sentBytes = efs1Xml({ number: "087-001-000001", kpp: ROMASHKA.kpp, period: "03", year: 2026 });
    const ownFile = await fetch(`${app.url}/reports/${body.submissionId}/file`, {
      headers: { Cookie: `sedo_session=${rep.client.cookie("sedo_session")}` },
    });
    expect(ownFile.status).toBe(200);
    expect(ownFile.headers.get("content-type")).toBe("application/xml");
    expect(ownFile.headers.get("content-disposition")).toMatch(
      /^attachment; filename="report.xml"; filename\*=UTF-8''4fss\.xml$/,
    );
    expect(Buffer.from(await ownFile.arrayBuffer()).equals(sentBytes)).toBe(true);
    const hereClient = await signedInClient(app.url, here.email);
    const officeFile = await fetch(`${app.url}/operator/reports/${body.submissionId}/file`, {
      headers: { Cookie: `sedo_session=${hereClient.cookie("sedo_session")}` },
    });
    expect(officeFile.status).toBe(200);
    expect(Buffer.from(await officeFile.arrayBuffer()).equals(sentBytes)).toBe(true);
    expect(
      (await (await signedInClient(app.url, there.email)).get(`/operator/reports/${body.submissionId}/file`)).status,
    ).toBe(404);
    const refusedId = (await rows()).find((r) => r.status === "rejected")!.id;
    expect((await rep.client.get(`/reports/${refusedId}/file`)).status).toBe(404);
    // Another representative cannot read this receipt.
    const stranger = await representativeWithCertificate(app);
    const id = body.receiptUrl.match(/reports\/(\d+)\/receipt/)![1];
    expect((await stranger.client.get(`/reports/${id}/receipt`)).status).toBe(404);
    expect((await stranger.client.get(`/reports/${id}/file`)).status).toBe(404);
  });
});
