// The МЧД reader and each cross-check alone; the powers rule; the draft; the detached signature check.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MchdRefused, powersCoverFundReporting, readMchd } from "../../app/proxies/mchd.server";
import {
  firstMchdRefusal,
  MCHD_CHECKS,
  mchdTermCoversToday,
  powersCoverReporting,
  principalIsOrganization,
  representativeIsAccount,
  representativeMatchesCertificate,
  signerIsHead,
  type MchdSubject,
} from "../../app/proxies/mchd-rules.server";
import { mchdDraftXml } from "../../app/proxies/mchd-draft.server";
import { verifyDetachedCms } from "../../app/certificates/gost-openssl.server";
import { parseCertificate } from "../../app/certificates/parse.server";
import { HEAD, mchdXml } from "../support/mchd";
import { makeScenario, type Scenario } from "../support/pki-scenario";

const REAL = fs.readFileSync(path.resolve(__dirname, "../fixtures/real/poa/mchd-emchd1-reconstructed.xml"));
const refused = (bytes: Buffer) => {
  try {
    readMchd(bytes);
  } catch (e) {
    if (e instanceof MchdRefused) return e.message;
    throw e;
  }
  throw new Error("not refused");
};

describe("readMchd", () => {
  it("reads the reconstructed real EMCHD_1 file", () => {
    const m = readMchd(REAL);
    expect(m).toMatchObject({
      number: "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      internalNumber: "12/2026",
      issuedOn: "2026-11-01",
      validTo: "2027-10-31",
      redelegation: "none",
      principal: {
        kind: "legal",
        name: "ООО «Экологические технологии и системы»",
        inn: "0274176895",
        kpp: "027401001",
        ogrn: "1130280031188",
      },
      head: {
        surname: "Галиев",
        givenName: "Рустам",
        patronymic: "Ильдарович",
        inn: "165001234562",
        snils: "11223344595",
        position: "Директор",
      },
      representative: {
        surname: "Соколова",
        givenName: "Марина",
        patronymic: "Андреевна",
        inn: "165007654394",
        snils: "12345678964",
      },
      registryLink: "https://m4d.nalog.gov.ru/emchd/check-status?guid=4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    });
    expect(m.powers[0].text).toContain("Социальный фонд России");
  });
  it("reads machine-readable powers with their codes", () => {
    const m = readMchd(
      mchdXml({ powersText: null, machinePowers: [{ code: "SFR_REPORTS", name: "Представление отчётности в СФР" }] }),
    );
    expect(m.powers).toEqual([{ code: "SFR_REPORTS", text: "Представление отчётности в СФР" }]);
  });
  it("refuses another document, a DOCTYPE, a broken file and missing fields, each with its message", () => {
    expect(refused(Buffer.from('<?xml version="1.0"?><Файл xmlns="urn://x-artefacts/EMCHD_1"/>'))).toContain(
      "Это не МЧД в формате EMCHD_1: корневой элемент «Файл»",
    );
    expect(refused(Buffer.from('<Доверенность xmlns="urn://other"/>'))).toContain("в пространстве имён urn://other");
    expect(refused(Buffer.from('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Доверенность/>'))).toContain(
      "DOCTYPE",
    );
    expect(refused(Buffer.from("<Доверенность><Документ>"))).toContain("Файл МЧД не прочитан");
    expect(refused(mchdXml({ number: "12345" }))).toContain("Номер МЧД «12345» — не номер из реестра ФНС");
    expect(refused(mchdXml({ validTo: "2026-10-01" }))).toContain("раньше даты её выдачи");
    expect(refused(mchdXml({ powersText: null }))).toContain("полномочия");
    expect(
      refused(
        Buffer.from(
          mchdXml()
            .toString()
            .replace(/<ЛицоБезДов[\s\S]*<\/ЛицоБезДов>/, ""),
        ),
      ),
    ).toContain("лицо, действующее без доверенности");
  });
});

describe("the cross-checks, one by one", () => {
  const subject = (o: Partial<MchdSubject> = {}): MchdSubject => ({
    mchd: readMchd(mchdXml()),
    organization: { inn: "7700000000", kpp: "770901001", ogrn: "1027700000000", shortName: "ООО «Доверие»" },
    account: { surname: "Иванова", givenName: "Мария", patronymic: "Петровна" },
    certificate: { snils: "11223344595", inn: "500100732259" },
    today: "2026-11-23",
    ...o,
  });
  it("passes a good МЧД through every check", () => {
    expect(firstMchdRefusal(subject())).toBeNull();
    expect(MCHD_CHECKS.map((c) => c.name)).toEqual([
      "principal-is-organization",
      "representative-is-account",
      "representative-matches-certificate",
      "term-covers-today",
      "powers-cover-reporting",
    ]);
  });
  it("principalIsOrganization names both ИНН, КПП and ОГРН", () => {
    const org = subject().organization;
    expect(principalIsOrganization.check(subject({ organization: { ...org, inn: "7711111111" } }))).toBe(
      "МЧД выдана организацией с ИНН 7700000000 («ООО «Доверие»»), а загружается для ООО «Доверие» с ИНН 7711111111.",
    );
    expect(principalIsOrganization.check(subject({ organization: { ...org, kpp: "771101001" } }))).toBe(
      "КПП доверителя в МЧД 770901001, а у ООО «Доверие» в реестре — 771101001.",
    );
    const withOgrn = subject({ mchd: readMchd(mchdXml({ principal: { ogrn: "1027700000011" } })) });
    expect(principalIsOrganization.check(withOgrn)).toBe(
      "ОГРН доверителя в МЧД 1027700000011, а у ООО «Доверие» в реестре — 1027700000000.",
    );
  });
  it("representativeIsAccount folds case and ё like the certificate rule", () => {
    const other = subject({
      mchd: readMchd(mchdXml({ representative: { surname: "Соколова", givenName: "Марина" } })),
    });
    expect(representativeIsAccount.check(other)).toBe(
      "МЧД выдана представителю Соколова Марина, а учётная запись — Иванова Мария Петровна. Загрузите доверенность, выданную вам.",
    );
    const folded = subject({
      mchd: readMchd(mchdXml({ representative: { surname: "ИВАНОВА", givenName: "мария", patronymic: "Петровна" } })),
    });
    expect(representativeIsAccount.check(folded)).toBeNull();
  });
  it("representativeMatchesCertificate compares СНИЛС and ИНН where the certificate has them", () => {
    expect(representativeMatchesCertificate.check(subject({ certificate: { snils: "29690830025", inn: null } }))).toBe(
      "СНИЛС представителя в МЧД 112-233-445 95, а в вашем сертификате — 296-908-300 25.",
    );
    expect(representativeMatchesCertificate.check(subject({ certificate: { snils: null, inn: "772969083006" } }))).toBe(
      "ИНН представителя в МЧД 500100732259, а в вашем сертификате — 772969083006.",
    );
    expect(representativeMatchesCertificate.check(subject({ certificate: { snils: null, inn: null } }))).toBeNull();
  });
  it("mchdTermCoversToday: issued and not yet ended", () => {
    expect(mchdTermCoversToday.check(subject({ today: "2027-11-01" }))).toBe(
      "Сегодня МЧД не действует: она выдана 01.11.2026 и действует по 31.10.2027.",
    );
    expect(mchdTermCoversToday.check(subject({ today: "2026-10-31" }))).toContain("не действует");
  });
  it("powersCoverReporting: the fund and reporting named in the text, or a fund code", () => {
    expect(
      powersCoverReporting.check(subject({ mchd: readMchd(mchdXml({ powersText: "Все полномочия" })) })),
    ).toContain("Полномочия в МЧД не включают представление отчётности в Социальный фонд России: «Все полномочия»");
    const cover = (text: string) => powersCoverFundReporting([{ code: null, text }]);
    expect(cover("Представлять отчётность в СФР")).toBe(true);
    expect(cover("Представление сведений в Фонд пенсионного и социального страхования РФ")).toBe(true);
    expect(cover("Подписание расчётов 4-ФСС в Фонд социального страхования")).toBe(true);
    expect(cover("Представлять отчётность в ФНС")).toBe(false);
    expect(cover("Представлять интересы в Социальном фонде")).toBe(false); // the fund, but not reporting
    expect(cover("отчётность в СФРИКС")).toBe(false); // «СФР» only as a word
    expect(powersCoverFundReporting([{ code: "SFR_0001", text: "" }])).toBe(true);
    expect(powersCoverFundReporting([{ code: "FNS_0001", text: "Подписание деклараций" }])).toBe(false);
  });
});

describe("«Образец МЧД»", () => {
  it("is an EMCHD_1 file the reader takes once the head's details are filled in, and passes the powers check", () => {
    const { xml, number } = mchdDraftXml({
      organization: { fullName: "ООО «Доверие» & Ко", inn: "7700000000", kpp: "770901001", ogrn: "1027700000000" },
      representative: {
        surname: "Иванова",
        givenName: "Мария",
        patronymic: "Петровна",
        inn: "500100732259",
        snils: "11223344595",
      },
      today: "2026-11-23",
    });
    expect(xml).toContain("ООО «Доверие» &amp; Ко");
    expect(() => readMchd(Buffer.from(xml))).toThrow(/фамилия и имя руководителя/);
    const filled = xml.replace('<ФИО Фамилия="" Имя="" Отчество=""/>', '<ФИО Фамилия="Галиев" Имя="Рустам"/>');
    const m = readMchd(Buffer.from(filled));
    expect(m.number).toBe(number);
    expect(m.validTo).toBe("2027-11-22");
    expect(m.representative).toMatchObject({ surname: "Иванова", snils: "11223344595", inn: "500100732259" });
    expect(powersCoverFundReporting(m.powers)).toBe(true);
  });
});

describe("the detached signature", () => {
  let s: Scenario;
  beforeAll(() => {
    s = makeScenario();
  }, 60_000);
  it("verifies over the exact bytes, names the signer, and refuses other bytes or a signature without the certificate", async () => {
    const xml = mchdXml();
    const sig = s.pki.signCms(s.people.good, xml);
    const ok = await verifyDetachedCms(xml, sig);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(parseCertificate(ok.signers[0]).sha1).toBe(parseCertificate(s.people.good.der).sha1);
    expect((await verifyDetachedCms(xml, Buffer.from(sig.toString("base64")))).ok).toBe(true);
    expect(await verifyDetachedCms(Buffer.concat([xml, Buffer.from(" ")]), sig)).toMatchObject({
      ok: false,
      reason: "signature-invalid",
    });
    expect(await verifyDetachedCms(xml, s.pki.signCms(s.people.good, xml, { noCerts: true }))).toMatchObject({
      ok: false,
      reason: "no-signer-certificate",
    });
    expect(await verifyDetachedCms(xml, Buffer.from("не подпись"))).toMatchObject({ ok: false, reason: "not-cms" });
  });
  it("signerIsHead compares the name and, where both have them, СНИЛС and ИНН", () => {
    const head = readMchd(mchdXml()).head;
    const kuznetsova = parseCertificate(s.people.good.der);
    expect(signerIsHead(kuznetsova, head)).toBe(
      `МЧД подписана сертификатом Кузнецова Анна Сергеевна, а подписать её должен руководитель, указанный в доверенности: ${HEAD.surname} ${HEAD.givenName} ${HEAD.patronymic}.`,
    );
    const sameName = { ...head, surname: "Кузнецова", givenName: "Анна", patronymic: "Сергеевна" };
    expect(signerIsHead(kuznetsova, sameName)).toBe(
      "ИНН руководителя в МЧД 165001234562, а в сертификате подписавшего — 500100732259.",
    );
    expect(signerIsHead(kuznetsova, { ...sameName, inn: "500100732259" })).toBeNull();
    expect(signerIsHead(kuznetsova, { ...sameName, inn: null, snils: "29690830025" })).toBe(
      "СНИЛС руководителя в МЧД 296-908-300 25, а в сертификате подписавшего — 112-233-445 95.",
    );
  });
});
