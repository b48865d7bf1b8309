// «Загрузить МЧД» through the HTTP app on each database: a signed EMCHD_1 takes the proxy to review with the term
// from the МЧД, each defect is refused with its own message and nothing stored, the operator sees the МЧД's data
// and approves once it is checked in the register (by hand, or by a register double), the representative
// downloads the XML and the signature, and the API shows the МЧД's number.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { textOf, uploadForm, type BrowserClient } from "../support/client";
import { createActiveUser, signedInClient } from "../support/users";
import { addOrganizations, liveProxy, registryWith, representativeWithCertificate } from "../support/flow";
import { makeScenario, type Scenario } from "../support/pki-scenario";
import type { Issued } from "../support/pki";
import { HEAD, mchdXml, type MchdOptions } from "../support/mchd";
import { importTrustFiles } from "../../app/certificates/trust-list.server";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";
import type { MchdRegistry } from "../../app/proxies/mchd-registry.server";

const ORG = {
  regnum: "7700910001",
  inn: withInnCheckDigit("770091000"),
  kpp: "770901001",
  ogrn: withOgrnCheckDigit("102770091000"),
  fullName: "Общество с ограниченной ответственностью «Доверие»",
  shortName: "ООО «Доверие»",
  address: "г. Москва",
};
const ORG2 = {
  ...ORG,
  regnum: "7700910002",
  inn: withInnCheckDigit("770091001"),
  ogrn: withOgrnCheckDigit("102770091001"),
  shortName: "АО «Второе»",
  fullName: "АО «Второе»",
};

let s: Scenario;
let head: Issued;
beforeAll(() => {
  s = makeScenario();
  head = s.pki.issue(s.ca, {
    id: "head",
    subject: "/C=RU/SN=Галиев/GN=Рустам Ильдарович/CN=Галиев Рустам Ильдарович/SNILS=11223344595/INN=165001234562",
    notBefore: "20261001000000Z",
    notAfter: "20271001000000Z",
  });
}, 60_000);

