// Квитанция о приёме: organisation, period, time received, representative, SHA-256 of the file. Made once, after
// the acceptance is committed, in a worker thread of the intake's pool (receipt-render.ts), which also keeps it as
// a file, UPLOADS_DIR/receipts/…/<id>.pdf (stored-files.server.ts); asking for it earlier waits for that one
// rendering, never fails, and a receipt that is missing (never kept: the process stopped first) is made again
// from its row. Only the representative who sent the report gets it.
//
// A file, not a database row: the PDF is 50 KB (its fonts), and as a row it was the intake's costliest statement
// on both databases (2 ms a report on PostgreSQL, plus its share of the write-ahead log).
import type { Db, DbOrTx } from "../../db/index.server";
import { processWide } from "../process-wide";
import { madeFilePath, readMadeFile } from "../web/stored-files.server";
import { renderReceiptOffThread } from "./forms/pool.server";
import type { ReceiptFacts } from "./receipt-render";

/** Where receipts are read from and kept: the database with their submissions, and UPLOADS_DIR. */
export interface ReceiptStore {
  db: Db;
  uploadsDir: string;
}

/** The receipt's file name, the same in the letter and on download. */
export function receiptFileName(receiptNumber: string): string {
  return `kvitanciya-${receiptNumber}.pdf`;
}

async function factsOf(db: DbOrTx, submissionId: number): Promise<ReceiptFacts | null> {
  const r = await db
    .selectFrom("report_submissions")
    .innerJoin("organizations", "organizations.id", "report_submissions.organization_id")
    .innerJoin("users", "users.id", "report_submissions.representative_id")
    .select([
      "report_submissions.receipt_number",
      "report_submissions.received_at",
      "report_submissions.period",
      "report_submissions.year",
      "report_submissions.sha256",
      "report_submissions.size",
      "report_submissions.original_name",
      "report_submissions.form",
      "report_submissions.correction",
      "report_submissions.parts",
      "organizations.sfr_regnum",
      "organizations.full_name",
      "organizations.regnum",
      "organizations.inn",
      "users.surname",
      "users.given_name",
      "users.patronymic",
    ])
    .where("report_submissions.id", "=", submissionId)
    .where("report_submissions.status", "=", "accepted")
    .executeTakeFirst();
  if (!r || !r.receipt_number) return null;
  return {
    receiptNumber: r.receipt_number,
    receivedAt: r.received_at,
    period: r.period,
    year: r.year,
    sha256: r.sha256,
    size: r.size,
    originalName: r.original_name,
    form: r.form,
    correction: r.correction,
    parts: r.parts,
    regnum: r.regnum,
    sfrRegnum: r.sfr_regnum,
    fullName: r.full_name,
    inn: r.inn,
    representative: representativeName(r.surname, r.given_name, r.patronymic),
  };
}

/** How the receipt names the representative: «Фамилия Имя Отчество». */
export function representativeName(surname: string, givenName: string, patronymic: string | null): string {
  return [surname, givenName, patronymic].filter(Boolean).join(" ");
}

/**
 * Renderings under way in this process, so that the intake's rendering, an early request and the letter share one
 * (processWide: the letters are sent by server.ts's copy of this module, the routes run the Remix build's).
 */
const making = processWide("receipts-making", () => new Map<number, Promise<Uint8Array | null>>());

function make(store: ReceiptStore, submissionId: number, known?: ReceiptFacts): Promise<Uint8Array | null> {
  const job = (async () => {
    const facts = known ?? (await factsOf(store.db, submissionId));
    if (!facts) return null;
    // Another process may render it at the same moment: the same facts give the same bytes, one whole file stays.
    return renderReceiptOffThread(facts, madeFilePath(store.uploadsDir, "receipts", submissionId));
  })().finally(() => making.delete(submissionId));
  making.set(submissionId, job);
  return job;
}

/**
 * The receipt PDF of an accepted submission: the kept one, or made now (once per process however many ask).
 * null when the submission is not an accepted one.
 */
export async function receiptContent(store: ReceiptStore, submissionId: number): Promise<Uint8Array | null> {
  const pending = making.get(submissionId);
  if (pending) return pending;
  const kept = await readMadeFile(madeFilePath(store.uploadsDir, "receipts", submissionId));
  if (kept) return new Uint8Array(kept.buffer, kept.byteOffset, kept.byteLength);
  return making.get(submissionId) ?? make(store, submissionId); // one may have begun while this one read
}

/**
 * After an acceptance is committed: the receipt is made in the background from the facts the intake has at hand.
 * A failure here is only logged — the first request for the receipt, or the letter, makes it again.
 */
export function prepareReceipt(store: ReceiptStore, submissionId: number, facts: ReceiptFacts): void {
  if (making.has(submissionId)) return;
  make(store, submissionId, facts).catch((error: unknown) => {
    console.error(
      `receipt of submission ${submissionId} not made yet:`,
      error instanceof Error ? error.message : error,
    );
  });
}

/** The receipt for its representative only; null for anyone else, a refused submission or no such one. */
export async function receiptPdf(
  store: ReceiptStore,
  representativeId: number,
  submissionId: number,
): Promise<{ bytes: Uint8Array; receiptNumber: string } | null> {
  if (!Number.isInteger(submissionId) || submissionId <= 0) return null;
  const own = await store.db
    .selectFrom("report_submissions")
    .select("receipt_number")
    .where("id", "=", submissionId)
    .where("representative_id", "=", representativeId)
    .where("status", "=", "accepted")
    .executeTakeFirst();
  if (!own?.receipt_number) return null;
  const bytes = await receiptContent(store, submissionId);
  return bytes ? { bytes, receiptNumber: own.receipt_number } : null;
}
