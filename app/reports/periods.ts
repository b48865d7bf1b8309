// Reporting periods of 4-ФСС (code = the period's last month) and how they are named; shared by the
// server and the pages.
export const PERIODS: Record<string, string> = { "03": "I квартал", "06": "полугодие", "09": "9 месяцев", "12": "год" };
/** The codes in calendar order («12» is an integer-like key, so Object.keys would put it first). */
export const PERIOD_CODES = ["03", "06", "09", "12"] as const;

export function periodLabel(period: string | null, year: number | null): string {
  return period && year ? `${PERIODS[period] ?? period} ${year} г.` : "—";
}

/** The last day of a reporting period, e.g. 09/2026 → 2026-09-30. */
export function periodEnd(period: string, year: number): string {
  const month = Number(period);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
