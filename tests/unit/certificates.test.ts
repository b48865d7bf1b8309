import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NotACertificateError, certificateDer, parseCertificate } from "../../app/certificates/parse.server";
import { formatSnils, holderNameMatches } from "../../app/certificates/holder";
import { CertificateRefused, checkCertificate } from "../../app/certificates/acceptance.server";

const dir = path.resolve(__dirname, "../fixtures/certs");
const cert = (name: string) => fs.readFileSync(path.join(dir, name));
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Array<{
  id: string;
  sha1: string;
  serial: string;
}>;
const NOW = new Date("2026-11-23T09:00:00Z");
const IVANOVA = { surname: "Иванова", givenName: "Мария", patronymic: "Петровна" };

function refusal(fn: () => unknown): CertificateRefused {
  try {
    fn();
  } catch (e) {
    if (e instanceof CertificateRefused) return e;
    throw e;
  }
  throw new Error("not refused");
}

describe("parseCertificate", () => {
  it.each(manifest.filter((m) => m.serial).map((m) => m.id))(
    "reads %s in DER and Base64 with the manifest's thumbprint and serial",
    (id) => {
      const m = manifest.find((x) => x.id === id)!;
      const der = parseCertificate(cert(`${id}.cer`));
      const b64 = parseCertificate(cert(`${id}.b64.cer`));
      expect(der.sha1).toBe(m.sha1);
      expect(b64.sha1).toBe(m.sha1);
      expect(der.serial).toBe(m.serial);
    },
  );

  it("accepts PEM with LF, bare Base64 without the BEGIN/END lines, and CRLF", () => {
    const der = cert("ivanova-gost256.cer");
    const b64 = der.toString("base64");
    const lines = b64.match(/.{1,64}/g)!;
    const variants = [
      `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`,
      `-----BEGIN CERTIFICATE-----\r\n${lines.join("\r\n")}\r\n-----END CERTIFICATE-----\r\n`,
      lines.join("\r\n"),
      b64,
    ];
    for (const v of variants)
      expect(parseCertificate(Buffer.from(v)).sha1).toBe("973BFD10377C988B7726682263C87C20E14022DE");
  });

  it("reads the holder, СНИЛС, ИНН, e-mail, issuer and validity", () => {
    const c = parseCertificate(cert("ivanova-gost256.cer"));
    expect(c.holder).toEqual(IVANOVA);
    expect(c.subject.snils).toBe("11223344595");
    expect(c.subject.inn).toBe("500100732259");
    expect(c.subject.email).toBe("ivanova@example.ru");
    expect(c.issuerCommonName).toBe("Тестовый УЦ ГОСТ 2012");
    expect(c.keyAlgorithm).toBe("gost2012-256");
    expect(c.notBefore.toISOString()).toBe("2026-10-23T15:00:41.000Z");
    expect(parseCertificate(cert("ivanova-gost512.cer")).keyAlgorithm).toBe("gost2012-512");
  });

  it("reads an employee's certificate: holder from SN + GN, not the CN; O, T, ОГРН, ИНН ЮЛ", () => {
    const c = parseCertificate(cert("sidorova-employee.cer"));
    expect(c.holder).toEqual({ surname: "Сидорова", givenName: "Елена", patronymic: "Игоревна" });
    expect(c.subject.organization).toBe("ООО «Бухгалтерия плюс»");
    expect(c.subject.title).toBe("Главный бухгалтер");
    expect(c.subject.ogrn).toBe("1207790332804");
    expect(c.subject.innle).toBe("7720903320");
  });

  it("names no holder without SN and GN (a CN is never split into a surname), and reads BMPString names", () => {
    expect(parseCertificate(cert("orlov-cn-only.cer")).holder).toBeNull();
    expect(parseCertificate(cert("org-seal.cer")).holder).toBeNull();
    expect(parseCertificate(cert("bmp-kozlova.cer")).holder).toEqual({
      surname: "Козлова",
      givenName: "Ирина",
      patronymic: "Олеговна",
    });
  });

  it.each([
    ["an empty file", Buffer.alloc(0)],
    ["random bytes", Buffer.from("0bf3a91c77d2e4", "hex")],
    ["a PDF", fs.readFileSync(path.resolve(__dirname, "../fixtures/pdf/poa-valid-1page.pdf"))],
    [
      "a private key",
      Buffer.from("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"),
    ],
    ["a DER SEQUENCE that is not a certificate", Buffer.from("300602010102010a", "hex")],
    ["text", Buffer.from("Здравствуйте")],
  ])("refuses %s as not a certificate", (_name, bytes) => {
    expect(() => parseCertificate(bytes)).toThrow(NotACertificateError);
  });

  it("certificateDer passes DER through untouched", () => {
    const der = cert("ivanova-gost256.cer");
    expect(certificateDer(der)).toBe(der);
  });
});

