// The gateway's intake: a report file (ЕФС-1 section 2, or 4-ФСС for periods up to 2022) finds its
// organisation among the representative's by its own number (ФСС or СФР), then the acceptance rules
// decide (rules.server.ts). Every submission is recorded: accepted ones get a receipt number, the stored
// file and a letter with the receipt; refused ones the rule and the reason. A batch (several files or a
// ZIP) goes through the same single-file path, file by file.
import { trustLostReason } from "../certificates/revocation.server";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import { sql, type Insertable } from "kysely";
import { isUniqueViolation, type Db, type DbOrTx } from "../../db/index.server";
import type { Database } from "../../db/schema";
import type { DatabaseKind } from "../config.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { localDate, MOSCOW } from "../calendar";
import { enqueueMail } from "../mail/outbox.server";
import { reportReceiptLetter } from "../mail/templates.server";
import { formatDateTime } from "../web/format";
import { removeStoredFile, storeFile } from "../web/stored-files.server";
import { ArchiveRefused, isZip, readArchive } from "./archive.server";
import type { ReportFile } from "./forms/index.server";
import { contentSize, readReportFileOffThread, type ReportContent } from "./forms/pool.server";
import { correctionLabel, formLabel } from "./forms/report-file";
import { periodLabel } from "./periods";
import { prepareReceipt, receiptFileName, representativeName } from "./receipt.server";
import {
  SUBJECT_RULES,
  correctionIsNew,
  firstRefusal,
  insurerNumberOf,
  type AcceptedEarlier,
  type Refusal,
  type RuleName,
  type Subject,
} from "./rules.server";
export { periodLabel };

export interface IntakeContext {
  db: Db;
  dbKind: DatabaseKind;
  clock: Clock;
  uploadsDir: string;
  appUrl: string;
  ip: string | null;
}

interface Described {
  form: string | null;
  regnum: string | null;
  sfrRegnum: string | null;
  organization: string | null;
  period: string | null;
  year: number | null;
  correction: number;
}

export type IntakeResult =
  | (Described & {
      status: "accepted";
      submissionId: number;
      receiptNumber: string;
      period: string;
      year: number;
      receivedAt: string;
      sha256: string;
      duplicate: boolean;
    })
  | (Described & { status: "rejected"; submissionId: number; rule: RuleName; reason: string });

export interface SubmissionInput {
  /** When the person chose an organisation, every file must be that organisation's. */
  organizationId?: number;
  content: ReportContent;
  originalName: string;
  via: "web" | "api";
}

/** Who sent the file: the representative's own facts the letter and the receipt print. */
interface Sender {
  email: string;
  surname: string;
  givenName: string;
  patronymic: string;
}

/** The organisation's facts beyond the rules' own: what the receipt prints. */
interface Printed {
  fullName: string;
}

type Found =
  | { subject: Omit<Subject, "accepted">; sender: Sender; printed: Printed; refusal: null }
  | { subject: null; refusal: Refusal };

/**
 * The representative's live proxy for the organisation the file names, with the facts the rules read — the
 * proxy, the organisation, the current certificate and the representative — in one query. The organisation is
 * looked up by its unique number first, then the proxy by (representative, organisation): the plan does not
 * depend on how many organisations the representative serves (scanning their proxies took 1.6 ms a report on
 * PostgreSQL for 2 000).
 */
