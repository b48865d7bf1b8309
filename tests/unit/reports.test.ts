// The report readers (ЕФС-1, 4-ФСС, the shared safe XML entry), against real files from shared/fixtures
// and crafted ones; and the PDF line wrapping of the receipt.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import { XMLParser } from "fast-xml-parser";
import { readReportFile, ReportFileRefused } from "../../app/reports/forms/index.server";
import { readXmlTree } from "../../app/reports/forms/bounds.server";
import { XML_PARSER_OPTIONS } from "../../app/reports/forms/xml.server";
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

describe("the document tree of the one streaming pass (bounds.server.ts)", () => {
  // The parser the readers were written against; the tree must be the same for every well-formed report.
  const fxp = new XMLParser(XML_PARSER_OPTIONS);
  const same = (text: string) => expect(readXmlTree(text)).toEqual(fxp.parse(text));

  it("is fast-xml-parser's tree for the real 4-ФСС, the reconstructed ЕФС-1 and the test files", () => {
    same(iconv.decode(real("4fss-0274016164-2019-09-real.xml"), "win1251"));
    same(real("efs1-2026-section2-reconstructed.xml").toString("utf8"));
    same(iconv.decode(fss4Xml({ regnum: "7701000001", numCorr: "1" }), "win1251"));
    same(efs1Xml({ number: "087-101-000001", persons: 40 }).toString("utf8"));
  });

  it("keeps text, attributes, repeats, CDATA and empty elements as the readers expect", () => {
    const text =
      `<?xml version="1.0"?><?F4FORM a="1"?><!-- c --><a:R xmlns="urn:x" xmlns:a="urn:a" a:k=" v &amp; w ">` +
      `<B> t1 </B><B x="1"> t2 </B><B x="2"/><C></C><D><![CDATA[ cd ]]></D><F>m1<G/>m2</F>\n<H>  </H><I y=""/></a:R>`;
    same(text);
    expect(readXmlTree(text)).toMatchObject({ R: { k: "v & w", B: ["t1", { "#text": "t2", x: "1" }, { x: "2" }] } });
  });

  it("keeps a text whole where it crosses the boundary of the pass's 64 KiB chunks", () => {
    const filler = "<П>" + "x".repeat(100) + "</П>";
    const head = `<R>${filler.repeat(Math.floor((64 * 1024 - 40) / filler.length))}<Name>`;
    const text = `${head}${"Ж".repeat(64 * 1024 - head.length - 3)}ООО Ромашка Север</Name></R>`;
    const tree = readXmlTree(text) as { R: { Name: string } };
    expect(tree.R.Name.endsWith("ООО Ромашка Север")).toBe(true);
    same(text);
  });

  it("gives no tree for a file that is not well-formed or names an element __proto__ (the validator and the parser judge those)", () => {
    expect(readXmlTree("<R><A></R>")).toBeNull();
    expect(readXmlTree("<R><__proto__>1</__proto__></R>")).toBeNull();
    expect(refusal(Buffer.from('<?xml version="1.0"?><R><A></R>')).message).toMatch(/строка 1/);
  });
});

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

