// The intake's work off the event loop, in one pool of worker threads (piscina): report files are read there (a
// 5 MB file takes a fraction of a second to bound, check and parse, and four at once must not stall every other
// request), and receipts are rendered there after the acceptance is committed. The workers load the TypeScript
// through tsx, as the server itself runs.
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { processWide } from "../../process-wide";
import { ReportFileRefused } from "./refusal";
import type { ReportFile } from "./report-file";
import type { ReadAnswer, ReceiptTask } from "./read.worker";
import type { ReceiptFacts } from "../receipt-render";

/**
 * One pool for the process (processWide): the routes' copy of this module (in the Remix build) and server.ts's
 * (the letters' receipts, closeReaders at shutdown) share it, so there are never two pools of threads.
 */
const shared = processWide("intake-pool", () => ({ pool: null as Piscina | null }));

function readers(): Piscina {
  shared.pool ??= new Piscina({
    filename: pathToFileURL(path.resolve("app/reports/forms/read.worker.ts")).href,
    execArgv: ["--import", "tsx"],
    minThreads: 1,
    maxThreads: Math.max(2, os.availableParallelism()),
    idleTimeout: 60_000,
  });
  return shared.pool;
}

/** A report's bytes: in memory (an entry of a ZIP), or the temporary file its upload was streamed to. */
export type ReportContent = { bytes: Buffer } | { path: string; size: number };

export function contentSize(content: ReportContent): number {
  return "bytes" in content ? content.bytes.length : content.size;
}

/** The file's SHA-256 and what readReportFile makes of it (a ReportFile, or the refusal), in a worker thread. */
export async function readReportFileOffThread(
  content: ReportContent,
): Promise<{ sha256: string; file: ReportFile } | { sha256: string; refusal: ReportFileRefused }> {
  let answer: ReadAnswer;
  if ("path" in content) {
    // The worker reads the temporary file itself: the bytes never pass through this thread.
    answer = (await readers().run({ path: content.path })) as ReadAnswer;
  } else {
    // One copy, handed over to the worker (transferred, not cloned a second time); the caller keeps its bytes.
    const copy = new Uint8Array(content.bytes);
    answer = (await readers().run(copy, { transferList: [copy.buffer] })) as ReadAnswer;
  }
  return answer.ok
    ? { sha256: answer.sha256, file: answer.file }
    : { sha256: answer.sha256, refusal: new ReportFileRefused(answer.code, answer.message) };
}

/**
 * The receipt PDF of these facts, rendered in a worker thread (pdf-lib and fontkit cost milliseconds each) and
 * kept there at `file` (keepMadeFile) before its bytes come back.
 */
export async function renderReceiptOffThread(facts: ReceiptFacts, file: string): Promise<Uint8Array> {
  const task: ReceiptTask = { facts, file };
  return (await readers().run(task, { name: "receipt" })) as Uint8Array;
}

export async function closeReaders(): Promise<void> {
  const p = shared.pool;
  shared.pool = null;
  await p?.destroy();
}
