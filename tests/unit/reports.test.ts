import { describe, expect, it } from "vitest";
import { ReportFileRefused, periodEnd, readFss4Report } from "../../app/reports/fss4-xml.server";
import { fss4Xml } from "../support/fss4";

function refusal(bytes: Buffer): ReportFileRefused {
  try {
    readFss4Report(bytes);
  } catch (e) {
    if (e instanceof ReportFileRefused) return e;
    throw e;
  }
  throw new Error("not refused");
}

describe("4-ФСС XML reader", () => {
  it("reads the registration number, period and year from a windows-1251 file", () => {
    expect(readFss4Report(fss4Xml({ regnum: "7700900001" }))).toEqual({
      regnum: "7700900001",
      period: "09",
      year: 2026,
      inn: "7707083893",
      name: "ООО «Ромашка»",
    });
  });
  it("reads UTF-8 too", () => {
    expect(readFss4Report(fss4Xml({ regnum: "7700900001", period: "12", year: 2025 }, "utf-8")).period).toBe("12");
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
    [Buffer.from(`<?xml version="1.0"?><RSV><TITLE/></RSV>`), "not-4fss"],
    [Buffer.from(`<?xml version="1.0"?><F4REPORT><TITLE REG_NUM="7700900001" YEAR_NUM="2026"/></F4REPORT>`), "fields"],
    [fss4Xml({ regnum: "77009" }), "fields"],
    [fss4Xml({ regnum: "7700900001", period: "05" }), "fields"],
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
