// The receipt's layout: plain facts in, PDF bytes out. Pure (no database), so it runs in a worker thread of the
// intake's pool; the same facts always give the same bytes, whichever process renders them.
//
// Rendering is the intake's costliest step, so a receipt is not laid out with pdf-lib's text API from scratch
// (shaping every string with fontkit, subsetting DejaVu Sans and deflating it again for each document: ~25 ms).
// Once per thread a template is made and saved — an A4 page with an empty content stream and both fonts embedded
// as subsets of every glyph a receipt may need (Latin, Cyrillic, digits, the usual punctuation). A receipt is that
// file with an incremental update appended (ISO 32000-1, 7.5.6): the page's content stream, written with the
// template's glyph codes, and the document information dictionary, each under the object number it has in the
// template, a cross-reference section for the two and a trailer whose /Prev points at the template's. Saving
// the whole document again for each receipt copied the 50 KB of fonts object by object (1.3 ms a receipt and
// most of the garbage); with the update a receipt takes ~0.6 ms. A receipt with a character outside that set (a name
// in another script) is made the slow way, with the same layout.
import zlib from "node:zlib";
import {
  PDFContentStream,
  PDFCrossRefSection,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFTrailer,
  PDFTrailerDict,
  type PDFObject,
  type PDFOperator,
  beginText,
  endText,
  moveText,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingRgbColor,
  setFontAndSize,
  showText,
  type PDFFont,
  type PDFPage,
  type RGB,
} from "pdf-lib";
import { cachingFontkit, cyrillicFonts } from "../web/pdf-fonts.server";
import { formatDateTime } from "../web/format";
import { wrap, type MeasuredFont } from "../proxies/poa-template.server";
import { formatSfrRegnum } from "../organizations/identifiers";
import { correctionLabel, formLabel } from "./forms/report-file";
import { periodLabel } from "./periods";

/** What a receipt states: the submission, its organisation and the representative who sent it. */
export interface ReceiptFacts {
  receiptNumber: string;
  receivedAt: string;
  period: string | null;
  year: number | null;
  sha256: string;
  size: number;
  originalName: string;
  form: string | null;
  correction: number;
  parts: string | null;
  regnum: string;
  sfrRegnum: string | null;
  fullName: string;
  inn: string;
  representative: string;
}

/** Where the layout draws: a page with a regular and a bold face. */
interface Canvas {
  regular: MeasuredFont;
  bold: MeasuredFont;
  draw(text: string, at: { x: number; y: number; size: number; bold?: boolean; color?: RGB }): void;
}

const GREY = rgb(0.35, 0.37, 0.4);
const A4: [number, number] = [595.28, 841.89];

function layout(r: ReceiptFacts, canvas: Canvas): void {
  const form = formLabel(r.form);
  const kind = correctionLabel(r.correction);
  let y = A4[1] - 64;
  const line = (label: string, value: string) => {
    canvas.draw(label, { x: 56, y, size: 10, color: GREY });
    for (const part of wrap(value, canvas.regular, 11, 330)) {
      canvas.draw(part, { x: 210, y, size: 11 });
      y -= 16;
    }
    y -= 6;
  };
  canvas.draw("КВИТАНЦИЯ О ПРИЁМЕ", { x: 56, y, size: 16, bold: true });
  y -= 22;
  canvas.draw(`расчёта по форме ${form} через шлюз СЭДО`, { x: 56, y, size: 11 });
  y -= 34;
  line("Номер квитанции", r.receiptNumber);
  line("Страхователь", r.fullName);
  line("Регистрационный номер", r.sfrRegnum ? `${r.regnum} (СФР: ${formatSfrRegnum(r.sfrRegnum)})` : r.regnum);
  line("ИНН", r.inn);
  line("Форма", `${form}, ${kind}${r.parts ? ` — ${r.parts}` : ""}`);
  line("Отчётный период", periodLabel(r.period, r.year));
  line("Время приёма", `${formatDateTime(r.receivedAt)} (МСК)`);
  line("Представитель", r.representative);
  line("Файл", `${r.originalName}, ${r.size} байт`);
  // Grouped by eight so the 64 characters wrap inside the page.
  line("SHA-256 файла", r.sha256.match(/.{1,8}/g)!.join(" "));
  y -= 10;
  for (const part of wrap(
    "Отчёт принят: доверенность представителя утверждена территориальным органом СФР и действует, сертификат подписи представителя действителен на дату приёма.",
    canvas.regular,
    9,
    480,
  )) {
    canvas.draw(part, { x: 56, y, size: 9, color: GREY });
    y -= 13;
  }
}

