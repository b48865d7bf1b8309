// Qualified = chained to an accredited CA, through the HTTP app on each database: the admin loads the trust list
// (files and the Минцифры XML, on «Удостоверяющие центры» and with `npm run trust:import`), a representative's
// certificate is refused for each defect with its own message and nothing stored, revocation lists come from
// files and from a distribution point on a local HTTP server, and a certificate revoked (or whose CA leaves the
// list) after it was accepted makes the representative's reports refused and sends a letter.
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds, tempDir } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { textOf, uploadForm, type BrowserClient, type FilePart } from "../support/client";
import { createActiveUser, signedInClient } from "../support/users";
import { registryWith, submittedProxy } from "../support/flow";
import { fss4Xml } from "../support/fss4";
import { HOLDER, makeScenario, type Scenario } from "../support/pki-scenario";
import { tslXml } from "../support/tsl";
import { fetchDueCrls, refreshCertificateTrust } from "../../app/certificates/revocation.server";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";
import { parseCertificate } from "../../app/certificates/parse.server";

const run = promisify(execFile);
const ROOT_DIR = path.resolve(__dirname, "../..");
const REAL = path.resolve(__dirname, "../fixtures/real/certs");
const PAGE = "/profile/representative";
const ADMIN_PAGE = "/admin/certification-authorities";

// One local server for the distribution points of the scenario's certificates (…/ca.crl, …/root.crl).
const served = new Map<string, Buffer>();
const crlServer = http.createServer((req, res) => {
  const body = served.get(req.url ?? "");
  if (!body) {
    res.writeHead(404).end("not found");
    return;
  }
  res.writeHead(200, { "Content-Type": "application/pkix-crl", "Content-Length": body.length }).end(body);
});
let s: Scenario;
let crlBase: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => crlServer.listen(0, "127.0.0.1", resolve));
  crlBase = `http://127.0.0.1:${(crlServer.address() as AddressInfo).port}/crl`;
}, 120_000);
afterAll(() => new Promise<void>((resolve) => crlServer.close(() => resolve())));

const ORG = {
  regnum: "7700900001",
  inn: withInnCheckDigit("770090000"),
  kpp: "770901001",
  ogrn: withOgrnCheckDigit("102770090000"),
  fullName: "ООО «Доверие»",
  shortName: "ООО «Доверие»",
  address: "г. Москва",
};

