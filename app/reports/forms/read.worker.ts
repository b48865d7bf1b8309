// Runs in a worker thread of the intake's pool: reads one report file and answers plain data (a refusal is a
// value here, because an error's class does not cross threads), or renders a receipt (the export `receipt`).
import crypto from "node:crypto";
import fs from "node:fs";
import { readReportFile, ReportFileRefused } from "./index.server";
import type { ReadRefusalCode } from "./refusal";
import type { ReportFile } from "./report-file";
import { Piscina } from "piscina";
import { renderReceipt, type ReceiptFacts } from "../receipt-render";
import { keepMadeFile } from "../../web/stored-files.server";

export interface ReceiptTask {
  facts: ReceiptFacts;
  /** Where the receipt is kept (absolute). */
  file: string;
}

/** Renders the receipt, keeps it at its path and hands the bytes back (moved, not copied). */
export async function receipt(task: ReceiptTask): Promise<unknown> {
  const bytes = await renderReceipt(task.facts);
  keepMadeFile(task.file, bytes);
  return Piscina.move(bytes);
}

export type ReadAnswer = { sha256: string } & (
  { ok: true; file: ReportFile } | { ok: false; code: ReadRefusalCode; message: string }
);

/**
 * Reads the file — from the temporary file an upload was streamed to, or from bytes handed over — and hashes
 * it here too, so none of it costs the server's main thread.
 */
export default function read(input: Uint8Array | { path: string }): ReadAnswer {
  const buffer =
    input instanceof Uint8Array
      ? Buffer.from(input.buffer, input.byteOffset, input.byteLength)
      : fs.readFileSync(input.path);
  const sha256 = crypto.createHash("sha256").update(buffer).digest("hex");
  try {
    return { sha256, ok: true, file: readReportFile(buffer) };
  } catch (error) {
    if (error instanceof ReportFileRefused) return { sha256, ok: false, code: error.code, message: error.message };
    throw error;
  }
}