function describeDocument(doc: PDFDocument, r: ReceiptFacts): void {
  const received = new Date(r.receivedAt);
  doc.setTitle(`Квитанция о приёме № ${r.receiptNumber}`);
  doc.setSubject(
    `${formLabel(r.form)}; ${correctionLabel(r.correction)}; рег. номер ${r.regnum}; период ${periodLabel(r.period, r.year)}; SHA-256 ${r.sha256}`,
  );
  doc.setKeywords([r.receiptNumber, r.regnum, r.sha256]);
  doc.setCreator("СЭДО-шлюз");
  doc.setProducer("СЭДО-шлюз (pdf-lib)");
  doc.setCreationDate(received);
  doc.setModificationDate(received);
}

/** Every character a receipt may hold in the template's fonts. */
export const RECEIPT_CHARACTERS = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCodePoint(0x20 + i)),
  ...Array.from({ length: 0x460 - 0x400 }, (_, i) => String.fromCodePoint(0x400 + i)),
  ..."«»—–№„“”‘’…°§·",
].join("");

interface FixedFace extends MeasuredFont {
  key: PDFName;
  /** The glyph code (four hex digits) and advance width (per 1 000 units of size) of each character. */
  glyphs: Map<string, { hex: string; width: number }>;
}

interface Template {
  /** The template's objects: the information dictionary of each receipt is written from its own. */
  doc: PDFDocument;
  /** The template saved: the first part of every receipt. */
  saved: Uint8Array;
  /** Where the template's cross-reference section begins (the update's /Prev). */
  savedXref: number;
  /** The page's content stream and the information dictionary: the two objects a receipt writes anew. */
  content: PDFRef;
  info: PDFRef;
  regular: FixedFace;
  bold: FixedFace;
}

async function fixedFace(font: PDFFont, key: PDFName, page: PDFPage): Promise<FixedFace> {
  page.node.setFontDictionary(key, font.ref);
  const glyphs = new Map<string, { hex: string; width: number }>();
  for (const ch of RECEIPT_CHARACTERS) {
    const code = font.encodeText(ch).asString();
    glyphs.set(ch, { hex: code, width: font.widthOfTextAtSize(ch, 1000) });
  }
  return {
    key,
    glyphs,
    widthOfTextAtSize(text: string, size: number) {
      let w = 0;
      for (const ch of text) w += glyphs.get(ch)?.width ?? 0;
      return (w * size) / 1000;
    },
  };
}

let template: Promise<Template> | undefined;

function receiptTemplate(): Promise<Template> {
  template ??= (async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.registerFontkit(cachingFontkit);
    const page = doc.addPage(A4);
    const regular = await fixedFace(
      await doc.embedFont(cyrillicFonts().regular, { subset: true }),
      PDFName.of("R"),
      page,
    );
    const bold = await fixedFace(await doc.embedFont(cyrillicFonts().bold, { subset: true }), PDFName.of("B"), page);
    const content = doc.context.register(doc.context.contentStream([]));
    page.node.set(PDFName.of("Contents"), content);
    doc.setCreator("СЭДО-шлюз");
    const info = doc.context.trailerInfo.Info;
    if (!(info instanceof PDFRef)) throw new Error("the receipt template has no information dictionary");
    const saved = await doc.save({ useObjectStreams: false });
    const tail = Buffer.from(saved.subarray(saved.length - 40)).toString("latin1");
    const xref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    if (!xref) throw new Error("the receipt template ends without startxref");
    return { doc, saved, savedXref: Number(xref[1]), content, info, regular, bold };
  })();
  return template;
}

/** How PDFWriter closes an indirect object. */
const END_OBJECT = Buffer.from("\nendobj\n\n", "latin1");

/**
 * The template with an incremental update of these objects appended: each object under its own number, one
 * cross-reference section (ascending object numbers), a trailer with /Prev. The framing is PDFWriter's.
 */