async function findSubject(
  ctx: IntakeContext,
  representativeId: number,
  file: ReportFile,
  organizationId: number | undefined,
): Promise<Found> {
  const db = ctx.db;
  // The organisation chosen on the page (the file must then be its), or the one the file's number names.
  const organization =
    organizationId !== undefined
      ? organizationId
      : db
          .selectFrom("organizations")
          .select("id")
          .where(file.regnum ? "regnum" : "sfr_regnum", "=", file.regnum ?? file.sfrRegnum ?? "");
  const row = await db
    .selectFrom("proxies")
    .innerJoin("organizations", "organizations.id", "proxies.organization_id")
    .innerJoin("users", "users.id", "proxies.representative_id")
    .leftJoin("certificates", (j) =>
      j.onRef("certificates.user_id", "=", "proxies.representative_id").on("certificates.status", "=", "current"),
    )
    .select([
      "proxies.id",
      "proxies.status",
      "proxies.valid_from",
      "proxies.valid_to",
      "proxies.approved_valid_from",
      "proxies.approved_valid_to",
      "organizations.id as organization_id",
      "organizations.regnum",
      "organizations.sfr_regnum",
      "organizations.inn",
      "organizations.kpp",
      "organizations.short_name",
      "organizations.full_name",
      "users.email",
      "users.surname",
      "users.given_name",
      "users.patronymic",
      "certificates.id as certificate_id",
      "certificates.not_before",
      "certificates.not_after",
      "certificates.verified_at",
      "certificates.revoked_at",
      "certificates.revocation_reason",
      "certificates.distrust_reason",
    ])
    .where("proxies.representative_id", "=", representativeId)
    .where("proxies.organization_id", "=", organization)
    .where("proxies.status", "!=", "withdrawn")
    .executeTakeFirst();
  if (!row) {
    return {
      subject: null,
      refusal: {
        rule: "organization-found",
        message:
          organizationId !== undefined
            ? "Выберите организацию из своего списка представляемых."
            : `Организации с ${insurerNumberOf(file)} нет в вашем списке представляемых. Добавьте её в разделе «Профиль → Уполномоченный → Добавить», затем отправьте отчёт снова.`,
      },
    };
  }
  const matches = file.regnum ? row.regnum === file.regnum : row.sfr_regnum === file.sfrRegnum;
  if (!matches) {
    return {
      subject: null,
      refusal: {
        rule: "organization-found",
        message: `Отчёт подан за страхователя с ${insurerNumberOf(file)}, а выбрана организация ${row.short_name} (рег. номер ${row.regnum}). Выберите её или оставьте поле «Организация» пустым.`,
      },
    };
  }
  const now = ctx.clock.now();
  return {
    refusal: null,
    sender: { email: row.email, surname: row.surname, givenName: row.given_name, patronymic: row.patronymic },
    printed: { fullName: row.full_name },
    subject: {
      file,
      organization: {
        id: row.organization_id,
        regnum: row.regnum,
        sfrRegnum: row.sfr_regnum,
        inn: row.inn,
        kpp: row.kpp,
        shortName: row.short_name,
      },
      proxy: {
        id: row.id,
        status: row.status,
        validFrom: row.valid_from,
        validTo: row.valid_to,
        approvedValidFrom: row.approved_valid_from,
        approvedValidTo: row.approved_valid_to,
      },
      certificate:
        row.certificate_id !== null && row.not_before !== null && row.not_after !== null
          ? {
              notBefore: row.not_before,
              notAfter: row.not_after,
              verified: row.verified_at !== null,
              trustLost: trustLostReason({
                revoked_at: row.revoked_at,
                revocation_reason: row.revocation_reason,
                distrust_reason: row.distrust_reason,
              }),
            }
          : null,
      now: now.toISOString(),
      today: localDate(now, MOSCOW),
    },
  };
}

/** This representative's earlier acceptance of the very same file for the organisation: its receipt is the answer. */
interface Duplicate {
  id: number;
  receipt_number: string | null;
  received_at: string;
}

/**
 * Reports of this form, organisation and period accepted before — from anyone, as the fund counts them —
 * except this representative's copy of the very same file, which is a duplicate and gets its receipt back
 * (the same bytes are the same form, organisation and period, so it is among these rows).
 */
async function acceptedEarlier(
  db: DbOrTx,
  s: Omit<Subject, "accepted">,
  representativeId: number,
  sha256: string,
): Promise<{ accepted: AcceptedEarlier[]; duplicate: Duplicate | null }> {
  const rows = await db
    .selectFrom("report_submissions")
    .select(["id", "correction", "receipt_number", "received_at", "representative_id", "sha256"])
    .where("organization_id", "=", s.organization.id)
    .where("form", "=", s.file.form)
    .where("year", "=", s.file.year)
    .where("period", "=", s.file.period)
    .where("status", "=", "accepted")
    .orderBy("id")
    .execute();
  const same = (r: (typeof rows)[number]) => r.representative_id === representativeId && r.sha256 === sha256;
  return {
    accepted: rows
      .filter((r) => !same(r))
      .map((r) => ({ correction: r.correction, receiptNumber: r.receipt_number ?? "" })),
    duplicate: rows.find(same) ?? null,
  };
}

/** What the acceptance's transaction decided: refused by correctionIsNew, the same file again, or accepted. */
type AcceptanceOutcome =
  { refusal: Refusal } | { duplicate: Duplicate } | { accepted: { id: number; receiptNumber: string } };

