// Stored files streamed to their reader: never cached, never sniffed. PDFs are shown inline; anything
// else (a report's XML) is only ever downloaded, so a browser never renders it as a page.
import fs from "node:fs";
import { Readable } from "node:stream";

export interface StoredFile {
  absolutePath: string;
  size: number;
  originalName: string;
}

function storedFileResponse(
  file: StoredFile,
  contentType: string,
  disposition: "inline" | "attachment",
  asciiName: string,
): Response {
  return new Response(Readable.toWeb(fs.createReadStream(file.absolutePath)) as ReadableStream, {
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(file.size),
      "Content-Disposition": `${disposition}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(file.originalName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export function pdfFileResponse(file: StoredFile): Response {
  return storedFileResponse(file, "application/pdf", "inline", "poa.pdf");
}

export function xmlDownloadResponse(file: StoredFile): Response {
  return storedFileResponse(file, "application/xml", "attachment", "report.xml");
}

export function signatureDownloadResponse(file: StoredFile): Response {
  return storedFileResponse(file, "application/pkcs7-signature", "attachment", "mchd.sig");
}
