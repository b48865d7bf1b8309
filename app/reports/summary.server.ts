// «Сводка»: the representative's organisations × the four periods of a year, each cell what happened to
// its report — «Принят», «Уточнён» (a correction accepted), «Не принят» (only refusals) or «Не отправлен» —
// with a filter for what is still missing for the last period that has ended, and the same table as CSV
// (UTF-8 with BOM, `;`, opens in Excel) and XLSX (exceljs).
import { tableCsv, tableXlsx } from "../web/spreadsheet.server";
import { sql } from "kysely";
import type { Db } from "../../db/index.server";
import type { ProxyStatus } from "../../db/schema";
import { STATUS_LABELS } from "../proxies/statuses";
import { formatSfrRegnum } from "../organizations/identifiers";
import { PERIOD_CODES, periodEnd, periodLabel } from "./periods";

export const SUMMARY_PAGE_SIZE = 100;
export const SUMMARY_PERIODS: readonly string[] = PERIOD_CODES;

export type CellState = "accepted" | "corrected" | "rejected" | "not-sent";

export const CELL_LABELS: Record<CellState, string> = {
  accepted: "Принят",
  corrected: "Уточнён",
  rejected: "Не принят",
  "not-sent": "Не отправлен",
};

export interface SummaryCell {
  state: CellState;
  /** The latest accepted submission (its receipt), or the latest refused one. */
  submissionId: number | null;
  receiptNumber: string | null;
  correction: number;
  reason: string | null;
}

export interface SummaryRow {
  organizationId: number;
  regnum: string;
  sfrRegnum: string | null;
  inn: string;
  shortName: string;
  proxyStatus: ProxyStatus;
  cells: Record<string, SummaryCell>;
}

export interface Summary {
  year: number;
  lastEnded: { period: string; year: number };
  missingOnly: boolean;
  rows: SummaryRow[];
  total: number;
  page: number;
  pages: number;
  /** Over all the representative's organisations: how many have a report accepted, per period. */
  acceptedCounts: Record<string, number>;
  organizations: number;
}

/** The latest period whose last day is before today (Moscow date). */
export function lastEndedPeriod(today: string): { period: string; year: number } {
  const year = Number(today.slice(0, 4));
  for (const [y, codes] of [
    [year, [...SUMMARY_PERIODS].reverse()],
    [year - 1, ["12"]],
  ] as const) {
    for (const code of codes) if (periodEnd(code, y) < today) return { period: code, year: y };
  }
  return { period: "12", year: year - 1 };
}

function organizationsOf(db: Db, representativeId: number, missing: { period: string; year: number } | null) {
  let q = db
    .selectFrom("proxies")
    .innerJoin("organizations", "organizations.id", "proxies.organization_id")
    .where("proxies.representative_id", "=", representativeId)
    .where("proxies.status", "!=", "withdrawn");
  if (missing) {
    q = q.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("report_submissions")
            .select(sql<number>`1`.as("one"))
            .whereRef("report_submissions.organization_id", "=", "proxies.organization_id")
            .where("report_submissions.representative_id", "=", representativeId)
            .where("report_submissions.status", "=", "accepted")
            .where("report_submissions.year", "=", missing.year)
            .where("report_submissions.period", "=", missing.period),
        ),
      ),
    );
  }
  return q;
}

async function cellsFor(db: Db, representativeId: number, year: number, organizationIds: number[] | "all") {
  if (organizationIds !== "all" && !organizationIds.length) return new Map<string, SummaryCell>();
  let q = db
    .selectFrom("report_submissions")
    .select(["id", "organization_id", "period", "status", "correction", "receipt_number", "reason"])
    .where("representative_id", "=", representativeId)
    .where("year", "=", year)
    .where("organization_id", "is not", null);
  if (organizationIds !== "all") q = q.where("organization_id", "in", organizationIds);
  const cells = new Map<string, SummaryCell>();
  for (const s of await q.orderBy("id").execute()) {
    const key = `${s.organization_id}:${s.period}`;
    const cell = cells.get(key);
    if (s.status === "accepted") {
      if (!cell || cell.state === "rejected" || s.correction >= cell.correction) {
        cells.set(key, {
          state: s.correction > 0 ? "corrected" : "accepted",
          submissionId: s.id,
          receiptNumber: s.receipt_number,
          correction: s.correction,
          reason: null,
        });
      }
    } else if (!cell || cell.state === "rejected") {
      cells.set(key, { state: "rejected", submissionId: s.id, receiptNumber: null, correction: 0, reason: s.reason });
    }
  }
  return cells;
}

const NOT_SENT: SummaryCell = {
  state: "not-sent",
  submissionId: null,
  receiptNumber: null,
  correction: 0,
  reason: null,
};

function rowsOf(
  orgs: Array<{
    id: number;
    regnum: string;
    sfr_regnum: string | null;
    inn: string;
    short_name: string;
    status: ProxyStatus;
  }>,
  cells: Map<string, SummaryCell>,
): SummaryRow[] {
  return orgs.map((o) => ({
    organizationId: o.id,
    regnum: o.regnum,
    sfrRegnum: o.sfr_regnum,
    inn: o.inn,
    shortName: o.short_name,
    proxyStatus: o.status,
    cells: Object.fromEntries(SUMMARY_PERIODS.map((p) => [p, cells.get(`${o.id}:${p}`) ?? NOT_SENT])),
  }));
}