export async function submitReport(
  ctx: IntakeContext,
  representativeId: number,
  input: SubmissionInput,
): Promise<IntakeResult> {
  const now = ctx.clock.now();
  const read = await readReportFileOffThread(input.content);
  const sha256 = read.sha256;
  const base = {
    representative_id: representativeId,
    received_at: now.toISOString(),
    sha256,
    size: contentSize(input.content),
    original_name: input.originalName.slice(0, 300) || "report.xml",
    via: input.via,
  };

  if ("refusal" in read)
    return recordRefusal(ctx, base, null, null, { rule: "file-readable", message: read.refusal.message });
  const file: ReportFile = read.file;
  const found = await findSubject(ctx, representativeId, file, input.organizationId);
  if (!found.subject) return recordRefusal(ctx, base, file, null, found.refusal);
  // Every rule but correctionIsNew reads no earlier acceptances: those are read once, inside the transaction.
  const refusal = firstRefusal({ ...found.subject, accepted: [] }, SUBJECT_RULES);
  if (refusal) return recordRefusal(ctx, base, file, found.subject, refusal);

  const described = describe(file, found.subject);
  // The same file already accepted from this representative for this organisation: its receipt again.
  const duplicateOf = async (row: Duplicate) => {
    await recordAuditEvent(ctx.db, ctx.clock, {
      action: "report.duplicate",
      actorId: representativeId,
      subjectType: "report",
      subjectId: row.id,
      ip: ctx.ip,
      details: { receiptNumber: row.receipt_number },
    });
    return {
      ...described,
      status: "accepted" as const,
      duplicate: true,
      submissionId: row.id,
      receiptNumber: row.receipt_number ?? "",
      period: file.period,
      year: file.year,
      receivedAt: row.received_at,
      sha256,
    };
  };

  // Kept before the transaction (the write must not hold the organisation's lock); removed if nothing is accepted.
  const { relative, absolute: target } = await storeFile(
    ctx.uploadsDir,
    "reports",
    "path" in input.content ? { tempPath: input.content.path } : { bytes: input.content.bytes },
    now,
  );
  let subject: Subject = { ...found.subject, accepted: [] };
  try {
    const outcome = await ctx.db.transaction().execute(async (trx): Promise<AcceptanceOutcome> => {
      // Acceptances of one organisation go one at a time, so two corrections with the same number cannot
      // both pass (SQLite serialises every write transaction already). NO KEY UPDATE leaves the foreign-key
      // checks of other inserts (refusals) unblocked.
      if (ctx.dbKind === "postgres") {
        await trx
          .selectFrom("organizations")
          .select("id")
          .where("id", "=", subject.organization.id)
          .forNoKeyUpdate()
          .execute();
      }
      const earlier = await acceptedEarlier(trx, subject, representativeId, sha256);
      subject = { ...subject, accepted: earlier.accepted };
      const late = correctionIsNew.check(subject);
      if (late) return { refusal: { rule: correctionIsNew.name, message: late } };
      if (earlier.duplicate) return { duplicate: earlier.duplicate };
      const r = await insertAccepted(trx, ctx.dbKind, {
        ...base,
        ...columnsOf(file, subject),
        year: file.year,
        regnum: subject.organization.regnum,
        status: "accepted",
        reason: null,
        receipt_number: null,
        stored_path: relative,
      });
      const receiptNumber = r.receiptNumber;
      const { sender } = found;
      await enqueueMail(trx, ctx.clock, {
        recipient: sender.email,
        purpose: "report-receipt",
        userId: representativeId,
        ...reportReceiptLetter({
          givenName: sender.givenName,
          patronymic: sender.patronymic,
          organization: subject.organization.shortName,
          regnum: subject.organization.regnum,
          form: `${formLabel(file.form)}, ${correctionLabel(file.correction)}`,
          period: periodLabel(file.period, file.year),
          receiptNumber,
          receivedAt: formatDateTime(now),
          sha256,
          link: `${ctx.appUrl}/reports/${r.id}/receipt`,
        }),
        // The PDF is made after the commit (receipt.server.ts); the letter takes it when it is sent.
        attachments: [
          {
            filename: receiptFileName(receiptNumber),
            contentType: "application/pdf",
            generated: { kind: "report-receipt", ref: r.id },
          },
        ],
      });
      await recordAuditEvent(trx, ctx.clock, {
        action: "report.accepted",
        actorId: representativeId,
        subjectType: "report",
        subjectId: r.id,
        ip: ctx.ip,
        details: { receiptNumber, form: file.form, correction: file.correction },
      });
      return { accepted: { id: r.id, receiptNumber } };
    });
    if (!("accepted" in outcome)) await removeStoredFile(target);
    if ("refusal" in outcome) return recordRefusal(ctx, base, file, subject, outcome.refusal);
    if ("duplicate" in outcome) return duplicateOf(outcome.duplicate);
    // The receipt of the row just written, from the facts at hand (the same a later rendering reads from the row).
    const columns = columnsOf(file, subject);
    prepareReceipt({ db: ctx.db, uploadsDir: ctx.uploadsDir }, outcome.accepted.id, {
      receiptNumber: outcome.accepted.receiptNumber,
      receivedAt: base.received_at,
      period: columns.period,
      year: columns.year,
      sha256,
      size: base.size,
      originalName: base.original_name,
      form: columns.form,
      correction: columns.correction,
      parts: columns.parts,
      regnum: subject.organization.regnum,
      sfrRegnum: subject.organization.sfrRegnum,
      fullName: found.printed.fullName,
      inn: subject.organization.inn,
      representative: representativeName(found.sender.surname, found.sender.givenName, found.sender.patronymic),
    });
    return {
      ...described,
      status: "accepted",
      duplicate: false,
      submissionId: outcome.accepted.id,
      receiptNumber: outcome.accepted.receiptNumber,
      period: file.period,
      year: file.year,
      receivedAt: now.toISOString(),
      sha256,
    };
  } catch (error) {
    await removeStoredFile(target);
    if (isUniqueViolation(error)) {
      // The same file accepted a moment ago by a request racing this one.
      const winner = (await acceptedEarlier(ctx.db, subject, representativeId, sha256)).duplicate;
      if (winner) return duplicateOf(winner);
    }
    throw error;
  }
}

