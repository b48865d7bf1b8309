// Runs in a worker thread of the reader pool: reads one report file and answers plain data (a refusal is a
// value here, because an error's class does not cross threads).
import { readReportFile, ReportFileRefused } from "./index.server";
import type { ReadRefusalCode } from "./refusal";
import type { ReportFile } from "./report-file";

export type ReadAnswer = { ok: true; file: ReportFile } | { ok: false; code: ReadRefusalCode; message: string };

export default function read(bytes: Uint8Array): ReadAnswer {
  try {
    return { ok: true, file: readReportFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) };
  } catch (error) {
    if (error instanceof ReportFileRefused) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}