function withUpdate(t: Template, objects: [PDFRef, PDFObject][]): Uint8Array {
  const sorted = [...objects].sort((a, b) => a[0].objectNumber - b[0].objectNumber);
  const heads = sorted.map(([ref]) => Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, "latin1"));
  const xref = PDFCrossRefSection.createEmpty();
  let offset = t.saved.length + 1; // the template's %%EOF, then a newline
  sorted.forEach(([ref, object], i) => {
    xref.addEntry(ref, offset);
    offset += heads[i].length + object.sizeInBytes() + END_OBJECT.length;
  });
  const trailer = t.doc.context.obj({
    Size: t.doc.context.largestObjectNumber + 1,
    Root: t.doc.context.trailerInfo.Root,
    Info: t.info,
    Prev: PDFNumber.of(t.savedXref),
  });
  const end = Buffer.from(
    `${xref.toString()}\n${PDFTrailerDict.of(trailer).toString()}\n\n${PDFTrailer.forLastCrossRefSectionOffset(offset).toString()}`,
    "latin1",
  );
  const out = new Uint8Array(offset + end.length);
  out.set(t.saved, 0);
  let at = t.saved.length;
  out[at++] = 0x0a;
  sorted.forEach(([, object], i) => {
    out.set(heads[i], at);
    at += heads[i].length;
    at += object.copyBytesInto(out, at);
    out.set(END_OBJECT, at);
    at += END_OBJECT.length;
  });
  out.set(end, at);
  return out;
}

const KNOWN_CHARACTERS = new Set(RECEIPT_CHARACTERS);

function fits(r: ReceiptFacts): boolean {
  for (const value of [r.fullName, r.representative, r.originalName, r.parts ?? "", r.receiptNumber, r.regnum, r.inn])
    for (const ch of value) if (!KNOWN_CHARACTERS.has(ch)) return false;
  return true;
}

export async function renderReceipt(r: ReceiptFacts): Promise<Uint8Array> {
  return fits(r) ? fromTemplate(r) : fromScratch(r);
}

/** The usual way: the template's page and fonts, the text written in its glyph codes, appended as an update. */
async function fromTemplate(r: ReceiptFacts): Promise<Uint8Array> {
  const t = await receiptTemplate();
  // From here on nothing awaits: another receipt of this thread cannot change the information dictionary meanwhile.
  const operators: PDFOperator[] = [];
  describeDocument(t.doc, r);
  layout(r, {
    regular: t.regular,
    bold: t.bold,
    draw(text, { x, y, size, bold, color }) {
      const face = bold ? t.bold : t.regular;
      let hex = "";
      for (const ch of text) hex += face.glyphs.get(ch)?.hex ?? "";
      const c = color ?? rgb(0, 0, 0);
      operators.push(
        pushGraphicsState(),
        beginText(),
        setFillingRgbColor(c.red, c.green, c.blue),
        setFontAndSize(face.key, size),
        moveText(x, y),
        showText(PDFHexString.of(hex)),
        endText(),
        popGraphicsState(),
      );
    },
  });
  const context = t.doc.context;
  const text = PDFContentStream.of(context.obj({}), operators, false).getUnencodedContents();
  const content = PDFRawStream.of(context.obj({ Filter: "FlateDecode" }), zlib.deflateSync(text));
  return withUpdate(t, [
    [t.content, content],
    [t.info, context.lookup(t.info, PDFDict)],
  ]);
}

/** The general way, for characters outside the template's fonts: pdf-lib shapes and subsets for this receipt. */
async function fromScratch(r: ReceiptFacts): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(cachingFontkit);
  const regular = await doc.embedFont(cyrillicFonts().regular, { subset: true });
  const bold = await doc.embedFont(cyrillicFonts().bold, { subset: true });
  const page = doc.addPage(A4);
  describeDocument(doc, r);
  layout(r, {
    regular,
    bold,
    draw(text, { x, y, size, bold: isBold, color }) {
      page.drawText(text, { x, y, size, font: isBold ? bold : regular, ...(color ? { color } : {}) });
    },
  });
  return doc.save({ useObjectStreams: false });
}
