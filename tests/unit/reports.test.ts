// The report readers (ЕФС-1, 4-ФСС, the shared safe XML entry), against real files from shared/fixtures
// and crafted ones; and the PDF line wrapping of the receipt.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readReportFile, ReportFileRefused } from "../../app/reports/forms/index.server";
import { periodEnd } from "../../app/reports/periods";
import { efs1Xml, fss4Xml } from "../support/fss4";

const REAL = path.resolve(__dirname, "../../../shared/fixtures/real/reports");
const real = (name: string) => fs.readFileSync(path.join(REAL, name));

function refusal(bytes: Buffer): ReportFileRefused {
  try {
    readReportFile(bytes);
  } catch (e) {
    if (e instanceof ReportFileRefused) return e;
    throw e;
  }
  throw new Error("not refused");
}

describe("ЕФС-1 reader", () => {
  it("reads the reconstructed ЕФС-1 of shared/fixtures: СФР number, ИНН, КПП, section 2 period, correction, filling date", () => {
    expect(readReportFile(real("efs1-2026-section2-reconstructed.xml"))).toEqual({
      form: "EFS-1",
      formVersion: "2026-01-01",
      regnum: null,
      sfrRegnum: "087001000001",
      inn: "7707083893",
      kpp: "773601001",
      name: "ПК Ромашка",
      period: "03",
      year: 2026,
      correction: 0,
      filledOn: "2026-04-10",
      parts: ["раздел 2 (ОСС)"],
    });
  });
  it("reads the namespace's version instead of knowing one year: ЭДПФР with 2024-01-01 too", () => {
    const file = readReportFile(
      efs1Xml({ number: "087-001-000001", root: "ЭДПФР", version: "2024-01-01", year: 2024 }),
    );
    expect([file.form, file.formVersion, file.year]).toEqual(["EFS-1", "2024-01-01", 2024]);
  });
  it("takes the number without dashes and the 10-digit ФСС number, the correction number and subsection 1.1", () => {
    expect(readReportFile(efs1Xml({ number: "087001000001" })).sfrRegnum).toBe("087001000001");
    const file = readReportFile(efs1Xml({ number: "7700000001", correction: "002", persons: 2, kpp: null }));
    expect([file.regnum, file.sfrRegnum, file.correction, file.kpp]).toEqual(["7700000001", null, 2, null]);
    expect(file.parts).toEqual(["раздел 2 (ОСС)", "подраздел 1.1 (сведения о трудовой деятельности, 2 чел.)"]);
  });
  it.each([
    [
      efs1Xml({ number: "087-001-000001", version: "banana" }),
      "unknown-form",
      "Пространство имён ЕФС-1 «http://пф.рф/ЕФС-1/banana» не распознано",
    ],
    [efs1Xml({ number: "087-001-000001", section2: false, persons: 3 }), "no-section-2", "нет раздела 2 (ОСС)"],
    [
      efs1Xml({ number: "087-001-000001", period: "04" }),
      "fields",
      "Код отчётного периода «04» (ОСС/Период/Код) неверен",
    ],
    [efs1Xml({ number: "87-1-1" }), "fields", "должен иметь вид XXX-XXX-XXXXXX"],
    [efs1Xml({ number: "" }), "fields", "не указан регистрационный номер"],
    [efs1Xml({ number: "087-001-000001", inn: "77070" }), "fields", "ИНН страхователя (Страхователь/ИНН)"],
    [efs1Xml({ number: "087-001-000001", correction: "1a" }), "fields", "Номер корректировки"],
    [efs1Xml({ number: "087-001-000001", year: 26 }), "fields", "Год отчётного периода"],
  ])("refuses a bad ЕФС-1 (%#) with its own message", (bytes, code, message) => {
    const r = refusal(bytes);
    expect(r.code).toBe(code);
    expect(r.message).toContain(message);
  });
});

