// Checks that an uploaded power of attorney is really a PDF a person can open and read: it opens
// with pdf-lib, is complete, not encrypted, has at least one page, and carries no JavaScript and no
// launch actions. Each refusal has its own message.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, EncryptedPDFError } from "pdf-lib";

export const POA_MAX_BYTES = 2 * 1024 * 1024;

export type PoaProblem = "empty" | "not-pdf" | "encrypted" | "no-pages" | "active-content" | "too-large";

export const POA_MESSAGES: Record<PoaProblem, string> = {
  empty: "Файл пуст. Выберите скан доверенности в формате PDF.",
  "not-pdf":
    "Файл не является документом PDF или повреждён (например, загружен не полностью). Сохраните скан доверенности в PDF и загрузите снова.",
  encrypted: "PDF защищён паролем. Загрузите доверенность без пароля и без шифрования.",
  "no-pages": "В PDF нет ни одной страницы. Загрузите скан доверенности.",
  "active-content":
    "PDF содержит JavaScript или команды запуска программ. Такие файлы не принимаются: сохраните скан заново («Печать в PDF»).",
  "too-large": "Файл больше 2 МБ. Отсканируйте доверенность с меньшим разрешением (150–200 dpi) или в оттенках серого.",
};

export class PoaRefused extends Error {
  constructor(readonly problem: PoaProblem) {
    super(POA_MESSAGES[problem]);
    this.name = "PoaRefused";
  }
}

const ACTIVE_NAMES = new Set(["/JavaScript", "/JS", "/Launch", "/RichMedia", "/SubmitForm", "/ImportData"]);

function hasActiveContent(doc: PDFDocument): boolean {
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFDict ? object : object instanceof PDFRawStream ? object.dict : null;
    if (!dict) continue;
    for (const [key, value] of dict.entries()) {
      if (ACTIVE_NAMES.has(key.asString())) return true;
      if (key === PDFName.of("S") && value instanceof PDFName && ACTIVE_NAMES.has(value.asString())) return true;
      if (value instanceof PDFDict) {
        const s = value.get(PDFName.of("S"));
        if (s instanceof PDFName && ACTIVE_NAMES.has(s.asString())) return true;
        for (const [k] of value.entries()) if (ACTIVE_NAMES.has(k.asString())) return true;
      }
      if (value instanceof PDFArray) {
        for (const item of value.asArray())
          if (item instanceof PDFName && (item.asString() === "/JavaScript" || item.asString() === "/Launch"))
            return true;
      }
    }
  }
  return false;
}

/** Returns the page count of an acceptable POA, or throws PoaRefused. */
export async function inspectPoaPdf(bytes: Uint8Array): Promise<{ pages: number }> {
  if (bytes.length === 0) throw new PoaRefused("empty");
  if (bytes.length > POA_MAX_BYTES) throw new PoaRefused("too-large");
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString("latin1");
  if (!head.includes("%PDF-") || !tail.includes("%%EOF")) throw new PoaRefused("not-pdf");
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
