// Reporting periods of 4-ФСС (code = the period's last month) and how they are named; shared by the
// server and the pages.
export const PERIODS: Record<string, string> = { "03": "I квартал", "06": "полугодие", "09": "9 месяцев", "12": "год" };

export function periodLabel(period: string | null, year: number | null): string {
  return period && year ? `${PERIODS[period] ?? period} ${year} г.` : "—";
}
