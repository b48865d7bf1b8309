// Квитанция о приёме: organisation, period, time received, representative, SHA-256 of the file. Made once, after
// the acceptance is committed, in a worker thread of the intake's pool (receipt-render.ts), and kept in
// report_receipts; asking for it earlier waits for that one rendering, never fails. Only the representative who
// sent the report gets it.
import { withoutWaitingForDisk, type Db, type DbOrTx } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { renderReceiptOffThread } from "./forms/pool.server";
import type { ReceiptFacts } from "./receipt-render";

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
    representative: [r.surname, r.given_name, r.patronymic].filter(Boolean).join(" "),
  };
}

/** Renderings under way in this process, so that the intake's rendering and an early request share one. */
const making = new Map<number, Promise<Uint8Array | null>>();

async function make(db: Db, clock: Clock, submissionId: number): Promise<Uint8Array | null> {
  const facts = await factsOf(db, submissionId);
  if (!facts) return null;
  const content = await renderReceiptOffThread(facts);
  // Another process may have rendered it at the same moment: the same facts give the same bytes, the first stays.
  // A cache of what the same facts always give again: its commit need not wait for the disk.
  await withoutWaitingForDisk(db, (w) =>
    w
      .insertInto("report_receipts")
      .values({ submission_id: submissionId, content: Buffer.from(content), created_at: clock.now().toISOString() })
      .onConflict((oc) => oc.column("submission_id").doNothing())
      .execute(),
  );
  return content;
}

/**
 * The receipt PDF of an accepted submission: the stored one, or made now (once per process however many ask).
 * null when the submission is not an accepted one.
 */
export async function receiptContent(db: Db, clock: Clock, submissionId: number): Promise<Uint8Array | null> {
  const pending = making.get(submissionId);
  if (pending) return pending;
  const stored = await db
    .selectFrom("report_receipts")
    .select("content")
    .where("submission_id", "=", submissionId)
    .executeTakeFirst();
  if (stored) return new Uint8Array(stored.content);
  const again = making.get(submissionId); // began while this one read
  if (again) return again;
  const job = make(db, clock, submissionId).finally(() => making.delete(submissionId));
  making.set(submissionId, job);
  return job;
}

/**
 * After an acceptance is committed: the receipt is made in the background. A failure here is only logged — the
 * first request for the receipt, or the letter, makes it again.
 */
export function prepareReceipt(db: Db, clock: Clock, submissionId: number): void {
  receiptContent(db, clock, submissionId).catch((error: unknown) => {
    console.error(
      `receipt of submission ${submissionId} not made yet:`,
      error instanceof Error ? error.message : error,
    );
  });
}

/** The receipt for its representative only; null for anyone else, a refused submission or no such one. */
export async function receiptPdf(
  db: Db,
  clock: Clock,
  representativeId: number,
  submissionId: number,
): Promise<{ bytes: Uint8Array; receiptNumber: string } | null> {
  if (!Number.isInteger(submissionId) || submissionId <= 0) return null;
  const own = await db
    .selectFrom("report_submissions")
    .select("receipt_number")
    .where("id", "=", submissionId)
    .where("representative_id", "=", representativeId)
    .where("status", "=", "accepted")
    .executeTakeFirst();
  if (!own?.receipt_number) return null;
  const bytes = await receiptContent(db, clock, submissionId);
  return bytes ? { bytes, receiptNumber: own.receipt_number } : null;
}