/** «2026-7700000001-0000123»: the year, the organisation's number and the submission's id, seven digits at least. */
function receiptNumberOf(year: number, regnum: string, id: number): string {
  return `${year}-${regnum}-${String(id).padStart(7, "0")}`;
}

/**
 * The accepted submission's row with its receipt number, which holds the row's id. On PostgreSQL one statement:
 * the id is drawn from the table's sequence in a WITH, and the number made of it in the same INSERT (the same
 * format as receiptNumberOf; a test compares them). On SQLite, in-process, the INSERT and an UPDATE.
 */
async function insertAccepted(
  trx: DbOrTx,
  dbKind: DatabaseKind,
  row: Insertable<Database["report_submissions"]> & { year: number; regnum: string },
): Promise<{ id: number; receiptNumber: string }> {
  if (dbKind === "postgres") {
    const r = await trx
      .with("next", (q) =>
        q.selectNoFrom(sql<number>`nextval(pg_get_serial_sequence('report_submissions', 'id'))::integer`.as("id")),
      )
      .insertInto("report_submissions")
      .values({
        ...row,
        id: sql<number>`(select id from next)`,
        receipt_number: sql<string>`cast(${`${row.year}-${row.regnum}-`} as text) || lpad(cast((select id from next) as text), greatest(7, length(cast((select id from next) as text))), '0')`,
      })
      .returning(["id", "receipt_number"])
      .executeTakeFirstOrThrow();
    return { id: r.id, receiptNumber: r.receipt_number ?? "" };
  }
  const r = await trx.insertInto("report_submissions").values(row).returning("id").executeTakeFirstOrThrow();
  const receiptNumber = receiptNumberOf(row.year, row.regnum, r.id);
  await trx.updateTable("report_submissions").set({ receipt_number: receiptNumber }).where("id", "=", r.id).execute();
  return { id: r.id, receiptNumber };
}

function describe(file: ReportFile | null, subject: Pick<Subject, "organization"> | null): Described {
  return {
    form: file?.form ?? null,
    regnum: subject?.organization.regnum ?? file?.regnum ?? null,
    sfrRegnum: subject?.organization.sfrRegnum ?? file?.sfrRegnum ?? null,
    organization: subject?.organization.shortName ?? null,
    period: file?.period ?? null,
    year: file?.year ?? null,
    correction: file?.correction ?? 0,
  };
}

