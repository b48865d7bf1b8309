// PDFs made in tests: a valid one-page PDF padded with an opaque stream to an exact byte size.
import { PDFDocument, PDFName } from "pdf-lib";

async function paddedPdf(padding: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  const stream = doc.context.stream(new Uint8Array(padding).fill(0x20), { Type: PDFName.of("XObject") });
  doc.context.register(stream);
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}

export async function pdfOfExactSize(target: number): Promise<Buffer> {
  let padding = Math.max(0, target - 1000);
  for (let i = 0; i < 8; i++) {
    const bytes = await paddedPdf(padding);
    if (bytes.length === target) return Buffer.from(bytes);
    padding += target - bytes.length;
  }
  throw new Error(`could not make a PDF of exactly ${target} bytes`);
}
