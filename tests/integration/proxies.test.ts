// Represented organisations through the HTTP routes: registry search, adding, bulk lists, POA terms,
// POA PDFs (each bad fixture and the 2 MiB boundary, nothing stored on refusal), «На проверке» with
// the deadline and the office's letter, resubmission, withdrawal, downloads and the template.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { BrowserClient, postDeclaringLength, textOf, uploadForm } from "../support/client";
import { createActiveUser, signedInClient } from "../support/users";
import { pdfOfExactSize } from "../support/pdf";
import { pdfText } from "../support/pdf-text";
import { upsertOrganizations } from "../../app/organizations/registry.server";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";
import { reviewDeadline } from "../../app/calendar";

const certDir = path.resolve(__dirname, "../fixtures/certs");
const pdfDir = path.resolve(__dirname, "../fixtures/pdf");
const pdf = (name: string) => fs.readFileSync(path.join(pdfDir, name));
const IVANOVA = { surname: "Иванова", givenName: "Мария", patronymic: "Петровна" };

const ROMASHKA = {
  regnum: "7700900001",
  inn: "7707083893",
  kpp: "770701001",
  ogrn: "1027700132195",
  fullName: "Общество с ограниченной ответственностью «Ромашка»",
  shortName: "ООО «Ромашка»",
  address: "г. Москва, ул. Цветочная, д. 1",
};
const BEREZKA = {
  regnum: "2500900002",
  inn: withInnCheckDigit("250090000"),
  kpp: "250001001",
  ogrn: withOgrnCheckDigit("102250090000"),
  fullName: "Акционерное общество «Берёзка»",
  shortName: "АО «Берёзка»",
  address: "Приморский край, г. Владивосток, ул. Светланская, д. 5",
};

