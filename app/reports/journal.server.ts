// The journal of submissions: a representative's (filtered, paged, as on «Отчёты» and over the API), an
// office's («Отчёты организаций»), and the stored file of an accepted one for whoever may read it.
import path from "node:path";
import { sql } from "kysely";
import type { Db } from "../../db/index.server";
import type { StoredFile } from "../web/files.server";

/**
 * The stored file of an accepted submission, for the representative who sent it or for an operator of the
 * organisation's territorial office; null for anyone else, a refused submission or an unknown id.
 */
/** An operator reads the reports of their branch, or only of their subdivisions when limited to some. */
export interface OfficeReader {
  officeCode: string;
  subdivisions?: string[] | null;
}

function inSubdivisions(reader: OfficeReader) {
  return reader.subdivisions?.length
    ? sql<boolean>`organizations.subdivision_code IN (${sql.join(reader.subdivisions)})`
    : sql<boolean>`1 = 1`;
}

export async function reportFileOf(
  db: Db,
  uploadsDir: string,
  reader: { representativeId: number } | OfficeReader,
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
      : q.where("organizations.territorial_body_code", "=", reader.officeCode).where(inSubdivisions(reader));
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
  /** The 10-digit ФСС or the 12-digit СФР number. */
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
  if (filter.regnum) {
    const digits = filter.regnum.replace(/-/g, "");
    q = q.where(digits.length === 12 ? "report_submissions.sfr_regnum" : "report_submissions.regnum", "=", digits);
  }
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
          "report_submissions.form",
          "report_submissions.correction",
          "report_submissions.sfr_regnum",
          "organizations.short_name",
        ])
        .orderBy("report_submissions.id", "desc")
        .limit(limit)
        .offset(offset)
        .execute(),
    filter.page,
  );
}

/** Submissions for the organisations of one territorial office (of an operator's subdivisions), newest first, paged. */
export async function submissionsOfOffice(
  db: Db,
  reader: OfficeReader,
  filter: { q?: string; page?: number; period?: string; year?: number; status?: "accepted" | "rejected" } = {},
) {
  let q = db
    .selectFrom("report_submissions")
    .innerJoin("organizations", "organizations.id", "report_submissions.organization_id")
    .where("organizations.territorial_body_code", "=", reader.officeCode)
    .where(inSubdivisions(reader));
  if (filter.period) q = q.where("report_submissions.period", "=", filter.period);
  if (filter.year) q = q.where("report_submissions.year", "=", filter.year);
  if (filter.status) q = q.where("report_submissions.status", "=", filter.status);
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
          "report_submissions.form",
          "report_submissions.correction",
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