describe("the receipt PDF (receipt-render.ts)", () => {
  const facts = {
    receiptNumber: "2026-7700500001-0000123",
    receivedAt: "2026-11-23T09:00:00.000Z",
    period: "09",
    year: 2026,
    sha256: "0123456789abcdef".repeat(4),
    size: 26_112,
    originalName: "EFS-1_7700500001_2026_09.xml",
    form: "EFS-1",
    correction: 0,
    parts: "раздел 2; подраздел 1.1",
    regnum: "7700500001",
    sfrRegnum: "087000000001",
    fullName: "ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ «РОМАШКА-СЕВЕРО-ЗАПАДНОЕ ПРОИЗВОДСТВЕННОЕ ОБЪЕДИНЕНИЕ № 1»",
    inn: "7701234567",
    representative: "Иванова Мария Петровна",
  };

  it("writes every fact, the same bytes each time, in the template's fonts", async () => {
    const { renderReceipt } = await import("../../app/reports/receipt-render");
    const { pdfText } = await import("../support/pdf-text");
    const { PDFDocument } = await import("pdf-lib");
    const bytes = await renderReceipt(facts);
    expect(Buffer.from(await renderReceipt(facts)).equals(Buffer.from(bytes))).toBe(true);
    const text = await pdfText(bytes);
    for (const part of [
      "КВИТАНЦИЯ О ПРИЁМЕ",
      "2026-7700500001-0000123",
      "«РОМАШКА-СЕВЕРО-ЗАПАДНОЕ",
      "7700500001 (СФР: 087-000-000001)",
      "по форме ЕФС-1, раздел 2 через шлюз СЭДО",
      "ЕФС-1, раздел 2, первичный — раздел 2; подраздел 1.1",
      "9 месяцев 2026 г.",
      "23.11.2026, 12:00 (МСК)",
      "Иванова Мария Петровна",
      "EFS-1_7700500001_2026_09.xml, 26112 байт",
      "01234567 89abcdef",
      "доверенность представителя утверждена",
    ])
      expect(text).toContain(part);
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe("Квитанция о приёме № 2026-7700500001-0000123");
    expect(doc.getCreationDate()?.toISOString()).toBe(facts.receivedAt);
  });

  it("is the template with one incremental update whose cross-references point at their objects", async () => {
    const { renderReceipt } = await import("../../app/reports/receipt-render");
    const text = Buffer.from(await renderReceipt(facts)).toString("latin1");
    const startxrefs = [...text.matchAll(/startxref\n(\d+)\n%%EOF/g)].map((m) => Number(m[1]));
    expect(startxrefs).toHaveLength(2); // the template's and the update's
    const last = startxrefs[1];
    expect(text.endsWith("%%EOF")).toBe(true);
    expect(text.slice(last, last + 5)).toBe("xref\n");
    const section = text.slice(last, text.indexOf("trailer", last));
    const entries = [...section.matchAll(/^(\d+) (\d+)\n((?:\d{10} \d{5} n \n)+)/gm)].flatMap((m) =>
      m[3]
        .trim()
        .split("\n")
        .map((line, i) => ({ object: Number(m[1]) + i, offset: Number(line.slice(0, 10)) })),
    );
    expect(entries).toHaveLength(2); // the page's content stream and the information dictionary
    for (const e of entries) expect(text.slice(e.offset).startsWith(`${e.object} 0 obj\n`)).toBe(true);
    const trailer = text.slice(text.indexOf("trailer", last), text.lastIndexOf("startxref"));
    const prev = Number(/\/Prev (\d+)/.exec(trailer)![1]);
    expect(prev).toBe(startxrefs[0]);
    expect(text.slice(prev, prev + 5)).toBe("xref\n");
    expect(trailer).toMatch(/\/Root \d+ 0 R/);
    // One object is the information dictionary the trailer names, the other the page's content stream, deflated.
    const bodyOf = (e: { offset: number }) => text.slice(e.offset, text.indexOf("endobj", e.offset));
    const info = entries.find((e) => bodyOf(e).includes("/Title"))!;
    const content = entries.find((e) => e !== info)!;
    expect(trailer).toContain(`/Info ${info.object} 0 R`);
    expect(bodyOf(content)).toContain("/Filter /FlateDecode");
    expect(text).toMatch(new RegExp(`/Contents ${content.object} 0 R`));
  });

  it("a name outside the template's characters is laid out the slow way, the same lines", async () => {
    const { renderReceipt, RECEIPT_CHARACTERS } = await import("../../app/reports/receipt-render");
    const { pdfText } = await import("../support/pdf-text");
    const foreign = { ...facts, fullName: "ТОО «Әлем» (Қазақстан)" };
    expect([...foreign.fullName].some((ch) => !RECEIPT_CHARACTERS.includes(ch))).toBe(true);
    const slow = await pdfText(await renderReceipt(foreign));
    expect(slow).toContain("ТОО «Әлем» (Қазақстан)");
    const usual = await pdfText(await renderReceipt(facts));
    // Everything but the name reads the same either way.
    const without = (text: string, name: string | RegExp) => text.replace(name, "").replace(/\s+/g, " ");
    expect(without(slow, "ТОО «Әлем» (Қазақстан)")).toBe(without(usual, /ОБЩЕСТВО.*№ 1»/));
  });
});