const ORG_COLUMNS = [
  "organizations.id",
  "organizations.regnum",
  "organizations.sfr_regnum",
  "organizations.inn",
  "organizations.short_name",
  "proxies.status",
] as const;

export async function summaryOf(
  db: Db,
  representativeId: number,
  options: { today: string; year?: number; missingOnly?: boolean; page?: number },
): Promise<Summary> {
  const lastEnded = lastEndedPeriod(options.today);
  const missingOnly = Boolean(options.missingOnly);
  // «Не отправлено за последний период» is about that period's year.
  const year = missingOnly ? lastEnded.year : (options.year ?? lastEnded.year);
  const orgs = organizationsOf(db, representativeId, missingOnly ? lastEnded : null);
  const [{ n }, all] = await Promise.all([
    orgs.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    missingOnly
      ? organizationsOf(db, representativeId, null)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      : null,
  ]);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / SUMMARY_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Math.floor(options.page ?? 1) || 1));
  const pageOrgs = await orgs
    .select([...ORG_COLUMNS])
    .orderBy("organizations.short_name")
    .orderBy("organizations.id")
    .limit(SUMMARY_PAGE_SIZE)
    .offset((page - 1) * SUMMARY_PAGE_SIZE)
    .execute();
  const [cells, counted] = await Promise.all([
    cellsFor(
      db,
      representativeId,
      year,
      pageOrgs.map((o) => o.id),
    ),
    db
      .selectFrom("report_submissions")
      .innerJoin("proxies", (j) =>
        j
          .onRef("proxies.organization_id", "=", "report_submissions.organization_id")
          .on("proxies.representative_id", "=", representativeId)
          .on("proxies.status", "!=", "withdrawn"),
      )
      .select([
        "report_submissions.period",
        (eb) => eb.fn.count<number>("report_submissions.organization_id").distinct().as("n"),
      ])
      .where("report_submissions.representative_id", "=", representativeId)
      .where("report_submissions.year", "=", year)
      .where("report_submissions.status", "=", "accepted")
      .groupBy("report_submissions.period")
      .execute(),
  ]);
  const acceptedCounts = Object.fromEntries(SUMMARY_PERIODS.map((p) => [p, 0]));
  for (const c of counted) if (c.period) acceptedCounts[c.period] = Number(c.n);
  return {
    year,
    lastEnded,
    missingOnly,
    rows: rowsOf(pageOrgs, cells),
    total,
    page,
    pages,
    acceptedCounts,
    organizations: all ? Number(all.n) : total,
  };
}

/** Every row of the summary (no paging), for the exports. */
export async function summaryRowsForExport(
  db: Db,
  representativeId: number,
  options: { today: string; year?: number; missingOnly?: boolean },
): Promise<{ year: number; rows: SummaryRow[] }> {
  const lastEnded = lastEndedPeriod(options.today);
  const year = options.missingOnly ? lastEnded.year : (options.year ?? lastEnded.year);
  const orgs = await organizationsOf(db, representativeId, options.missingOnly ? lastEnded : null)
    .select([...ORG_COLUMNS])
    .orderBy("organizations.short_name")
    .orderBy("organizations.id")
    .execute();
  return { year, rows: rowsOf(orgs, await cellsFor(db, representativeId, year, "all")) };
}

/** A cell in words for the exports: «Принят, квитанция № …», «Уточнён (2), квитанция № …», «Не отправлен». */
export function cellText(cell: SummaryCell): string {
  if (cell.state === "accepted") return `Принят, квитанция № ${cell.receiptNumber}`;
  if (cell.state === "corrected") return `Уточнён (${cell.correction}), квитанция № ${cell.receiptNumber}`;
  if (cell.state === "rejected") return `Не принят: ${cell.reason ?? ""}`.trim();
  return CELL_LABELS["not-sent"];
}

function exportTable(year: number, rows: SummaryRow[]): string[][] {
  const header = [
    "Регистрационный номер",
    "Рег. номер СФР",
    "ИНН",
    "Наименование",
    "Статус доверенности",
    ...SUMMARY_PERIODS.map((p) => periodLabel(p, year)),
  ];
  return [
    header,
    ...rows.map((r) => [
      r.regnum,
      formatSfrRegnum(r.sfrRegnum),
      r.inn,
      r.shortName,
      STATUS_LABELS[r.proxyStatus],
      ...SUMMARY_PERIODS.map((p) => cellText(r.cells[p])),
    ]),
  ];
}

/** UTF-8 with a BOM and `;` between fields, CRLF line ends: what Excel opens with Cyrillic intact. */
export function summaryCsv(year: number, rows: SummaryRow[]): Buffer {
  return tableCsv(exportTable(year, rows));
}

export async function summaryXlsx(year: number, rows: SummaryRow[]): Promise<Buffer> {
  return tableXlsx(`Сводка ${year}`, exportTable(year, rows), {
    widths: [14, 16, 14, 40, 18, 34, 34, 34, 34],
    textColumns: [1, 2, 3],
  });
}
