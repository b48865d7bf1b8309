// The gateway: a 4-ФСС report is accepted only for an organisation the representative serves, whose
// proxy is «Утверждено», whose POA term covers today, with the representative's certificate valid
// today, and for a period that has ended. Every submission is recorded: accepted ones get a receipt
// number, the stored file and a letter; refused ones the reason.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { isUniqueViolation, type Db } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { localDate, MOSCOW } from "../calendar";
import { enqueueMail } from "../mail/outbox.server";
import { reportReceiptLetter } from "../mail/templates.server";
import { STATUS_LABELS } from "../proxies/statuses";
import type { StoredFile } from "../web/files.server";
import { formatDate, formatDateTime } from "../web/format";
import { ReportFileRefused, periodEnd, readFss4Report, type Fss4Title } from "./fss4-xml.server";
import { periodLabel } from "./periods";
import { receiptFileName, receiptPdf } from "./receipt.server";
export { periodLabel };

export interface IntakeContext {
  db: Db;
  clock: Clock;
  uploadsDir: string;
  appUrl: string;
  ip: string | null;
}

export type IntakeResult =
  | {
      status: "accepted";
      submissionId: number;
      receiptNumber: string;
      regnum: string;
      period: string;
      year: number;
      receivedAt: string;
      sha256: string;
      duplicate: boolean;
    }
  | { status: "rejected"; submissionId: number; reason: string };

const d = (ymd: string) => formatDate(ymd + "T12:00:00Z");

