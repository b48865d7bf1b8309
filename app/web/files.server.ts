// A stored PDF streamed to its reader: never cached, never sniffed, shown inline.
import fs from "node:fs";
import { Readable } from "node:stream";

export function pdfFileResponse(file: { absolutePath: string; size: number; originalName: string }): Response {
  return new Response(Readable.toWeb(fs.createReadStream(file.absolutePath)) as ReadableStream, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(file.size),
      "Content-Disposition": `inline; filename="poa.pdf"; filename*=UTF-8''${encodeURIComponent(file.originalName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