function columnsOf(file: ReportFile | null, subject: Pick<Subject, "organization" | "proxy"> | null) {
  return {
    organization_id: subject?.organization.id ?? null,
    proxy_id: subject?.proxy.id ?? null,
    regnum: subject?.organization.regnum ?? file?.regnum ?? null,
    sfr_regnum: subject?.organization.sfrRegnum ?? file?.sfrRegnum ?? null,
    period: file?.period ?? null,
    year: file?.year ?? null,
    form: file?.form ?? null,
    correction: file?.correction ?? 0,
    filled_on: file?.filledOn ?? null,
    parts: file ? file.parts.join("; ").slice(0, 500) : null,
  };
}

/** The columns every submission has, readable or not. */
interface Base {
  representative_id: number;
  received_at: string;
  sha256: string;
  size: number;
  original_name: string;
  via: "web" | "api";
}

async function recordRefusal(
  ctx: IntakeContext,
  base: Base,
  file: ReportFile | null,
  subject: Pick<Subject, "organization" | "proxy"> | null,
  refusal: Refusal,
): Promise<IntakeResult> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto("report_submissions")
      .values({
        ...base,
        ...columnsOf(file, subject),
        status: "rejected",
        reason: refusal.message.slice(0, 1000),
        refusal_rule: refusal.rule,
        receipt_number: null,
        stored_path: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, ctx.clock, {
      action: "report.rejected",
      actorId: base.representative_id,
      subjectType: "report",
      subjectId: r.id,
      ip: ctx.ip,
      details: { rule: refusal.rule, reason: refusal.message },
    });
    return r;
  });
  return {
    ...describe(file, subject),
    status: "rejected",
    submissionId: row.id,
    rule: refusal.rule,
    reason: refusal.message,
  };
}

export interface BatchFile {
  name: string;
  content: ReportContent;
}

/** One line of «Результаты отправки»: a report's result, or a file that was not a report (skipped). */
export type BatchRow =
  | { fileName: string; archive: string | null; result: IntakeResult }
  | { fileName: string; archive: string | null; skipped: string };

/**
 * Several files at once, each finding its organisation by its own number: XML files as they are, ZIP
 * archives unpacked safely first. Files go one after another through submitReport, in the given order.
 */
async function isZipContent(content: ReportContent): Promise<boolean> {
  if ("bytes" in content) return isZip(content.bytes);
  const handle = await fs.open(content.path, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return isZip(head);
  } finally {
    await handle.close();
  }
}

export async function submitReports(
  ctx: IntakeContext,
  representativeId: number,
  files: BatchFile[],
  options: { organizationId?: number; via: "web" | "api" },
): Promise<BatchRow[]> {
  const rows: BatchRow[] = [];
  for (const file of files) {
    if (!(await isZipContent(file.content))) {
      rows.push({
        fileName: file.name,
        archive: null,
        result: await submitReport(ctx, representativeId, {
          ...options,
          content: file.content,
          originalName: file.name,
        }),
      });
      continue;
    }
    // An archive is small next to what it holds: it is read here and unpacked safely.
    const bytes = "bytes" in file.content ? file.content.bytes : await fs.readFile(file.content.path);
    let contents;
    try {
      contents = await readArchive(bytes);
    } catch (error) {
      if (!(error instanceof ArchiveRefused)) throw error;
      const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
      const result = await recordRefusal(
        ctx,
        {
          representative_id: representativeId,
          received_at: ctx.clock.now().toISOString(),
          sha256,
          size: bytes.length,
          original_name: file.name.slice(0, 300),
          via: options.via,
        },
        null,
        null,
        { rule: "archive-readable", message: error.message },
      );
      rows.push({ fileName: file.name, archive: null, result });
      continue;
    }
    if (!contents.files.length && !contents.skipped.length) {
      rows.push({ fileName: file.name, archive: null, skipped: "архив пуст: в нём нет файлов отчётов" });
    }
    for (const entry of contents.files) {
      const result = await submitReport(ctx, representativeId, {
        content: { bytes: entry.bytes },
        originalName: entry.name,
        ...options,
      });
      rows.push({ fileName: entry.name, archive: file.name, result });
    }
    for (const s of contents.skipped) rows.push({ fileName: s.name, archive: file.name, skipped: s.reason });
  }
  return rows;
}