export async function submitReport(
  ctx: IntakeContext,
  representativeId: number,
  input: { organizationId?: number; bytes: Buffer; originalName: string; via: "web" | "api" },
): Promise<IntakeResult> {
  const now = ctx.clock.now();
  const today = localDate(now, MOSCOW);
  const sha256 = crypto.createHash("sha256").update(input.bytes).digest("hex");
  let title: Fss4Title | null = null;
  let proxy:
    | {
        id: number;
        organization_id: number;
        status: keyof typeof STATUS_LABELS;
        valid_from: string | null;
        valid_to: string | null;
        regnum: string;
        short_name: string;
      }
    | undefined;

  const decide = async (): Promise<string | null> => {
    try {
      title = readFss4Report(input.bytes);
    } catch (error) {
      if (error instanceof ReportFileRefused) return error.message;
      throw error;
    }
    const live = ctx.db
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .select([
        "proxies.id",
        "proxies.organization_id",
        "proxies.status",
        "proxies.valid_from",
        "proxies.valid_to",
        "organizations.regnum",
        "organizations.short_name",
      ])
      .where("proxies.representative_id", "=", representativeId)
      .where("proxies.status", "!=", "withdrawn");
    if (input.organizationId !== undefined) {
      proxy = await live.where("proxies.organization_id", "=", input.organizationId).executeTakeFirst();
      if (!proxy) return "Выберите организацию из своего списка представляемых.";
      if (proxy.regnum !== title.regnum) {
        return `Регистрационный номер в отчёте (${title.regnum}) не совпадает с выбранной организацией ${proxy.short_name} (${proxy.regnum}).`;
      }
    } else {
      proxy = await live.where("organizations.regnum", "=", title.regnum).executeTakeFirst();
      if (!proxy) return `Организации с регистрационным номером ${title.regnum} нет в вашем списке представляемых.`;
    }
    if (proxy.status !== "approved") {
      return `Доверенность по организации ${proxy.short_name} не утверждена: статус «${STATUS_LABELS[proxy.status]}». Отчёты принимаются только по утверждённым доверенностям.`;
    }
    if (!proxy.valid_from || !proxy.valid_to || today < proxy.valid_from || today > proxy.valid_to) {
      return `Сегодня доверенность не действует: её срок с ${proxy.valid_from ? d(proxy.valid_from) : "—"} по ${proxy.valid_to ? d(proxy.valid_to) : "—"}.`;
    }
    const nowIso = now.toISOString();
    const cert = await ctx.db
      .selectFrom("certificates")
      .select(["not_before", "not_after"])
      .where("user_id", "=", representativeId)
      .where("status", "=", "current")
      .executeTakeFirst();
    if (!cert) return "Сертификат подписи не загружен. Загрузите его в разделе «Профиль → Уполномоченный».";
    if (cert.not_before > nowIso || cert.not_after < nowIso) {
      return `Сертификат подписи сегодня не действует (срок с ${formatDate(cert.not_before)} по ${formatDate(cert.not_after)}). Загрузите действующий сертификат.`;
    }
    if (periodEnd(title.period, title.year) >= today) {
      return `Отчётный период «${periodLabel(title.period, title.year)}» ещё не закончился: отчёт за него принимается после ${d(periodEnd(title.period, title.year))}.`;
    }
    return null;
  };

  const reason = await decide();
  const t = title as Fss4Title | null;
  const p = proxy as typeof proxy;
  const base = {
    representative_id: representativeId,
    organization_id: p?.organization_id ?? null,
    proxy_id: p?.id ?? null,
    regnum: t?.regnum ?? null,
    period: t?.period ?? null,
    year: t?.year ?? null,
    received_at: now.toISOString(),
    sha256,
    size: input.bytes.length,
    original_name: input.originalName.slice(0, 300) || "report.xml",
    via: input.via,
  };

  if (reason) {
    const row = await ctx.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto("report_submissions")
        .values({ ...base, status: "rejected", reason, receipt_number: null, stored_path: null })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, ctx.clock, {
        action: "report.rejected",
        actorId: representativeId,
        subjectType: "report",
        subjectId: r.id,
        ip: ctx.ip,
        details: { reason },
      });
      return r;
    });
    return { status: "rejected", submissionId: row.id, reason };
  }

  // The same file already accepted from this representative for this organisation: its receipt again.
  const earlier = () =>
    ctx.db
      .selectFrom("report_submissions")
      .select(["id", "receipt_number", "received_at"])
      .where("representative_id", "=", representativeId)
      .where("organization_id", "=", p!.organization_id)
      .where("sha256", "=", sha256)
      .where("status", "=", "accepted")
      .executeTakeFirst();
  const duplicateOf = async (row: {
    id: number;
    receipt_number: string | null;
    received_at: string;
  }): Promise<IntakeResult> => {
    await recordAuditEvent(ctx.db, ctx.clock, {
      action: "report.duplicate",
      actorId: representativeId,
      subjectType: "report",
      subjectId: row.id,
      ip: ctx.ip,
      details: { receiptNumber: row.receipt_number },
    });
    return {
      status: "accepted",
      duplicate: true,
      submissionId: row.id,
      receiptNumber: row.receipt_number!,
      regnum: t!.regnum,
      period: t!.period,
      year: t!.year,
      receivedAt: row.received_at,
      sha256,
    };
  };
  const already = await earlier();
  if (already) return duplicateOf(already);

  const relative = path.join("reports", now.toISOString().slice(0, 7), `${crypto.randomBytes(16).toString("hex")}.xml`);
  const target = path.join(ctx.uploadsDir, relative);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, input.bytes, { flag: "wx" });
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto("report_submissions")
        .values({ ...base, status: "accepted", reason: null, receipt_number: null, stored_path: relative })
        .returning("id")
        .executeTakeFirstOrThrow();
      const receiptNumber = `${t!.year}-${t!.regnum}-${String(r.id).padStart(7, "0")}`;
      await trx
        .updateTable("report_submissions")
        .set({ receipt_number: receiptNumber })
        .where("id", "=", r.id)
        .execute();
      const user = await trx
        .selectFrom("users")
        .select(["email", "given_name", "patronymic"])
        .where("id", "=", representativeId)
        .executeTakeFirstOrThrow();
      const receipt = await receiptPdf(trx, representativeId, r.id);
      await enqueueMail(trx, ctx.clock, {
        recipient: user.email,
        purpose: "report-receipt",
        userId: representativeId,
        ...reportReceiptLetter({
          givenName: user.given_name,
          patronymic: user.patronymic,
          organization: p!.short_name,
          regnum: t!.regnum,
          period: periodLabel(t!.period, t!.year),
          receiptNumber,
          receivedAt: formatDateTime(now),
          sha256,
          link: `${ctx.appUrl}/reports/${r.id}/receipt`,
        }),
        attachments: receipt
          ? [{ filename: receiptFileName(receiptNumber), contentType: "application/pdf", content: receipt.bytes }]
          : [],
      });
      await recordAuditEvent(trx, ctx.clock, {
        action: "report.accepted",
        actorId: representativeId,
        subjectType: "report",
        subjectId: r.id,
        ip: ctx.ip,
        details: { receiptNumber },
      });
      return {
        status: "accepted" as const,
        duplicate: false,
        submissionId: r.id,
        receiptNumber,
        regnum: t!.regnum,
        period: t!.period,
        year: t!.year,
        receivedAt: now.toISOString(),
        sha256,
      };
    });
  } catch (error) {
    await fs.rm(target, { force: true });
    if (isUniqueViolation(error)) {
      // The same file accepted a moment ago by a request racing this one.
      const winner = await earlier();
      if (winner) return duplicateOf(winner);
    }
    throw error;
  }
}