describe("holder names", () => {
  it("match after trimming, collapsing spaces, folding case and ё→е", () => {
    expect(
      holderNameMatches(
        { surname: " ФЁДОРОВ ", givenName: "алексей", patronymic: "Сергеевич  " },
        { surname: "Федоров", givenName: "Алексей", patronymic: "сергеевич" },
      ),
    ).toBe(true);
    expect(
      holderNameMatches(
        { surname: "Иванова", givenName: "Мария", patronymic: "" },
        { surname: "Иванова", givenName: "Мария", patronymic: "Петровна" },
      ),
    ).toBe(false);
    expect(holderNameMatches({ surname: "Иванов", givenName: "Мария", patronymic: "Петровна" }, IVANOVA)).toBe(false);
  });
  it("formats СНИЛС as 112-233-445 95", () => {
    expect(formatSnils("11223344595")).toBe("112-233-445 95");
  });
});

describe("acceptance rules", () => {
  it("accepts a valid ГОСТ 2012 certificate of the account's owner", () => {
    expect(checkCertificate(cert("ivanova-gost256.cer"), IVANOVA, NOW).sha1).toBe(
      "973BFD10377C988B7726682263C87C20E14022DE",
    );
  });
  it("refuses an expired certificate naming its dates", () => {
    const r = refusal(() =>
      checkCertificate(
        cert("petrov-expired.cer"),
        { surname: "Петров", givenName: "Андрей", patronymic: "Николаевич" },
        NOW,
      ),
    );
    expect(r.code).toBe("expired");
    expect(r.message).toContain("с 02.01.2026 по 18.10.2026");
  });
  it("refuses a certificate not yet valid naming its dates", () => {
    const r = refusal(() =>
      checkCertificate(
        cert("petrov-not-yet-valid.cer"),
        { surname: "Петров", givenName: "Андрей", patronymic: "Николаевич" },
        NOW,
      ),
    );
    expect(r.code).toBe("not-yet-valid");
    expect(r.message).toContain("с 02.12.2026");
  });
  it("judges validity by the clock passed in", () => {
    expect(() =>
      checkCertificate(
        cert("petrov-not-yet-valid.cer"),
        { surname: "Петров", givenName: "Андрей", patronymic: "Николаевич" },
        new Date("2026-12-10T00:00:00Z"),
      ),
    ).not.toThrow();
    expect(
      refusal(() => checkCertificate(cert("ivanova-gost256.cer"), IVANOVA, new Date("2027-10-24T00:00:00Z"))).code,
    ).toBe("expired");
  });
  it("refuses a non-GOST key", () => {
    const r = refusal(() =>
      checkCertificate(cert("smith-rsa.cer"), { surname: "Smith", givenName: "John", patronymic: "" }, NOW),
    );
    expect(r.code).toBe("not-gost");
    expect(r.message).toContain("не является квалифицированным");
  });
  it("refuses another holder, showing both names", () => {
    const r = refusal(() => checkCertificate(cert("fedorov-yo.cer"), IVANOVA, NOW));
    expect(r.code).toBe("holder-mismatch");
    expect(r.message).toContain("Фёдоров Алексей Сергеевич");
    expect(r.message).toContain("Иванова Мария Петровна");
  });
  it("refuses an organisation's certificate and a CN-only one as not a person's, naming the organisation", () => {
    const seal = refusal(() => checkCertificate(cert("org-seal.cer"), IVANOVA, NOW));
    expect(seal.code).toBe("not-a-person");
    expect(seal.message).toContain("Сертификат выдан организации «ООО «Бухгалтерия плюс»»");
    expect(seal.message).toContain("нет фамилии и имени человека");
    const orlov = refusal(() =>
      checkCertificate(
        cert("orlov-cn-only.cer"),
        { surname: "Орлов", givenName: "Виктор", patronymic: "Павлович" },
        NOW,
      ),
    );
    expect(orlov.code).toBe("not-a-person");
  });
  it("refuses the CA certificates themselves", () => {
    for (const name of ["ca.cer", "root.cer"]) {
      const r = refusal(() => checkCertificate(cert(name), IVANOVA, NOW));
      expect(r.code).toBe("ca-certificate");
      expect(r.message).toContain("Это сертификат удостоверяющего центра «Тестов");
    }
  });
  it("accepts «Фёдоров» for an account «Федоров»", () => {
    expect(() =>
      checkCertificate(
        cert("fedorov-yo.cer"),
        { surname: "Федоров", givenName: "Алексей", patronymic: "Сергеевич" },
        NOW,
      ),
    ).not.toThrow();
  });
});