describe.each(databaseKinds)("the trust list and qualified certificates on %s", (kind) => {
  let app: TestApp;
  let admin: BrowserClient;
  const db = () => app.database.handle.db;
  beforeAll(async () => {
    // A PKI of its own per database: revocations made on one run never show in the other's lists.
    s = makeScenario(crlBase);
    served.clear();
    app = await startTestApp(kind, { trustTestCa: false, registrySize: 0 });
    const user = await createActiveUser(db(), { surname: "Админова", givenName: "Анна", patronymic: "" }, "admin");
    admin = await signedInClient(app.url, user.email);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const part = (name: string, bytes: Buffer): FilePart => ({ field: "files", name, bytes });
  async function adminUpload(...files: FilePart[]) {
    await admin.get(ADMIN_PAGE);
    return uploadForm(admin, ADMIN_PAGE, { intent: "import" }, files);
  }
  async function representative(name = HOLDER) {
    const user = await createActiveUser(db(), name);
    const client = await signedInClient(app.url, user.email);
    await client.get(PAGE);
    return { ...user, client };
  }
  const uploadCertificate = (client: BrowserClient, bytes: Buffer) =>
    uploadForm(client, PAGE, {}, { field: "certificate", name: "c.cer", bytes });
  const stored = (userId: number) =>
    db().selectFrom("certificates").selectAll().where("user_id", "=", userId).execute();

  it("with nothing imported, even a good certificate has no chain to build", async () => {
    const rep = await representative();
    const res = await uploadCertificate(rep.client, s.people.good.der);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain(
      "Цепочку построить не удалось: удостоверяющего центра «УЦ сценария», выдавшего сертификат, нет в списке аккредитованных УЦ портала",
    );
    expect(await stored(rep.id)).toHaveLength(0);
  });

  it("«Удостоверяющие центры» takes CA certificates (DER and PEM) and refuses what is not a CA's", async () => {
    const page = await admin.get(ADMIN_PAGE);
    expect(page.html).toContain(">Файлы списка УЦ (XML, .cer, .pem, .crl)</label>");
    expect(page.html).toContain(">Загрузить</button>");
    const res = await adminUpload(
      part("root.cer", s.root.der),
      part("ca.pem", Buffer.from(s.ca.pem)),
      part("person.cer", s.people.good.der),
      part("junk.cer", Buffer.from("не сертификат")),
    );
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain("добавлен Корневой УЦ сценария (действует с 01.01.2026 по 01.01.2040");
    expect(text).toContain("добавлен УЦ сценария");
    expect(text).toContain("отказ person.cer — «Кузнецова Анна Сергеевна» — не сертификат удостоверяющего центра");
    expect(text).toContain("отказ junk.cer — не сертификат X.509");
    const again = textOf((await adminUpload(part("root.cer", s.root.der))).html);
    expect(again).toContain("уже есть Корневой УЦ сценария");
    const list = textOf((await admin.get(ADMIN_PAGE)).html);
    expect(list).toContain("Корневой УЦ сценария — корневой");
    expect(list).toContain("файл ca.pem");
    const rows = await db().selectFrom("trusted_cas").select(["name", "status", "source"]).orderBy("id").execute();
    expect(rows).toEqual([
      { name: "Корневой УЦ сценария", status: "active", source: "file" },
      { name: "УЦ сценария", status: "active", source: "file" },
    ]);
  });

  it("accepts a certificate that chains to the root, showing «Квалифицированный» and the chain", async () => {
    const rep = await representative();
    const res = await uploadCertificate(rep.client, s.people.good.der);
    expect(res.status).toBe(302);
    const text = textOf((await rep.client.get(PAGE)).html);
    expect(text).toContain("Квалифицированный, выдан аккредитованным УЦ «УЦ сценария»");
    expect(text).toMatch(/Кузнецова Анна Сергеевна\s+УЦ сценария\s+Корневой УЦ сценария/);
    expect(text).toContain("список отзыва УЦ портал ещё не получил");
    const [row] = await stored(rep.id);
    expect(JSON.parse(row.chain ?? "[]").map((c: { name: string }) => c.name)).toEqual([
      "УЦ сценария",
      "Корневой УЦ сценария",
    ]);
    expect(row.verified_at).toBe("2026-11-23T09:00:00.000Z");
  });

  it.each([
    ["selfSigned", 422, "Сертификат самоподписанный"],
    ["forged", 422, "Подпись сертификата не подтверждается ключом удостоверяющего центра «УЦ сценария»"],
    ["untrusted", 422, "удостоверяющего центра «Неаккредитованный УЦ», выдавшего сертификат, нет в списке"],
    ["caFlag", 422, "Это сертификат удостоверяющего центра «Кузнецова Анна Сергеевна»"],
    ["privateKeyEnded", 422, "Срок действия закрытого ключа истёк 01.11.2026"],
    ["noQualified", 422, "Сертификат не является квалифицированным: в нём нет обязательных сведений"],
    ["noPolicy", 422, "не указан класс средства электронной подписи"],
    ["noSignatureUsage", 422, "не включает электронную подпись"],
  ] as const)("refuses the %s certificate with its own message and stores nothing", async (which, status, message) => {
    const rep = await representative();
    const res = await uploadCertificate(rep.client, s.people[which].der);
    expect(res.status).toBe(status);
    expect(textOf(res.html)).toContain(message);
    expect(await stored(rep.id)).toHaveLength(0);
    const refused = await db()
      .selectFrom("audit_events")
      .select("details")
      .where("actor_id", "=", rep.id)
      .where("action", "=", "certificate.refused")
      .execute();
    expect(refused).toHaveLength(1);
  });

  it("refuses a tampered certificate: the CA's name is there, its signature is not", async () => {
    const rep = await representative();
    const tampered = Buffer.from(s.people.good.der);
    tampered[tampered.indexOf(Buffer.from("11223344595")) + 3] ^= 0x01; // one digit of the СНИЛС
    const res = await uploadCertificate(rep.client, tampered);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain("не подтверждается ключом удостоверяющего центра «УЦ сценария»");
  });

  it("a CA certificate expired today makes what it issued refused, naming it", async () => {
    await adminUpload(part("expired.cer", s.expiredCa.der));
    const rep = await representative();
    const res = await uploadCertificate(rep.client, s.people.underExpiredCa.der);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain(
      "Срок действия сертификата удостоверяющего центра «УЦ сценария 2025» истёк 01.06.2026",
    );
  });

  it("an intermediate on the list without its root: «цепочку построить не удалось»; with the ГОСТ 2001 root it verifies", async () => {
    await adminUpload(part("old-ca.cer", s.oldCa.der));
    const rep = await representative();
    const missing = await uploadCertificate(rep.client, s.people.underOldRoot.der);
    expect(missing.status).toBe(422);
    expect(textOf(missing.html)).toContain(
      "Цепочку построить не удалось: нет сертификата «Старый корневой УЦ ГОСТ 2001», которым подписан сертификат УЦ «УЦ под старым корнем»",
    );
    await adminUpload(part("old-root.cer", s.oldRoot.der));
    expect((await uploadCertificate(rep.client, s.people.underOldRoot.der)).status).toBe(302);
  });

  it("real certificates: Такском's intermediate is not there, so the chain cannot be built", async () => {
    const taxcom = fs.readFileSync(path.join(REAL, "taxcom-ip-2026.cer"));
    const report = await adminUpload(
      part("ca-mincifry-2022.pem", fs.readFileSync(path.join(REAL, "ca-mincifry-2022.pem"))),
      part("ca-taxcom-2025.pem", fs.readFileSync(path.join(REAL, "ca-taxcom-2025.pem"))),
    );
    expect(textOf(report.html)).toContain("добавлен Минцифры России");
    const rep = await representative({ surname: "ЛаврусьИП", givenName: "ИмяИП", patronymic: "ОтчествоИП" });
    const res = await uploadCertificate(rep.client, taxcom);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain(
      'Цепочку построить не удалось: удостоверяющего центра «УЦ ООО "Такском" (ГОСТ2012)», выдавшего сертификат, нет в списке',
    );
    const kontur = await uploadCertificate(rep.client, fs.readFileSync(path.join(REAL, "kontur-test-ca-2020.cer")));
    expect(kontur.status).toBe(422);
  });

  it("revocation: a CRL file revokes an accepted certificate — the page says so, reports are refused, a letter goes out", async () => {
    const ids = await registryWith(app, [ORG]);
    const rep = await representative();
    expect((await uploadCertificate(rep.client, s.people.revoked.der)).status).toBe(302);
    await submittedProxy(app, rep, ids[ORG.regnum], ["2026-01-01", "2027-06-30"]);
    await db().updateTable("proxies").set({ status: "approved" }).where("representative_id", "=", rep.id).execute();
    const sendReport = async () => {
      await rep.client.get("/reports");
      return uploadForm(
        rep.client,
        "/reports",
        {},
        {
          field: "reports",
          name: "4fss.xml",
          bytes: fss4Xml({ regnum: ORG.regnum, inn: ORG.inn, kpp: ORG.kpp, year: 2022, period: "12" }),
          type: "text/xml",
        },
      );
    };
    await sendReport();
    const reports = () =>
      db()
        .selectFrom("report_submissions")
        .select(["status", "refusal_rule"])
        .where("representative_id", "=", rep.id)
        .orderBy("id")
        .execute();
    expect((await reports()).map((r) => r.status)).toEqual(["accepted"]);

    s.pki.revoke(s.ca, s.people.revoked, "20261120100000Z", "keyCompromise");
    const crl = s.pki.crl(s.ca, { thisUpdate: "20261121000000Z", nextUpdate: "20261221000000Z" });
    const forgedCrl = Buffer.from(crl);
    forgedCrl[forgedCrl.length - 3] ^= 0x01;
    const bad = textOf((await adminUpload(part("forged.crl", forgedCrl))).html);
    expect(bad).toContain("отказ forged.crl — Подпись списка отзыва не подтверждается ключом УЦ «УЦ сценария»");
    const report = textOf((await adminUpload(part("ca.crl", crl))).html);
    expect(report).toContain(
      "добавлен список отзыва УЦ «УЦ сценария» от 21.11.2026: отозвано сертификатов — 1, из них представителей портала — 1",
    );

    const page = textOf((await rep.client.get(PAGE)).html);
    expect(page).toContain(
      "Не действует: Сертификат отозван удостоверяющим центром 20.11.2026 (причина: компрометация ключа).",
    );
    expect(page).not.toContain("Квалифицированный, выдан");
    const refused = textOf((await sendReport()).html);
    expect((await reports()).map((r) => [r.status, r.refusal_rule])).toEqual([
      ["accepted", null],
      ["rejected", "certificate-qualified"],
    ]);
    expect(refused).toContain(
      "Сертификат подписи больше не является квалифицированным: сертификат отозван удостоверяющим центром 20.11.2026",
    );

    await app.deliverMail();
    const letters = app.smtp.to(rep.email).filter((m) => m.subject.includes("больше не действует"));
    expect(letters).toHaveLength(1);
    expect(letters[0].text).toContain("отозван удостоверяющим центром 20.11.2026");
    // Idempotent: running the check again writes no second letter.
    await refreshCertificateTrust(db(), app.clock, app.config.appUrl);
    await app.deliverMail();
    expect(app.smtp.to(rep.email).filter((m) => m.subject.includes("больше не действует"))).toHaveLength(1);

    const other = await representative();
    const again = await uploadCertificate(other.client, s.people.revoked.der);
    expect(again.status).toBe(422);
    expect(textOf(again.html)).toContain(
      "Сертификат отозван удостоверяющим центром 20.11.2026 (причина: компрометация ключа)",
    );
    expect(textOf((await admin.get(ADMIN_PAGE)).html)).toContain("от 21.11.2026, отозвано 1");
  });

  it("reads the distribution points on a local HTTP server, records the failures, and revokes what the list names", async () => {
    const rep = await representative();
    expect((await uploadCertificate(rep.client, s.people.good512.der)).status).toBe(302);
    s.pki.revoke(s.ca, s.people.good512, "20261122000000Z", "superseded");
    served.set("/crl/ca.crl", s.pki.crl(s.ca, { thisUpdate: "20261122120000Z", nextUpdate: "20261222000000Z" }));
    app.clock.set("2026-11-23T10:00:00.000Z");
    const result = await fetchDueCrls(db(), app.clock, { appUrl: app.config.appUrl, intervalMs: 3_600_000 });
    expect(result.added).toBe(1);
    expect(result.failed).toBeGreaterThanOrEqual(1); // …/root.crl is not served
    const sources = await db().selectFrom("crl_sources").selectAll().orderBy("url").execute();
    const byUrl = Object.fromEntries(sources.map((r) => [r.url, r]));
    expect(byUrl[`${crlBase}/ca.crl`]).toMatchObject({ last_error: null, last_success_at: "2026-11-23T10:00:00.000Z" });
    expect(byUrl[`${crlBase}/root.crl`].last_error).toBe("HTTP 404");
    const [row] = await stored(rep.id);
    expect(row.revoked_at).toBe("2026-11-22T00:00:00.000Z");
    expect(row.revocation_reason).toBe("superseded");
    // Within the interval nothing is read again.
    const soon = await fetchDueCrls(db(), app.clock, { appUrl: app.config.appUrl, intervalMs: 3_600_000 });
    expect(soon).toEqual({ fetched: 0, added: 0, failed: 0 });
    app.clock.set("2026-11-23T09:00:00.000Z");
  });

  it("the Минцифры list: CAs «Действует» are trusted, others removed; a newer list without a CA removes it and its certificates stop counting", async () => {
    const goodSha1 = parseCertificate(s.people.good.der).sha1;
    const v1 = tslXml(100, [
      { name: "АО «Сценарий»", status: "Действует", certs: [s.ca.der], crl: `${crlBase}/ca.crl` },
      { name: "ООО «Самодельный»", status: "Прекращена", certs: [s.untrustedCa.der] },
    ]);
    const first = textOf((await adminUpload(part("TSL-100.xml", Buffer.from(v1)))).html);
    expect(first).toContain("уже есть АО «Сценарий»: УЦ сценария");
    expect(first).toContain("исключён ООО «Самодельный»: Неаккредитованный УЦ");
    const ca = await db()
      .selectFrom("trusted_cas")
      .selectAll()
      .where("name", "=", "УЦ сценария")
      .executeTakeFirstOrThrow();
    expect(ca).toMatchObject({ source: "tsl", organization: "АО «Сценарий»", status: "active" });
    expect(JSON.parse(ca.crl_urls)).toContain(`${crlBase}/ca.crl`);

    const stale = tslXml(99, [{ name: "x", status: "Действует", certs: [s.ca.der] }]);
    const older = textOf((await adminUpload(part("TSL-99.xml", Buffer.from(stale)))).html);
    expect(older).toContain("это версия 99 списка УЦ, а загружена уже более новая версия 100");

    const v2 = tslXml(101, [{ name: "ООО «Другой»", status: "Действует", certs: [s.oldCa.der] }]);
    const second = textOf((await adminUpload(part("TSL-101.xml", Buffer.from(v2)))).html);
    expect(second).toContain("исключён УЦ сценария — нет в новом списке");
    const owner = await db()
      .selectFrom("certificates")
      .innerJoin("users", "users.id", "certificates.user_id")
      .select(["certificates.distrust_reason", "users.email"])
      .where("certificates.sha1", "=", goodSha1)
      .executeTakeFirstOrThrow();
    expect(owner.distrust_reason).toBe(
      "удостоверяющий центр «УЦ сценария» исключён из списка аккредитованных 23.11.2026.",
    );
    await app.deliverMail();
    expect(app.smtp.to(owner.email).some((m) => m.text.includes("исключён из списка аккредитованных"))).toBe(true);
    const newcomer = await representative();
    const refused = await uploadCertificate(newcomer.client, s.people.good512.der);
    expect(refused.status).toBe(422);
    expect(textOf(refused.html)).toContain(
      "Удостоверяющий центр «УЦ сценария» исключён из списка аккредитованных 23.11.2026",
    );
  });

  it("the admin can take a CA off the list by hand; the page is for administrators only", async () => {
    const ca = await db()
      .selectFrom("trusted_cas")
      .select(["id", "name"])
      .where("name", "=", "УЦ под старым корнем")
      .executeTakeFirstOrThrow();
    await admin.get(ADMIN_PAGE);
    const res = await uploadForm(admin, ADMIN_PAGE, { intent: "remove", id: String(ca.id) }, null);
    expect(res.status).toBe(302);
    const after = await db()
      .selectFrom("trusted_cas")
      .select(["status", "removed_reason"])
      .where("id", "=", ca.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: "removed", removed_reason: "исключён администратором портала" });
    const rep = await representative();
    expect((await rep.client.get(ADMIN_PAGE)).status).toBe(403);
  });
});

describe("npm run trust:import", () => {
  beforeAll(() => {
    s = makeScenario(crlBase);
  }, 60_000);
  it("loads the list, certificates and CRLs from files and prints what it added, kept and refused", async () => {
    const dir = tempDir();
    const file = (name: string, bytes: Buffer | string) => {
      fs.writeFileSync(path.join(dir, name), bytes);
      return path.join(dir, name);
    };
    const env = {
      ...process.env,
      DATABASE_URL: path.join(dir, "db.sqlite"),
      SEED_DEMO: "false",
      APP_URL: "https://sedo.example.ru",
    };
    const cli = (...args: string[]) =>
      run(process.execPath, ["--import", "tsx", "scripts/trust-import.ts", ...args], { env, cwd: ROOT_DIR });
    const first = await cli(
      file("root.cer", s.root.der),
      file("TSL.xml", tslXml(7, [{ name: "АО «Сценарий»", status: "Действует", certs: [s.ca.der] }])),
      file("empty.crl", s.pki.crl(s.root, { thisUpdate: "20261120000000Z", nextUpdate: "20271120000000Z" })),
      file("bad.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
    );
    expect(first.stdout).toContain("добавлен: Корневой УЦ сценария");
    expect(first.stdout).toContain("добавлен: АО «Сценарий»: УЦ сценария");
    expect(first.stdout).toContain("добавлен: список отзыва УЦ «Корневой УЦ сценария» от 20.11.2026");
    expect(first.stdout).toContain("отказ: bad.pem — не сертификат X.509");
    expect(first.stdout).toContain("Итого: добавлено 3, уже было 0, возвращено 0, исключено 0, отказано 1.");
    const again = await cli(path.join(dir, "root.cer"));
    expect(again.stdout).toContain("уже есть: Корневой УЦ сценария");
    await expect(cli(path.join(dir, "missing.cer"))).rejects.toMatchObject({ code: 2 });
  }, 60_000);
});