/**
 * The stored file of an accepted submission, for the representative who sent it or for an operator of the
 * organisation's territorial office; null for anyone else, a refused submission or an unknown id.
 */
export async function reportFileOf(
  db: Db,
  uploadsDir: string,
  reader: { representativeId: number } | { officeCode: string },
  submissionId: number,
): Promise<StoredFile | null> {
  if (!Number.isInteger(submissionId) || submissionId <= 0) return null;
  let q = db
    .selectFrom("report_submissions")
    .innerJoin("organizations", "organizations.id", "report_submissions.organization_id")
    .select(["report_submissions.stored_path", "report_submissions.size", "report_submissions.original_name"])
    .where("report_submissions.id", "=", submissionId)
    .where("report_submissions.status", "=", "accepted");
  q =
    "representativeId" in reader
      ? q.where("report_submissions.representative_id", "=", reader.representativeId)
      : q.where("organizations.territorial_body_code", "=", reader.officeCode);
  const row = await q.executeTakeFirst();
  if (!row?.stored_path) return null;
  return { absolutePath: path.join(uploadsDir, row.stored_path), size: row.size, originalName: row.original_name };
}

export const JOURNAL_PAGE_SIZE = 50;

export interface JournalPage<Row> {
  rows: Row[];
  total: number;
  page: number;
  pages: number;
}

/** One page of a submissions query, newest first. */
async function journalPage<Row>(
  count: () => Promise<{ n: number | string | bigint } | undefined>,
  rows: (limit: number, offset: number) => Promise<Row[]>,
  requestedPage: number | undefined,
): Promise<JournalPage<Row>> {
  const total = Number((await count())?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / JOURNAL_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Math.floor(requestedPage ?? 1) || 1));
  return { rows: await rows(JOURNAL_PAGE_SIZE, (page - 1) * JOURNAL_PAGE_SIZE), total, page, pages };
}

export interface JournalFilter {
  organizationId?: number;
  regnum?: string;
  period?: string;
  year?: number;
  status?: "accepted" | "rejected";
  page?: number;
}

/** The representative's journal of submissions, filterable by organisation, period and result, paged. */
export async function submissionsOf(db: Db, representativeId: number, filter: JournalFilter = {}) {
  let q = db.selectFrom("report_submissions").where("report_submissions.representative_id", "=", representativeId);
  if (filter.organizationId) q = q.where("report_submissions.organization_id", "=", filter.organizationId);
  if (filter.regnum) q = q.where("report_submissions.regnum", "=", filter.regnum);
  if (filter.period) q = q.where("report_submissions.period", "=", filter.period);
  if (filter.year) q = q.where("report_submissions.year", "=", filter.year);
  if (filter.status) q = q.where("report_submissions.status", "=", filter.status);
  return journalPage(
    () => q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst(),
    (limit, offset) =>
      q
        .leftJoin("organizations", "organizations.id", "report_submissions.organization_id")
        .select([
          "report_submissions.id",
          "report_submissions.status",
          "report_submissions.reason",
          "report_submissions.receipt_number",
          "report_submissions.received_at",
          "report_submissions.regnum",
          "report_submissions.period",
          "report_submissions.year",
          "report_submissions.original_name",
          "report_submissions.via",
          "organizations.short_name",
        ])
        .orderBy("report_submissions.id", "desc")
        .limit(limit)
        .offset(offset)
        .execute(),
    filter.page,
  );
}

/** Submissions for the organisations of one territorial office, newest first, paged. */
export async function submissionsOfOffice(db: Db, officeCode: string, filter: { q?: string; page?: number } = {}) {
  let q = db
    .selectFrom("report_submissions")
    .innerJoin("organizations", "organizations.id", "report_submissions.organization_id")
    .where("organizations.territorial_body_code", "=", officeCode);
  const text = filter.q?.replace(/\s/g, "");
  if (text && /^\d+$/.test(text))
    q = q.where((eb) =>
      eb.or([eb("organizations.inn", "like", `${text}%`), eb("organizations.regnum", "like", `${text}%`)]),
    );
  return journalPage(
    () => q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst(),
    (limit, offset) =>
      q
        .innerJoin("users", "users.id", "report_submissions.representative_id")
        .select([
          "report_submissions.id",
          "report_submissions.status",
          "report_submissions.reason",
          "report_submissions.receipt_number",
          "report_submissions.received_at",
          "report_submissions.period",
          "report_submissions.year",
          "organizations.short_name",
          "organizations.regnum",
          "organizations.inn",
          "users.surname",
          "users.given_name",
          "users.patronymic",
        ])
        .orderBy("report_submissions.id", "desc")
        .limit(limit)
        .offset(offset)
        .execute(),
    filter.page,
  );
}
