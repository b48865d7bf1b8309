// Checks that an uploaded power of attorney is really a PDF a person can open and read: it opens
// with pdf-lib, starts with %PDF- and is complete, is not encrypted, has at least one page, and carries no
// active or hidden content anywhere in it (JavaScript, launch actions, embedded files, rich media, XFA).
// Each refusal has its own message.
import { EncryptedPDFError, PDFArray, PDFDict, PDFDocument, PDFName, PDFObject, PDFRef, PDFStream } from "pdf-lib";

export const POA_MAX_BYTES = 2 * 1024 * 1024;

export type PoaProblem = "empty" | "not-pdf" | "encrypted" | "no-pages" | "active-content" | "too-large";

export const POA_MESSAGES: Record<PoaProblem, string> = {
  empty: "Файл пуст. Выберите скан доверенности в формате PDF.",
  "not-pdf":
    "Файл не является документом PDF или повреждён (например, загружен не полностью). Сохраните скан доверенности в PDF и загрузите снова.",
  encrypted: "PDF защищён паролем. Загрузите доверенность без пароля и без шифрования.",
  "no-pages": "В PDF нет ни одной страницы. Загрузите скан доверенности.",
  "active-content":
    "PDF содержит JavaScript, команды запуска программ, вложенные файлы или формы XFA. Такие файлы не принимаются: сохраните скан заново («Печать в PDF»).",
  "too-large": "Файл больше 2 МБ. Отсканируйте доверенность с меньшим разрешением (150–200 dpi) или в оттенках серого.",
};

/** The name a POA PDF is downloaded under, whoever uploaded it and whatever they called it. */
export function poaDownloadName(regnum: string): string {
  return `доверенность-${regnum}.pdf`;
}

export class PoaRefused extends Error {
  constructor(readonly problem: PoaProblem) {
    super(POA_MESSAGES[problem]);
    this.name = "PoaRefused";
  }
}

/**
 * Names that mark active or hidden content wherever they stand — as a key or as a value (an action's /S, an
 * object's /Type): scripts, launching programs, embedded files, rich media, XFA forms, form submission.
 */
const ACTIVE_NAMES = new Set([
  "/JavaScript",
  "/JS",
  "/Launch",
  "/RichMedia",
  "/EmbeddedFile",
  "/EmbeddedFiles",
  "/FileAttachment",
  "/GoToE",
  "/XFA",
  "/SubmitForm",
  "/ImportData",
]);

/**
 * Walks every object of the file — each indirect object, the trailer, and everything inside them however deep
 * (a page's /AA → /O → /S /JavaScript, an /OpenAction's /Next chain, a name tree of embedded files) — with a
 * set of objects already seen, so reference loops end.
 */
function hasActiveContent(doc: PDFDocument): boolean {
  const seen = new Set<PDFObject>();
  const stack: PDFObject[] = doc.context.enumerateIndirectObjects().map(([, o]) => o);
  for (const value of Object.values(doc.context.trailerInfo)) if (value instanceof PDFObject) stack.push(value);
  while (stack.length) {
    const object = stack.pop();
    if (!object || seen.has(object)) continue;
    seen.add(object);
    if (object instanceof PDFName) {
      if (ACTIVE_NAMES.has(object.asString())) return true;
    } else if (object instanceof PDFRef) {
      const target = doc.context.lookup(object);
      if (target) stack.push(target);
    } else if (object instanceof PDFDict || object instanceof PDFStream) {
      const dict = object instanceof PDFStream ? object.dict : object;
      for (const [key, value] of dict.entries()) {
        if (ACTIVE_NAMES.has(key.asString())) return true;
        stack.push(value);
      }
    } else if (object instanceof PDFArray) {
      stack.push(...object.asArray());
    }
  }
  return false;
}

/** Returns the page count of an acceptable POA, or throws PoaRefused. */
export async function inspectPoaPdf(bytes: Uint8Array): Promise<{ pages: number }> {
  if (bytes.length === 0) throw new PoaRefused("empty");
  if (bytes.length > POA_MAX_BYTES) throw new PoaRefused("too-large");
  // %PDF- at the very first byte: a file that is also something else (a polyglot) is not a scan.
  const head = Buffer.from(bytes.subarray(0, 5)).toString("latin1");
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString("latin1");
  if (head !== "%PDF-" || !tail.includes("%%EOF")) throw new PoaRefused("not-pdf");
  let doc: PDFDocument;
  try {
    // Opened even when encrypted, so an encrypted file is named as such rather than as broken.
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    if (error instanceof EncryptedPDFError || tail.includes("/Encrypt")) throw new PoaRefused("encrypted");
    throw new PoaRefused("not-pdf");
  }
  if (doc.isEncrypted) throw new PoaRefused("encrypted");
  let pages: number;
  try {
    pages = doc.getPageCount();
  } catch {
    throw new PoaRefused("not-pdf");
  }
  if (pages < 1) throw new PoaRefused("no-pages");
  if (hasActiveContent(doc)) throw new PoaRefused("active-content");
  return { pages };
}
