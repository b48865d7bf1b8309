// Профиль → Уполномоченный through the HTTP app: accepting a certificate and each refusal, with
// nothing stored on refusal; a fuzz run of mutated certificates; the expiry reminders.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { BrowserClient, textOf, uploadForm } from "../support/client";
import { createActiveUser, signedInClient } from "../support/users";
import { sendCertificateExpiryReminders } from "../../app/certificates/reminders.server";
import { parseCertificate } from "../../app/certificates/parse.server";

const dir = path.resolve(__dirname, "../fixtures/certs");
const cert = (name: string) => fs.readFileSync(path.join(dir, name));
const IVANOVA = { surname: "Иванова", givenName: "Мария", patronymic: "Петровна" };
const PAGE = "/profile/representative";

function sameCertificate(bytes: Buffer, original: Buffer): boolean {
  try {
    return parseCertificate(bytes).der.equals(original);
  } catch {
    return false;
  }
}

describe.each(databaseKinds)("certificates over HTTP on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(async () => {
    await app?.close();
  });
  const db = () => app.database.handle.db;
  // A certificate may belong to one account only: each test starts with none registered.
  beforeEach(async () => {
    await db().deleteFrom("certificates").execute();
  });
  const certificatesOf = (userId: number) =>
    db().selectFrom("certificates").selectAll().where("user_id", "=", userId).orderBy("id").execute();

  async function representative(name = IVANOVA) {
    const user = await createActiveUser(db(), name);
    const client = await signedInClient(app.url, user.email);
    await client.get(PAGE);
    return { user, client };
  }

  const upload = (client: BrowserClient, name: string, bytes: Buffer) =>
    uploadForm(client, PAGE, {}, { field: "certificate", name, bytes });

  it("shows the upload form and no «Добавить» before a certificate", async () => {
    const { client } = await representative();
    const page = await client.get(PAGE);
    expect(page.status).toBe(200);
    expect(page.html).toContain(">Файл сертификата (.cer)</label>");
    expect(page.html).toContain(">Загрузить сертификат</button>");
    expect(page.html).not.toContain(">Добавить</button>");
  });

  it.each(["ivanova-gost256.cer", "ivanova-gost256.b64.cer"])(
    "accepts %s and shows its details and «Добавить»",
    async (file) => {
      const { user, client } = await representative();
      const res = await upload(client, file, cert(file));
      expect(res.status).toBe(302);
      const page = await client.get(PAGE);
      const text = textOf(page.html);
      expect(text).toContain("Сертификат загружен и проверен");
      expect(text).toContain("Иванова Мария Петровна");
      expect(text).toContain("112-233-445 95");
      expect(text).toContain("Тестовый УЦ ГОСТ 2012");
      expect(text).toContain("4AD83BE5A2354213EA40E2B8457F80");
      expect(text).toContain("действителен с 23.10.2026 по 23.10.2027");
      expect(text).toContain("973BFD10377C988B7726682263C87C20E14022DE");
      expect(page.html).toContain(">Добавить</button>");
      const rows = await certificatesOf(user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe("current");
      expect(Buffer.from(rows[0].der).equals(cert("ivanova-gost256.cer"))).toBe(true);
      const events = await db().selectFrom("audit_events").select("action").where("actor_id", "=", user.id).execute();
      expect(events.map((e) => e.action)).toContain("certificate.accepted");
    },
  );

  it("accepts an employee's, a BMPString and a «Фёдоров» certificate for their holders", async () => {
    const cases: Array<[string, typeof IVANOVA, string]> = [
      [
        "sidorova-employee.cer",
        { surname: "Сидорова", givenName: "Елена", patronymic: "Игоревна" },
        "Главный бухгалтер",
      ],
      ["bmp-kozlova.cer", { surname: "Козлова", givenName: "Ирина", patronymic: "Олеговна" }, "Козлова Ирина Олеговна"],
      [
        "fedorov-yo.cer",
        { surname: "Федоров", givenName: "Алексей", patronymic: "Сергеевич" },
        "Фёдоров Алексей Сергеевич",
      ],
    ];
    for (const [file, name, shown] of cases) {
      const { client } = await representative(name);
      expect((await upload(client, file, cert(file))).status, file).toBe(302);
      expect(textOf((await client.get(PAGE)).html)).toContain(shown);
    }
  });

  it.each([
    ["random.cer", Buffer.from("c0ffee00deadbeef0102030405", "hex"), 422, "Файл не является сертификатом X.509"],
    [
      "poa.pdf",
      fs.readFileSync(path.resolve(__dirname, "../fixtures/pdf/poa-valid-1page.pdf")),
      422,
      "Файл не является сертификатом X.509",
    ],
    [
      "key.cer",
      Buffer.from("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"),
      422,
      "Файл не является сертификатом X.509",
    ],
    ["empty.cer", Buffer.alloc(0), 422, "Файл пуст"],
    ["smith-rsa.cer", cert("smith-rsa.cer"), 422, "не является квалифицированным"],
    [
      "fedorov-yo.cer",
      cert("fedorov-yo.cer"),
      422,
      "Владелец сертификата (Фёдоров Алексей Сергеевич) не совпадает с владельцем учётной записи (Иванова Мария Петровна)",
    ],
    ["orlov-cn-only.cer", cert("orlov-cn-only.cer"), 422, "нет фамилии и имени человека (поля SN и G)"],
    ["org-seal.cer", cert("org-seal.cer"), 422, "Сертификат выдан организации «ООО «Бухгалтерия плюс»»"],
    ["ca.cer", cert("ca.cer"), 422, "Это сертификат удостоверяющего центра «Тестовый УЦ ГОСТ 2012»"],
    ["big.cer", Buffer.alloc(64 * 1024 + 1, 0x41), 413, "Файл больше 64 КБ"],
  ])("refuses %s with its message and stores nothing", async (name, bytes, status, message) => {
    const { user, client } = await representative();
    const res = await upload(client, name, bytes);
    expect(res.status).toBe(status);
    expect(textOf(res.html)).toContain(message);
    expect(await certificatesOf(user.id)).toHaveLength(0);
  });

  it("refuses expired and not-yet-valid certificates naming their dates", async () => {
    const petrov = { surname: "Петров", givenName: "Андрей", patronymic: "Николаевич" };
    const { user, client } = await representative(petrov);
    const expired = await upload(client, "p.cer", cert("petrov-expired.cer"));
    expect(expired.status).toBe(422);
    expect(textOf(expired.html)).toContain("Срок действия сертификата истёк: он действовал с 02.01.2026 по 18.10.2026");
    const early = await upload(client, "p.cer", cert("petrov-not-yet-valid.b64.cer"));
    expect(early.status).toBe(422);
    expect(textOf(early.html)).toContain("Сертификат ещё не действует: срок его действия с 02.12.2026 по 02.12.2027");
    expect(await certificatesOf(user.id)).toHaveLength(0);
  });

  it("refuses a request with no file", async () => {
    const { client } = await representative();
    const res = await uploadForm(client, PAGE, {}, null);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain("Выберите файл сертификата (.cer)");
  });

  it("refuses a certificate registered to another account without saying whose", async () => {
    const first = await representative();
    expect((await upload(first.client, "a.cer", cert("ivanova-gost512.cer"))).status).toBe(302);
    const second = await representative();
    const res = await upload(second.client, "a.cer", cert("ivanova-gost512.b64.cer"));
    expect(res.status).toBe(409);
    const text = textOf(res.html);
    expect(text).toContain("уже зарегистрирован другим пользователем");
    expect(text).not.toContain(first.user.email);
    expect(await certificatesOf(second.user.id)).toHaveLength(0);
    const again = await upload(first.client, "a.cer", cert("ivanova-gost512.cer"));
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain("уже загружен в вашу учётную запись");
  });

  it("a newer certificate of the same holder replaces the current one, keeping the history", async () => {
    const { user, client } = await representative();
    expect((await upload(client, "1.cer", cert("ivanova-gost256.cer"))).status).toBe(302);
    expect((await upload(client, "2.cer", cert("ivanova-gost512.cer"))).status).toBe(302);
    const rows = await certificatesOf(user.id);
    expect(rows.map((r) => [r.sha1, r.status])).toEqual([
      ["973BFD10377C988B7726682263C87C20E14022DE", "replaced"],
      ["9F2696078A9AE9780294F143197DE156B8F2E6D3", "current"],
    ]);
    expect(textOf((await client.get(PAGE)).html)).toContain("ГОСТ Р 34.10-2012, 512 бит");
    const actions = (
      await db().selectFrom("audit_events").select("action").where("actor_id", "=", user.id).execute()
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["certificate.accepted", "certificate.replaced"]));
  });

  it("refuses an upload without the CSRF token and an oversized declared body unread", async () => {
    const { user, client } = await representative();
    client.csrf = "forged";
    const res = await upload(client, "a.cer", cert("ivanova-gost256.cer"));
    expect(res.status).toBe(403);
    expect(await certificatesOf(user.id)).toHaveLength(0);

    await client.get(PAGE);
    // 9 MiB declared, a few bytes sent: the answer comes at once, without waiting for the body.
    const started = Date.now();
    const big = await new Promise<{ status: number; connection: string | undefined; body: string }>(
      (resolve, reject) => {
        const req = http.request(app.url + PAGE, {
          method: "POST",
          headers: {
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": String(9 * 1024 * 1024),
            Cookie: `sedo_session=${client.cookie("sedo_session")}`,
            Origin: app.url,
          },
        });
        req.on("response", (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
        });
        req.on("error", reject);
        req.write("--x\r\n");
      },
    );
    expect(big.status).toBe(413);
    expect(big.connection).toBe("close");
    expect(textOf(big.body)).toContain("Файл больше 64 КБ");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await certificatesOf(user.id)).toHaveLength(0);
  });

  it("is for representatives only and requires sign-in", async () => {
    const anonymous = await new BrowserClient(app.url).get(PAGE);
    expect(anonymous.status).toBe(302);
    const operator = await createActiveUser(
      db(),
      { surname: "Операторова", givenName: "Ольга", patronymic: "" },
      "operator",
    );
    const client = await signedInClient(app.url, operator.email);
    expect((await client.get(PAGE)).status).toBe(403);
  });

  it("fuzz: mutated certificates always get a 4xx with a message, never a 500 or a stored row", async () => {
    // An account whose name no mutation can produce: a mutant that still parses is refused as
    // another holder's, so the test is about the parser never failing, not about signatures.
    const { user, client } = await representative({ surname: "Тестова", givenName: "Фазза", patronymic: "Мутантовна" });
    const sources = ["ivanova-gost256.cer", "sidorova-employee.cer", "bmp-kozlova.cer", "ivanova-gost256.b64.cer"].map(
      cert,
    );
    let seed = 20261123;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const source = sources[i % sources.length];
      let bytes: Buffer;
      if (i % 3 === 0) {
        bytes = source.subarray(0, Math.floor(random() * source.length));
      } else {
        bytes = Buffer.from(source);
        const flips = 1 + Math.floor(random() * 8);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(random() * bytes.length);
          bytes[at] ^= 1 << Math.floor(random() * 8);
        }
      }
      const res = await upload(client, `m${i}.cer`, bytes);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `mutant ${i}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `mutant ${i}`).toBeLessThan(500);
      expect(res.html).toContain('class="field__error"');
    }
    expect(await certificatesOf(user.id)).toHaveLength(0);
    expect(app.logs.some((l) => l.startsWith("error id="))).toBe(false);
  }, 120_000);

  it("fuzz: mutants of the holder's own certificate that still parse are refused by the signature check", async () => {
    // Now the account is the holder's: a mutant that keeps the name reaches the chain and the signatures.
    const { user, client } = await representative();
    const source = cert("ivanova-gost256.cer");
    let seed = 20261202;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const codes = new Map<string, number>();
    for (let i = 0; i < 80; i++) {
      const bytes = Buffer.from(source);
      const at = 4 + Math.floor(random() * (bytes.length - 4));
      bytes[at] ^= 1 << Math.floor(random() * 8);
      const res = await upload(client, `m${i}.cer`, bytes);
      // A flip the DER reader forgives (a lowercase «z» in a date) reads back as the very certificate the CA
      // signed: that one may be accepted, and only ever with the CA's bytes.
      if (sameCertificate(bytes, source)) {
        expect([302, 409], `mutant ${i}`).toContain(res.status);
        continue;
      }
      expect(res.status, `mutant ${i}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `mutant ${i}`).toBeLessThan(500);
      expect(res.html).toContain('class="field__error"');
      const code = res.status === 422 && textOf(res.html).includes("не подтверждается ключом") ? "signature" : "other";
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    // Most single-bit flips keep the certificate readable and fall to the signature check.
    expect(codes.get("signature") ?? 0).toBeGreaterThan(20);
    const stored = await certificatesOf(user.id);
    expect(stored.length).toBeLessThanOrEqual(1);
    for (const row of stored) expect(Buffer.from(row.der).equals(source)).toBe(true);
    expect(app.logs.some((l) => l.startsWith("error id="))).toBe(false);
  }, 120_000);

  it("mails the holder 30 and 7 days before the certificate expires, once each", async () => {
    const { user, client } = await representative();
    expect((await upload(client, "c.cer", cert("ivanova-gost256.cer"))).status).toBe(302); // valid to 2027-10-23
    const appUrl = app.config.appUrl;
    const letters = () => app.smtp.to(user.email).filter((m) => m.subject.includes("Сертификат подписи истекает"));

    app.clock.set("2027-09-01T09:00:00Z");
    expect(await sendCertificateExpiryReminders(db(), app.clock, appUrl)).toBe(0);
    app.clock.set("2027-09-24T09:00:00Z"); // 29 days before
    expect(await sendCertificateExpiryReminders(db(), app.clock, appUrl)).toBe(1);
    expect(await sendCertificateExpiryReminders(db(), app.clock, appUrl)).toBe(0);
    app.clock.set("2027-10-17T09:00:00Z"); // 6 days before
    expect(await sendCertificateExpiryReminders(db(), app.clock, appUrl)).toBe(1);
    expect(await sendCertificateExpiryReminders(db(), app.clock, appUrl)).toBe(0);
    await app.deliverMail();
    expect(letters()).toHaveLength(2);
    expect(letters()[0].text).toContain("заканчивается 23.10.2027");
    expect(letters()[1].text).toContain("осталось дней: 7");
    app.clock.set("2026-11-23T09:00:00.000Z");
  });
});