describe("4-ФСС reader", () => {
  it("reads the real 4-ФСС file of shared/fixtures (windows-1251, KPS_NUM of 5 characters, no КПП)", () => {
    expect(readReportFile(real("4fss-0274016164-2019-09-real.xml"))).toEqual({
      form: "4-FSS",
      formVersion: "0.93",
      regnum: "0274016164",
      sfrRegnum: null,
      inn: "0274176895",
      kpp: null,
      name: 'Общество с ограниченной ответственностью "Экологические технологии и системы"',
      period: "09",
      year: 2019,
      correction: 0,
      filledOn: "2019-10-15",
      parts: ["расчёт 4-ФСС"],
    });
  });
  it("takes QUART_NUM without the leading zero, NumCorr and Upoln, in UTF-8 too", () => {
    const file = readReportFile(fss4Xml({ regnum: "7700900001", period: "6", numCorr: "1", year: 2021 }, "utf-8"));
    expect([file.period, file.correction, file.year]).toEqual(["06", 1, 2021]);
    expect(file.parts).toContain("подписан представителем страхователя");
  });
  it("refuses an XML bomb at once, without expanding anything", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("")}]><F4REPORT><TITLE REG_NUM="&lol9;"/></F4REPORT>`;
    const started = Date.now();
    expect(refusal(Buffer.from(bomb)).code).toBe("dtd");
    expect(Date.now() - started).toBeLessThan(200);
  });
  it("refuses an external entity", () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><F4REPORT><TITLE REG_NUM="&x;" QUART_NUM="09" YEAR_NUM="2026"/></F4REPORT>`;
    const r = refusal(Buffer.from(xxe));
    expect(r.code).toBe("dtd");
    expect(r.message).not.toContain("root:");
  });
  it.each([
    [Buffer.alloc(0), "empty"],
    [Buffer.from("<F4REPORT><TITLE></F4REPORT>"), "malformed"],
    [Buffer.from(`<?xml version="1.0"?><RSV><TITLE/></RSV>`), "unknown-form"],
    [Buffer.from(`<?xml version="1.0"?><F4REPORT/>`), "not-4fss"],
    [Buffer.from(`<?xml version="1.0"?><F4REPORT><TITLE REG_NUM="7700900001" YEAR_NUM="2026"/></F4REPORT>`), "fields"],
    [fss4Xml({ regnum: "77009" }), "fields"],
    [fss4Xml({ regnum: "7700900001", period: "05" }), "fields"],
    [fss4Xml({ regnum: "7700900001", kps: "123456" }), "fields"],
    [fss4Xml({ regnum: "7700900001", numCorr: "1000" }), "fields"],
    [Buffer.from(`<?xml version="1.0"?><F4REPORT><__proto__><TITLE/></__proto__></F4REPORT>`), "malformed"],
    [Buffer.alloc(5 * 1024 * 1024 + 1, 0x20), "too-large"],
  ])("refuses bad input (%#) as %s", (bytes, code) => {
    expect(refusal(bytes).code).toBe(code);
  });
  it("knows the last day of each period", () => {
    expect(periodEnd("03", 2026)).toBe("2026-03-31");
    expect(periodEnd("06", 2026)).toBe("2026-06-30");
    expect(periodEnd("12", 2026)).toBe("2026-12-31");
  });
});

describe("wrap (PDF text lines)", () => {
  it("breaks between words so that no line is wider than the limit, keeping every word", async () => {
    const { PDFDocument } = await import("pdf-lib");
    const { cachingFontkit, cyrillicFonts } = await import("../../app/web/pdf-fonts.server");
    const { wrap } = await import("../../app/proxies/poa-template.server");
    const doc = await PDFDocument.create();
    doc.registerFontkit(cachingFontkit);
    const font = await doc.embedFont(cyrillicFonts().regular, { subset: true });
    const text =
      "Общество с ограниченной ответственностью «Ромашка-Северо-Западное производственное объединение» г. Санкт-Петербург";
    const lines = wrap(text, font, 11, 200);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join(" ")).toBe(text);
    for (const line of lines) {
      if (line.includes(" ")) expect(font.widthOfTextAtSize(line, 11)).toBeLessThanOrEqual(200.5);
    }
    expect(wrap("   ", font, 11, 200)).toEqual([]);
  });
});
