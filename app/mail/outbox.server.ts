// The mail outbox: a letter is written in the same transaction as the change that causes it, and a
// worker sends due letters with retries and back-off, so an SMTP outage delays mail but loses none.
import { sql } from "kysely";
import { isPostgres, type Db, type DbOrTx } from "../../db/index.server";
import type { Clock } from "../clock.server";
import type { Letter } from "./templates.server";
import type { MailTransport } from "./transport.server";
import { receiptContent, type ReceiptStore } from "../reports/receipt.server";

export const MAX_ATTEMPTS = 12;
const CLAIM_MS = 2 * 60_000;

/** A file kept with the letter, or one made when the letter is sent from the row it names (see GENERATED). */
export type MailAttachment = { filename: string; contentType: string } & (
  { content: Buffer | Uint8Array } | { generated: { kind: GeneratedKind; ref: number } }
);

/** Attachments made at sending: the receipt PDF, rendered once after its acceptance and kept. */
const GENERATED = {
  "report-receipt": (store: ReceiptStore, submissionId: number) => receiptContent(store, submissionId),
} satisfies Record<string, (store: ReceiptStore, ref: number) => Promise<Uint8Array | null>>;
type GeneratedKind = keyof typeof GENERATED;

export interface OutgoingMail extends Letter {
  recipient: string;
  purpose: string;
  userId?: number | null;
  attachments?: MailAttachment[];
}

/**
 * Writes the letter (and its attachments) as part of the caller's change, to be sent by the worker. On PostgreSQL
 * one statement: the attachments take the letter's id from its RETURNING in the same INSERT, so a letter costs the
 * transaction one round trip to the server however many files it carries. SQLite has no INSERT inside WITH: there
 * (in-process, nothing to save) the letter, then its attachments in one INSERT.
 */
export async function enqueueMail(db: DbOrTx, clock: Clock, mail: OutgoingMail): Promise<number> {
  const now = clock.now().toISOString();
  const letter = db
    .insertInto("outbox")
    .values({
      recipient: mail.recipient,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      purpose: mail.purpose,
      user_id: mail.userId ?? null,
      status: "pending",
      next_attempt_at: now,
      created_at: now,
    })
    .returning("id");
  const attachments = (mail.attachments ?? []).map((a) => ({
    filename: a.filename,
    content_type: a.contentType,
    content: "content" in a ? Buffer.from(a.content) : Buffer.alloc(0),
    generated: "generated" in a ? a.generated.kind : null,
    generated_ref: "generated" in a ? a.generated.ref : null,
  }));
  if (!attachments.length) return (await letter.executeTakeFirstOrThrow()).id;
  if (isPostgres(db)) {
    // Each attachment a SELECT of the letter's id and its own values, typed (a parameter in a SELECT list has none).
    const row = await db
      .with("letter", () => letter)
      .insertInto("outbox_attachments")
      .columns(["outbox_id", "filename", "content_type", "content", "generated", "generated_ref"])
      .expression((eb) =>
        attachments
          .map((a) =>
            eb
              .selectFrom("letter")
              .select([
                "letter.id",
                sql<string>`cast(${a.filename} as text)`.as("filename"),
                sql<string>`cast(${a.content_type} as text)`.as("content_type"),
                sql<Buffer>`cast(${a.content} as bytea)`.as("content"),
                sql<string | null>`cast(${a.generated} as text)`.as("generated"),
                sql<number | null>`cast(${a.generated_ref} as integer)`.as("generated_ref"),
              ]),
          )
          .reduce((all, next) => all.unionAll(next)),
      )
      .returning("outbox_id")
      .executeTakeFirstOrThrow();
    return row.outbox_id;
  }
  const row = await letter.executeTakeFirstOrThrow();
  await db
    .insertInto("outbox_attachments")
    .values(attachments.map((a) => ({ outbox_id: row.id, ...a })))
    .execute();
  return row.id;
}

async function attachmentsOf(db: Db, uploadsDir: string, outboxId: number) {
  const rows = await db
    .selectFrom("outbox_attachments")
    .select(["filename", "content_type", "content", "generated", "generated_ref"])
    .where("outbox_id", "=", outboxId)
    .orderBy("id")
    .execute();
  const out = [];
  for (const a of rows) {
    let content: Uint8Array | null = a.content;
    if (a.generated) {
      const known = Object.hasOwn(GENERATED, a.generated) && a.generated_ref !== null;
      content = known ? await GENERATED[a.generated as GeneratedKind]({ db, uploadsDir }, a.generated_ref!) : null;
      // Not made (an unknown kind, a submission gone): the letter waits and is tried again, never sent without it.
      if (!content) throw new Error(`attachment ${a.filename} (${a.generated} ${a.generated_ref}) could not be made`);
    }
    out.push({ filename: a.filename, contentType: a.content_type, content: Buffer.from(content) });
  }
  return out;
}

/** Wait before attempt n+1 after n failures: 30 s, 1 min, 2 min, … capped at one hour. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 3600_000);
}

export interface DeliveryReport {
  sent: number;
  failed: number;
}

/**
 * Sends every due letter once. Each row is claimed by a conditional update first, so two workers
 * (or two server processes) never send the same letter; a claim left by a crashed worker expires.
 */
export async function deliverDueMail(
  db: Db,
  clock: Clock,
  transport: MailTransport,
  /** uploadsDir: where the files of generated attachments (receipts) are kept. */
  options: { from: string; uploadsDir: string; batchSize?: number },
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: 0 };
  const now = clock.now().toISOString();
  const due = await db
    .selectFrom("outbox")
    .select("id")
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "pending"), eb("next_attempt_at", "<=", now)]),
        eb.and([eb("status", "=", "sending"), eb("claimed_until", "<", now)]),
      ]),
    )
    .orderBy("next_attempt_at")
    .limit(options.batchSize ?? 50)
    .execute();

  for (const { id } of due) {
    const claimed = await db
      .updateTable("outbox")
      .set({ status: "sending", claimed_until: new Date(clock.now().getTime() + CLAIM_MS).toISOString() })
      .where("id", "=", id)
      .where((eb) =>
        eb.or([
          eb.and([eb("status", "=", "pending"), eb("next_attempt_at", "<=", now)]),
          eb.and([eb("status", "=", "sending"), eb("claimed_until", "<", now)]),
        ]),
      )
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;

    const mail = await db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    try {
      const attachments = await attachmentsOf(db, options.uploadsDir, id);
      await transport.send({
        id: mail.id,
        from: options.from,
        to: mail.recipient,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body,
        attachments,
      });
      await db
        .updateTable("outbox")
        .set({ status: "sent", sent_at: clock.now().toISOString(), claimed_until: null, attempts: mail.attempts + 1 })
        .where("id", "=", id)
        .execute();
      report.sent++;
    } catch (error) {
      const attempts = mail.attempts + 1;
      await db
        .updateTable("outbox")
        .set({
          status: attempts >= MAX_ATTEMPTS ? "failed" : "pending",
          attempts,
          claimed_until: null,
          next_attempt_at: new Date(clock.now().getTime() + retryDelayMs(attempts)).toISOString(),
          last_error: String(error instanceof Error ? error.message : error).slice(0, 1000),
        })
        .where("id", "=", id)
        .execute();
      report.failed++;
    }
  }
  return report;
}