describe.each(databaseKinds)("represented organisations over HTTP on %s", (kind) => {
  let app: TestApp;
  let ids: { romashka: number; berezka: number };
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 400 });
    await upsertOrganizations(app.database.handle.db, [ROMASHKA, BEREZKA]);
    const rows = await app.database.handle.db
      .selectFrom("organizations")
      .select(["id", "regnum"])
      .where("regnum", "in", [ROMASHKA.regnum, BEREZKA.regnum])
      .execute();
    ids = {
      romashka: rows.find((r) => r.regnum === ROMASHKA.regnum)!.id,
      berezka: rows.find((r) => r.regnum === BEREZKA.regnum)!.id,
    };
  });
  afterAll(async () => {
    await app?.close();
  });
  const db = () => app.database.handle.db;

  /** A signed-in representative with an accepted certificate. */
  async function representative(): Promise<{ id: number; email: string; client: BrowserClient }> {
    await db().deleteFrom("certificates").where("sha1", "=", "973BFD10377C988B7726682263C87C20E14022DE").execute();
    const user = await createActiveUser(db(), IVANOVA);
    const client = await signedInClient(app.url, user.email);
    await client.get("/profile/representative");
    const res = await uploadForm(
      client,
      "/profile/representative",
      {},
      { field: "certificate", name: "c.cer", bytes: fs.readFileSync(path.join(certDir, "ivanova-gost256.cer")) },
    );
    expect(res.status).toBe(302);
    return { ...user, client };
  }

  async function addOrganizations(client: BrowserClient, organizationIds: number[]) {
    await client.get("/profile/representative/search?name=" + encodeURIComponent("ромашк"));
    const body = new URLSearchParams({ csrf: client.csrf });
    for (const id of organizationIds) body.append("organizationId", String(id));
    return client.request("/profile/representative/search", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    });
  }

  const proxyOf = (representativeId: number, organizationId: number) =>
    db()
      .selectFrom("proxies")
      .selectAll()
      .where("representative_id", "=", representativeId)
      .where("organization_id", "=", organizationId)
      .where("status", "!=", "withdrawn")
      .executeTakeFirstOrThrow();

  async function setTerm(client: BrowserClient, proxyId: number, validFrom: string, validTo: string) {
    await client.get(`/profile/representative/proxies/${proxyId}/term`);
    return client.post(`/profile/representative/proxies/${proxyId}/term`, { validFrom, validTo });
  }

  async function uploadPoa(client: BrowserClient, proxyId: number, bytes: Buffer, name = "доверенность.pdf") {
    await client.get(`/profile/representative/proxies/${proxyId}/poa`);
    return uploadForm(
      client,
      `/profile/representative/proxies/${proxyId}/poa`,
      {},
      { field: "poa", name, bytes, type: "application/pdf" },
    );
  }

  const storedFiles = () => {
    const dir = path.join(app.config.uploadsDir, "poa");
    if (!fs.existsSync(dir)) return [] as string[];
    return fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".pdf"));
  };

  it("opens the search only with a current certificate", async () => {
    const user = await createActiveUser(db(), { surname: "Безсертификатова", givenName: "Анна", patronymic: "" });
    const client = await signedInClient(app.url, user.email);
    const page = await client.get("/profile/representative/search");
    expect(page.status).toBe(302);
    expect(page.location).toBe("/profile/representative");
  });

  it("checks identifiers before searching, with a precise message for each typo", async () => {
    const { client } = await representative();
    const cases: Array<[string, string, string]> = [
      ["inn", "7707083894", "Контрольные цифры ИНН не сходятся"],
      ["inn", "77070838", "а указано 8"],
      ["ogrn", "1027700132196", "Контрольная цифра ОГРН не сходится"],
      ["ogrn", "304500116000158", "Контрольная цифра ОГРНИП не сходится"],
      ["kpp", "77070100", "КПП содержит 9 символов"],
      ["regnum", "77009000", "Регистрационный номер — 10 цифр (ФСС) или 12 цифр (СФР, XXX-XXX-XXXXXX), а указано 8."],
      ["name", "ро", "не менее 3 букв"],
    ];
    for (const [field, value, message] of cases) {
      const page = await client.get(`/profile/representative/search?${field}=${value}`);
      expect(page.status, `${field}=${value}`).toBe(422);
      expect(textOf(page.html)).toContain(message);
    }
  });

  it("finds by identifiers and by any part of the name, ignoring case, quotes, ё and the legal form", async () => {
    const { client } = await representative();
    for (const query of [
      "name=ромашк",
      "name=" + encodeURIComponent("ООО «РОМАШКА»"),
      "inn=7707083893",
      "ogrn=1027700132195",
      "regnum=7700900001",
      "kpp=770701001&inn=7707083893",
    ]) {
      const page = await client.get(
        `/profile/representative/search?${query.startsWith("name=") ? query : query}`.replace(
          "name=ромашк",
          "name=" + encodeURIComponent("ромашк"),
        ),
      );
      expect(page.status, query).toBe(200);
      expect(page.html, query).toContain('aria-label="7700900001"');
    }
    const berezka = await client.get("/profile/representative/search?name=" + encodeURIComponent("березк"));
    expect(textOf(berezka.html)).toContain("АО «Берёзка»");
    const none = await client.get("/profile/representative/search?inn=" + withInnCheckDigit("999999999"));
    expect(textOf(none.html)).toContain("Ничего не найдено");
  });

  it("pages broad results", async () => {
    const { client } = await representative();
    const first = await client.get("/profile/representative/search?name=" + encodeURIComponent("ооо"));
    // «ооо» is only a legal form: refused as too short once the form is removed
    expect(first.status).toBe(422);
    const broad = await client.get("/profile/representative/search?name=" + encodeURIComponent("вич")); // patronymics of entrepreneurs
    expect(broad.status).toBe(200);
    const text = textOf(broad.html);
    const found = Number(text.match(/Найдено: (?:более )?(\d+)/)?.[1]);
    expect(found).toBeGreaterThan(20);
    expect(text).toContain("Страница 1 из");
    const second = await client.get("/profile/representative/search?name=" + encodeURIComponent("вич") + "&page=2");
    expect(textOf(second.html)).toContain("Страница 2 из");
  });

  it("adds the ticked organisations as «Не заполнено», marks them in the search and never adds twice", async () => {
    const { id, client } = await representative();
    const res = await addOrganizations(client, [ids.romashka, ids.berezka]);
    expect(res.status).toBe(302);
    const table = await client.get("/profile/representative");
    const text = textOf(table.html);
    expect(text).toContain("Добавлено организаций: 2");
    expect(text).toContain("ООО «Ромашка»");
    expect(text).toContain("АО «Берёзка»");
    expect(text.match(/Не заполнено/g)!.length).toBeGreaterThanOrEqual(2);
    const search = await client.get("/profile/representative/search?inn=7707083893");
    expect(textOf(search.html)).toContain("уже представляете");
    expect(search.html).not.toContain('aria-label="7700900001"');
    const again = await addOrganizations(client, [ids.romashka]);
    expect(again.status).toBe(302);
    expect(textOf((await client.get("/profile/representative")).html)).toContain(
      "Уже были в списке и не добавлены повторно: 1",
    );
    const rows = await db().selectFrom("proxies").select("id").where("representative_id", "=", id).execute();
    expect(rows).toHaveLength(2);
    const none = await addOrganizations(client, []);
    expect(none.status).toBe(422);
  });

  it("adds a pasted list and reports what was added, already there, not found and invalid", async () => {
    const { id, client } = await representative();
    await addOrganizations(client, [ids.romashka]);
    await client.get("/profile/representative/bulk");
    const unknownInn = withInnCheckDigit("888888888");
    const res = await uploadForm(
      client,
      "/profile/representative/bulk",
      { list: `ИНН\n7707083893\n${BEREZKA.regnum};${unknownInn}\nabc` },
      null,
    );
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain("Добавлено: 1. Уже были в списке: 1. Не найдено в реестре: 1. С ошибкой в номере: 1.");
    expect(text).toContain(`${BEREZKA.regnum} Добавлена добавлена: ${BEREZKA.shortName}`);
    expect(text).toContain("7707083893 Уже в списке уже в вашем списке:");
    expect(text).toContain(`${unknownInn} Не найдена не найден в реестре СФР`);
    expect(text).toContain("abc Ошибка в номере не ИНН и не рег. номер: в них только цифры");
    // A typo in an ИНН (the check digit) is reported as a typo, not as «not found».
    const typo = await uploadForm(client, "/profile/representative/bulk", { list: "7707083894" }, null);
    expect(textOf(typo.html)).toContain(
      "7707083894 Ошибка в номере рег. номера 7707083894 нет в реестре, а как ИНН он с ошибкой: Контрольные цифры ИНН не сходятся — проверьте, нет ли опечатки.",
    );
    const csv = await uploadForm(
      client,
      "/profile/representative/bulk",
      {},
      { field: "listFile", name: "список.csv", bytes: Buffer.from(`\uFEFFinn\n${BEREZKA.inn}\n`), type: "text/csv" },
    );
    expect(textOf(csv.html)).toContain("Уже были в списке: 1.");
    expect(await db().selectFrom("proxies").select("id").where("representative_id", "=", id).execute()).toHaveLength(2);
  });

  it("checks the POA term: «по» not before «с» nor in the past; «с» may be in the past", async () => {
    const { id, client } = await representative();
    await addOrganizations(client, [ids.romashka]);
    const proxy = await proxyOf(id, ids.romashka);
    const before = await setTerm(client, proxy.id, "2026-12-10", "2026-12-01");
    expect(before.status).toBe(422);
    expect(textOf(before.html)).toContain("Дата окончания не может быть раньше даты начала");
    const past = await setTerm(client, proxy.id, "2026-01-01", "2026-11-20");
    expect(past.status).toBe(422);
    expect(textOf(past.html)).toContain("Дата окончания уже прошла");
    const bad = await setTerm(client, proxy.id, "31.12.2026", "");
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain("Укажите дату начала");
    expect((await proxyOf(id, ids.romashka)).valid_from).toBeNull();
    const ok = await setTerm(client, proxy.id, "2026-01-01", "2027-12-31");
    expect(ok.status).toBe(302);
    const saved = await proxyOf(id, ids.romashka);
    expect([saved.valid_from, saved.valid_to, saved.status]).toEqual(["2026-01-01", "2027-12-31", "not_filled"]);
  });

  it.each([
    ["poa-encrypted.pdf", "защищён паролем"],
    ["poa-truncated.pdf", "не является документом PDF или повреждён"],
    ["poa-empty.pdf", "Файл пуст"],
    ["poa-png-renamed.pdf", "не является документом PDF"],
    ["poa-html-renamed.pdf", "не является документом PDF"],
    ["poa-header-only.pdf", "не является документом PDF"],
    ["poa-with-javascript.pdf", "содержит JavaScript"],
  ])("refuses %s with its own message and stores nothing", async (file, message) => {
    const { id, client } = await representative();
    await addOrganizations(client, [ids.romashka]);
    const proxy = await proxyOf(id, ids.romashka);
    const filesBefore = storedFiles().length;
    const res = await uploadPoa(client, proxy.id, pdf(file), file);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain(message);
    expect((await proxyOf(id, ids.romashka)).poa_file_id).toBeNull();
    expect(await db().selectFrom("files").select("id").where("owner_id", "=", id).execute()).toHaveLength(0);
    expect(storedFiles()).toHaveLength(filesBefore);
  });

  it("accepts exactly 2 097 152 bytes and refuses one byte more; a 9 MiB upload is refused without being read", async () => {
    const { id, client } = await representative();
    await addOrganizations(client, [ids.romashka, ids.berezka]);
    const a = await proxyOf(id, ids.romashka);
    const b = await proxyOf(id, ids.berezka);
    const over = await uploadPoa(client, a.id, await pdfOfExactSize(2_097_153));
    expect(over.status).toBe(413);
    expect(textOf(over.html)).toContain("Файл больше 2 МБ");
    expect((await proxyOf(id, ids.romashka)).poa_file_id).toBeNull();
    const exact = await uploadPoa(client, b.id, await pdfOfExactSize(2_097_152));
    expect(exact.status).toBe(302);
    const file = await db().selectFrom("files").selectAll().where("owner_id", "=", id).executeTakeFirstOrThrow();
    expect(file.size).toBe(2_097_152);

    await client.get(`/profile/representative/proxies/${a.id}/poa`);
    const started = Date.now();
    const nine = await postDeclaringLength(`${app.url}/profile/representative/proxies/${a.id}/poa`, 9 * 1024 * 1024, {
      Cookie: `sedo_session=${client.cookie("sedo_session")}`,
      Origin: app.url,
    });
    expect(nine.status).toBe(413);
    expect(textOf(nine.body)).toContain("Файл больше 2 МБ");
    expect(Date.now() - started).toBeLessThan(5000);

    // The same 9 MiB sent chunked (no length): cut off while streaming, nothing stored.
    const chunked = await new Promise<string>((resolve) => {
      const req = http.request(`${app.url}/profile/representative/proxies/${a.id}/poa`, {
        method: "POST",
        headers: {
          "Content-Type": "multipart/form-data; boundary=zz",
          "Transfer-Encoding": "chunked",
          Cookie: `sedo_session=${client.cookie("sedo_session")}`,
          Origin: app.url,
        },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(`status ${res.statusCode}`);
      });
      req.on("error", () => resolve("connection closed"));
      req.write(
        `--zz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${client.csrf}\r\n--zz\r\nContent-Disposition: form-data; name="poa"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
      );
      const chunk = Buffer.alloc(256 * 1024, 0x41);
      let sent = 0;
      const pump = () => {
        while (sent < 36) {
          sent++;
          if (!req.write(chunk)) return req.once("drain", pump);
        }
        req.end("\r\n--zz--\r\n");
      };
      pump();
    });
    expect(chunked === "connection closed" || chunked === "status 413").toBe(true);
    expect((await proxyOf(id, ids.romashka)).poa_file_id).toBeNull();
  });

  it("becomes «На проверке» with both term and PDF: deadline of 5 working days in the office's zone, letter to the office", async () => {
    const { id, email, client } = await representative();
    await addOrganizations(client, [ids.berezka]);
    const proxy = await proxyOf(id, ids.berezka);
    expect((await uploadPoa(client, proxy.id, pdf("poa-valid-3pages.pdf"), "Доверенность Берёзка.pdf")).status).toBe(
      302,
    );
    expect((await proxyOf(id, ids.berezka)).status).toBe("not_filled");
    expect((await setTerm(client, proxy.id, "2026-11-01", "2027-10-31")).status).toBe(302);
    const submitted = await proxyOf(id, ids.berezka);
    expect(submitted.status).toBe("in_review");
    expect(submitted.submitted_at).toBe(app.clock.now().toISOString());
    expect(submitted.sla_due_at).toBe(reviewDeadline(app.clock.now(), "Asia/Vladivostok").toISOString());
    const file = await db()
      .selectFrom("files")
      .selectAll()
      .where("id", "=", submitted.poa_file_id!)
      .executeTakeFirstOrThrow();
    expect([file.pages, file.original_name]).toEqual([3, "Доверенность Берёзка.pdf"]);
    const table = textOf((await client.get("/profile/representative")).html);
    expect(table).toContain("Доверенность направлена на проверку");
    expect(table).toContain("На проверке");
    await app.deliverMail();
    const letter = app.smtp.lastTo("office2500@sfr.example.ru");
    expect(letter.subject).toContain("АО «Берёзка»");
    expect(letter.text).toContain("Иванова Мария Петровна");
    expect(letter.text).toContain(email);
    expect(letter.text).toContain("Проверить до:");
    const actions = (
      await db()
        .selectFrom("audit_events")
        .select("action")
        .where("subject_type", "=", "proxy")
        .where("subject_id", "=", String(proxy.id))
        .execute()
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["proxy.added", "proxy.poa_uploaded", "proxy.term_set", "proxy.submitted"]),
    );
  });

  it("sends a changed proxy under review, approved or rejected back to review with a new deadline", async () => {
    const rep = await representative();
    const { id } = rep;
    let client = rep.client;
    await addOrganizations(client, [ids.romashka]);
    const proxy = await proxyOf(id, ids.romashka);
    await setTerm(client, proxy.id, "2026-11-01", "2027-06-30");
    await uploadPoa(client, proxy.id, pdf("poa-valid-1page.pdf"));
    const first = await proxyOf(id, ids.romashka);
    expect(first.status).toBe("in_review");
    await db()
      .updateTable("proxies")
      .set({ status: "approved", decided_at: app.clock.now().toISOString(), version: first.version + 1 })
      .where("id", "=", proxy.id)
      .execute();
    app.clock.advance(3 * 24 * 3600_000);
    client = await signedInClient(app.url, rep.email); // the old session ended while idle
    expect(textOf((await client.get(`/profile/representative/proxies/${proxy.id}/term`)).html)).toContain(
      "снова уйдёт на проверку",
    );
    expect((await setTerm(client, proxy.id, "2026-11-01", "2027-12-31")).status).toBe(302);
    const second = await proxyOf(id, ids.romashka);
    expect(second.status).toBe("in_review");
    expect(second.decided_at).toBeNull();
    expect(second.sla_due_at! > first.sla_due_at!).toBe(true);
    await db()
      .updateTable("proxies")
      .set({ status: "rejected", rejection_reason: "Нет подписи", version: second.version + 1 })
      .where("id", "=", proxy.id)
      .execute();
    expect((await uploadPoa(client, proxy.id, pdf("poa-valid-3pages.pdf"))).status).toBe(302);
    const third = await proxyOf(id, ids.romashka);
    expect([third.status, third.rejection_reason]).toEqual(["in_review", null]);
    await app.deliverMail();
    expect(app.smtp.to("office7700@sfr.example.ru").some((m) => m.text.includes("повторно направлена"))).toBe(true);
    app.clock.set("2026-11-23T09:00:00.000Z");
  });

  it("withdraws a proxy, keeping its file; the table filters by status and searches by name or ИНН", async () => {
    const { id, client } = await representative();
    await addOrganizations(client, [ids.romashka, ids.berezka]);
    const r = await proxyOf(id, ids.romashka);
    await uploadPoa(client, r.id, pdf("poa-valid-1page.pdf"));
    const stored = await db()
      .selectFrom("files")
      .select("stored_path")
      .where("owner_id", "=", id)
      .executeTakeFirstOrThrow();
    await setTerm(client, r.id, "2026-11-01", "2027-01-31");
    const inReview = textOf((await client.get("/profile/representative?status=in_review")).html);
    expect(inReview).toContain("ООО «Ромашка»");
    expect(inReview).not.toContain("АО «Берёзка»");
    const byInn = textOf((await client.get(`/profile/representative?q=${BEREZKA.inn.slice(0, 6)}`)).html);
    expect(byInn).toContain("АО «Берёзка»");
    expect(byInn).not.toContain("ООО «Ромашка»");
    const byName = textOf((await client.get(`/profile/representative?q=${encodeURIComponent("берёз")}`)).html);
    expect(byName).toContain("АО «Берёзка»");

    await client.get(`/profile/representative/proxies/${r.id}/withdraw`);
    expect((await client.post(`/profile/representative/proxies/${r.id}/withdraw`, {})).status).toBe(302);
    const row = await db().selectFrom("proxies").selectAll().where("id", "=", r.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("withdrawn");
    expect(fs.existsSync(path.join(app.config.uploadsDir, stored.stored_path))).toBe(true);
    expect(textOf((await client.get("/profile/representative")).html)).not.toContain("ООО «Ромашка»");
    // It can be added again afterwards.
    expect((await addOrganizations(client, [ids.romashka])).status).toBe(302);
  });

  it("lets only the uploader download the PDF; a guessed URL gives others 404", async () => {
    const owner = await representative();
    await addOrganizations(owner.client, [ids.berezka]);
    const proxy = await proxyOf(owner.id, ids.berezka);
    await uploadPoa(owner.client, proxy.id, pdf("poa-valid-1page.pdf"));
    const res = await fetch(`${app.url}/profile/representative/proxies/${proxy.id}/file`, {
      headers: { Cookie: `sedo_session=${owner.client.cookie("sedo_session")}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    // Served under a name the portal makes from the registration number, never the uploader's file name.
    const regnum = (
      await db().selectFrom("organizations").select("regnum").where("id", "=", ids.berezka).executeTakeFirstOrThrow()
    ).regnum;
    expect(res.headers.get("content-disposition")).toBe(
      `inline; filename="poa.pdf"; filename*=UTF-8''${encodeURIComponent(`доверенность-${regnum}.pdf`)}`,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf("poa-valid-1page.pdf"))).toBe(true);

    const stranger = await createActiveUser(db(), { surname: "Чужая", givenName: "Ольга", patronymic: "" });
    const other = await signedInClient(app.url, stranger.email);
    for (const p of ["file", "term", "poa", "withdraw", "template"]) {
      expect((await other.get(`/profile/representative/proxies/${proxy.id}/${p}`)).status, p).toBe(404);
    }
    await other.get("/profile");
    expect((await other.post(`/profile/representative/proxies/${proxy.id}/withdraw`, {})).status).toBe(404);
    expect((await new BrowserClient(app.url).get(`/profile/representative/proxies/${proxy.id}/file`)).status).toBe(302);
  });

  it("makes a filled-in POA template PDF with the organisation and the representative", async () => {
    const { id, client } = await representative();
    await addOrganizations(client, [ids.romashka]);
    const proxy = await proxyOf(id, ids.romashka);
    const res = await fetch(`${app.url}/profile/representative/proxies/${proxy.id}/template`, {
      headers: { Cookie: `sedo_session=${client.cookie("sedo_session")}` },
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe("Доверенность — Общество с ограниченной ответственностью «Ромашка»");
    const printed = await pdfText(bytes);
    expect(printed).toContain("ДОВЕРЕННОСТЬ");
    expect(printed).toContain("Общество с ограниченной ответственностью «Ромашка» (ИНН 7707083893, КПП 770701001");
    expect(printed).toContain("Иванова Мария Петровна, СНИЛС 112-233-445 95");
    const raw = Buffer.from(bytes).toString("latin1");
    expect(raw).toMatch(/\/BaseFont \/DejaVuSans-\d+/); // the Cyrillic font is embedded
    expect(raw).toContain("/FontFile2");
  });
});

describe.each(databaseKinds)("adding the same organisation twice at once on %s", (kind) => {
  it("keeps one live proxy", async () => {
    const app = await startTestApp(kind, { registrySize: 5 });
    try {
      const db = app.database.handle.db;
      const user = await createActiveUser(db, IVANOVA);
      const now = app.clock.now().toISOString();
      await db
        .insertInto("certificates")
        .values({
          user_id: user.id,
          sha1: "A".repeat(40),
          sha256: "B".repeat(64),
          serial: "01",
          issuer: "CN=x",
          issuer_cn: "x",
          holder_surname: "Иванова",
          holder_given_name: "Мария",
          holder_patronymic: "Петровна",
          subject: "{}",
          snils: null,
          inn: null,
          not_before: "2026-01-01T00:00:00.000Z",
          not_after: "2027-01-01T00:00:00.000Z",
          algorithm: "gost2012-256",
          der: Buffer.from([0x30]),
          status: "current",
          uploaded_at: now,
          replaced_at: null,
          reminded_30_at: null,
          reminded_7_at: null,
        })
        .execute();
      const org = await db.selectFrom("organizations").select("id").limit(1).executeTakeFirstOrThrow();
      const { RepresentativeProxies } = await import("../../app/proxies/representative-proxies.server");
      const { offlineRegistry } = await import("../../app/proxies/mchd-registry.server");
      const ctx = {
        db,
        clock: app.clock,
        dbKind: app.database.handle.kind,
        uploadsDir: app.config.uploadsDir,
        appUrl: app.url,
        ip: null,
        mchdRegistry: offlineRegistry,
      };
      const results = await Promise.all([1, 2, 3].map(() => RepresentativeProxies.for(ctx, user.id).add([org.id])));
      expect(results.reduce((n, r) => n + r.added.length, 0)).toBe(1);
      expect(
        await db.selectFrom("proxies").select("id").where("representative_id", "=", user.id).execute(),
      ).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