describe.each(databaseKinds)("МЧД on %s", (kind) => {
  let app: TestApp;
  let rep: Awaited<ReturnType<typeof representativeWithCertificate>>;
  let operator: BrowserClient;
  let ids: Record<string, number>;
  const registryAnswers: Array<Awaited<ReturnType<MchdRegistry["check"]>>> = [];
  const registry: MchdRegistry = {
    check: async () => registryAnswers.shift() ?? { status: "unavailable" },
  };
  const db = () => app.database.handle.db;
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 0, mchdRegistry: registry });
    await importTrustFiles(
      db(),
      app.clock,
      [
        { name: "root.cer", bytes: s.root.der },
        { name: "ca.cer", bytes: s.ca.der },
      ],
      { appUrl: app.url },
    );
    ids = await registryWith(app, [ORG, ORG2]);
    rep = await representativeWithCertificate(app);
    await addOrganizations(app, rep.client, [ids[ORG.regnum], ids[ORG2.regnum]]);
    const op = await createActiveUser(db(), { surname: "Проверяева", givenName: "Ольга", patronymic: "" }, "operator");
    await db().updateTable("users").set({ territorial_body_code: "7700" }).where("id", "=", op.id).execute();
    operator = await signedInClient(app.url, op.email);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const good = (o: MchdOptions = {}) =>
    mchdXml({ principal: { name: ORG.fullName, inn: ORG.inn, kpp: ORG.kpp, ogrn: ORG.ogrn }, ...o });
  async function upload(regnum: string, xml: Buffer | null, signature: Buffer | null) {
    const proxy = await liveProxy(app, rep.id, ids[regnum]);
    const path = `/profile/representative/proxies/${proxy.id}/mchd`;
    await rep.client.get(path);
    const files = [
      ...(xml ? [{ field: "mchd", name: "ON_EMCHD.xml", bytes: xml, type: "text/xml" }] : []),
      ...(signature ? [{ field: "signature", name: "ON_EMCHD.xml.sig", bytes: signature }] : []),
    ];
    return { res: await uploadForm(rep.client, path, {}, files), proxyId: proxy.id };
  }
  const mchdFiles = () => db().selectFrom("files").select("id").where("kind", "in", ["mchd", "mchd-sig"]).execute();

  it("shows the form with both inputs and «Образец МЧД» for the organisation and this representative", async () => {
    const proxy = await liveProxy(app, rep.id, ids[ORG.regnum]);
    const page = await rep.client.get(`/profile/representative/proxies/${proxy.id}/mchd`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(">Файл МЧД (XML)</label>");
    expect(page.html).toContain(">Файл подписи (.sig)</label>");
    const list = await rep.client.get("/profile/representative");
    expect(list.html).toContain("Загрузить МЧД");
    const draft = await rep.client.get(`/profile/representative/proxies/${proxy.id}/mchd-draft`);
    expect(draft.status).toBe(200);
    expect(draft.headers.get("content-disposition")).toContain("attachment");
    expect(draft.html).toContain(`ИННЮЛ="${ORG.inn}"`);
    expect(draft.html).toContain('<ФИО Фамилия="Иванова" Имя="Мария" Отчество="Петровна"/>');
    expect(draft.html).toContain('СНИЛС="112-233-445 95"');
  });

  it.each([
    [
      "another organisation's ИНН",
      () => mchdXml({ principal: { inn: ORG2.inn } }),
      "head",
      "МЧД выдана организацией с ИНН",
    ],
    [
      "another representative",
      () => good({ representative: { surname: "Соколова", givenName: "Марина", patronymic: "Андреевна" } }),
      "head",
      "МЧД выдана представителю Соколова Марина Андреевна, а учётная запись — Иванова Мария Петровна",
    ],
    [
      "another СНИЛС than the certificate's",
      () =>
        good({
          representative: { surname: "Иванова", givenName: "Мария", patronymic: "Петровна", snils: "296-908-300 25" },
        }),
      "head",
      "СНИЛС представителя в МЧД 296-908-300 25, а в вашем сертификате — 112-233-445 95",
    ],
    [
      "an expired term",
      () => good({ issuedOn: "2025-11-01", validTo: "2026-11-20" }),
      "head",
      "Сегодня МЧД не действует: она выдана 01.11.2025 и действует по 20.11.2026",
    ],
    [
      "powers without the fund",
      () => good({ powersText: "Подписание деклараций в ФНС" }),
      "head",
      "Полномочия в МЧД не включают представление отчётности в Социальный фонд России",
    ],
    ["a signature over different bytes", () => good(), "other-bytes", "Подпись не подходит к этому файлу МЧД"],
    [
      "a signer who is not the head",
      () => good(),
      "not-head",
      "МЧД подписана сертификатом Кузнецова Анна Сергеевна, а подписать её должен руководитель, указанный в доверенности: Галиев Рустам Ильдарович",
    ],
    ["a signature that is not CMS", () => good(), "garbage", "Файл подписи не является отсоединённой подписью CMS"],
    [
      "a report instead of an МЧД",
      () => Buffer.from('<?xml version="1.0"?><ЭДСФР xmlns="http://пф.рф/ЕФС-1/2026-01-01"/>'),
      "head",
      "Это не МЧД в формате EMCHD_1",
    ],
  ] as const)("refuses %s with its message and stores nothing", async (_what, make, signer, message) => {
    const xml = make();
    const sig =
      signer === "head"
        ? s.pki.signCms(head, xml)
        : signer === "other-bytes"
          ? s.pki.signCms(head, good({ validTo: "2027-09-30" }))
          : signer === "not-head"
            ? s.pki.signCms(s.people.good, xml)
            : Buffer.from("это не подпись");
    const before = (await mchdFiles()).length;
    const { res, proxyId } = await upload(ORG.regnum, xml, sig);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain(message);
    expect((await mchdFiles()).length).toBe(before);
    const proxy = await db()
      .selectFrom("proxies")
      .select(["status", "poa_kind", "valid_to"])
      .where("id", "=", proxyId)
      .executeTakeFirstOrThrow();
    expect(proxy).toEqual({ status: "not_filled", poa_kind: null, valid_to: null });
  });

  it("refuses a form without the signature file, naming the field", async () => {
    const { res } = await upload(ORG.regnum, good(), null);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain("Выберите файл подписи МЧД (.sig)");
  });

  it("takes a signed МЧД: the term comes from it, the proxy goes to review; the operator approves after the register check", async () => {
    const xml = good();
    const sig = s.pki.signCms(head, xml);
    const { res, proxyId } = await upload(ORG.regnum, xml, Buffer.from(sig.toString("base64")));
    expect(res.status).toBe(302);
    const proxy = await db().selectFrom("proxies").selectAll().where("id", "=", proxyId).executeTakeFirstOrThrow();
    expect(proxy).toMatchObject({
      status: "in_review",
      poa_kind: "mchd",
      mchd_number: "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      valid_from: "2026-11-01",
      valid_to: "2027-10-31",
      registry_checked_at: null,
      registry_status: "unavailable",
    });
    // The representative gets back exactly what was uploaded.
    const back = await rep.client.get(`/profile/representative/proxies/${proxyId}/mchd/xml`);
    expect(back.status).toBe(200);
    expect(back.headers.get("content-disposition")).toContain("attachment");
    const sigBack = await fetch(`${app.url}/profile/representative/proxies/${proxyId}/mchd/sig`, {
      headers: { Cookie: `sedo_session=${rep.client.cookie("sedo_session")}` },
    });
    expect(Buffer.from(await sigBack.arrayBuffer()).toString()).toBe(sig.toString("base64"));
    // The PDF download is for PDF scans: an МЧД's XML is never served as a PDF.
    expect((await rep.client.get(`/profile/representative/proxies/${proxyId}/file`)).status).toBe(404);

    const card = await operator.get(`/operator/proxies/${proxyId}`);
    expect(card.status).toBe(200);
    const text = textOf(card.html);
    expect(card.html).toContain('aria-label="Сведения МЧД"');
    for (const fragment of [
      "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      `${ORG.fullName}, ИНН ${ORG.inn}, КПП ${ORG.kpp}, ОГРН ${ORG.ogrn}`,
      `${HEAD.surname} ${HEAD.givenName} ${HEAD.patronymic}, Директор, ИНН ${HEAD.inn}, СНИЛС 112-233-445 95`,
      "без права передоверия",
      "МЧД подписана руководителем доверителя квалифицированной подписью",
      "Проверить в реестре ФНС",
      "Проверена в реестре ФНС",
    ]) {
      expect(text).toContain(fragment);
    }
    expect(card.html).toContain(
      'href="https://m4d.nalog.gov.ru/emchd/check-status?guid=4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"',
    );
    const xmlForOperator = await operator.get(`/operator/proxies/${proxyId}/file`);
    expect(xmlForOperator.headers.get("content-type")).toContain("application/xml");
    const sigForOperator = await fetch(`${app.url}/operator/proxies/${proxyId}/signature`, {
      headers: { Cookie: `sedo_session=${operator.cookie("sedo_session")}` },
    });
    expect(sigForOperator.status).toBe(200);
    expect(Buffer.from(await sigForOperator.arrayBuffer()).toString()).toBe(sig.toString("base64"));

    const version = () =>
      db()
        .selectFrom("proxies")
        .select("version")
        .where("id", "=", proxyId)
        .executeTakeFirstOrThrow()
        .then((r) => String(r.version));
    const early = await operator.post(`/operator/proxies/${proxyId}`, { intent: "approve", version: await version() });
    expect(early.status).toBe(422);
    expect(textOf(early.html)).toContain("Утвердить МЧД можно после проверки в реестре ФНС");
    await operator.get(`/operator/proxies/${proxyId}`);
    const checked = await operator.post(`/operator/proxies/${proxyId}`, {
      intent: "registry-check",
      registryChecked: "on",
      version: await version(),
    });
    expect(checked.status).toBe(302);
    await operator.get(`/operator/proxies/${proxyId}`);
    const approved = await operator.post(`/operator/proxies/${proxyId}`, {
      intent: "approve",
      version: await version(),
    });
    expect(approved.status).toBe(302);
    const after = await db()
      .selectFrom("proxies")
      .select(["status", "registry_checked_by"])
      .where("id", "=", proxyId)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe("approved");
    expect(after.registry_checked_by).not.toBeNull();
    const history = textOf((await operator.get(`/operator/proxies/${proxyId}`)).html);
    expect(history).toContain("МЧД проверена в реестре ФНС");
  });

  it("with a register that answers, a valid МЧД is checked on upload and a revoked one is refused", async () => {
    const xml = mchdXml({
      number: "0a0b0c0d-1111-4222-8333-444455556666",
      principal: { name: ORG2.fullName, inn: ORG2.inn, kpp: ORG2.kpp, ogrn: ORG2.ogrn },
    });
    registryAnswers.push({ status: "revoked", detail: "отменена 20.11.2026" });
    const revoked = await upload(ORG2.regnum, xml, s.pki.signCms(head, xml));
    expect(revoked.res.status).toBe(422);
    expect(textOf(revoked.res.html)).toContain(
      "МЧД 0a0b0c0d-1111-4222-8333-444455556666 отменена в реестре ФНС (отменена 20.11.2026): по ней нельзя действовать.",
    );
    registryAnswers.push({ status: "valid" });
    const ok = await upload(ORG2.regnum, xml, s.pki.signCms(head, xml));
    expect(ok.res.status).toBe(302);
    const proxy = await db().selectFrom("proxies").selectAll().where("id", "=", ok.proxyId).executeTakeFirstOrThrow();
    expect(proxy.registry_status).toBe("valid");
    expect(proxy.registry_checked_at).toBe("2026-11-23T09:00:00.000Z");
    expect(proxy.registry_checked_by).toBeNull();
    const card = textOf((await operator.get(`/operator/proxies/${ok.proxyId}`)).html);
    expect(card).toContain("проверена 23.11.2026");
    expect(card).toContain("(автоматически)");
  });

  it("the API shows which document each proxy rests on and the МЧД's number", async () => {
    await rep.client.get("/profile/api-tokens");
    const created = await rep.client.post("/profile/api-tokens", { name: "1С" });
    const token = textOf(created.html).match(/\b[A-Za-z0-9_-]{40,}\b/)?.[0];
    expect(token).toBeTruthy();
    const res = await fetch(`${app.url}/api/v1/proxies`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as {
      proxies: Array<{
        registrationNumber: string;
        document: string | null;
        mchdNumber: string | null;
        validTo: string | null;
      }>;
    };
    const first = body.proxies.find((p) => p.registrationNumber === ORG.regnum);
    expect(first).toMatchObject({
      document: "mchd",
      mchdNumber: "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      validTo: "2027-10-31",
    });
  });
});
