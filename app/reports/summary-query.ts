// The summary's query string (?year=2026&missing=1&page=2), read once for the page and the exports.
import type { CellState } from "./summary.server";

export interface SummaryCellView {
  state: CellState;
  submissionId: number | null;
  correction: number;
  reason: string | null;
}

export function summaryQuery(params: URLSearchParams, today: string) {
  const yearText = (params.get("year") ?? "").trim();
  const thisYear = Number(today.slice(0, 4));
  const yearValid = /^\d{4}$/.test(yearText) && Number(yearText) >= 2000 && Number(yearText) <= thisYear;
  const pageText = params.get("page") ?? "";
  return {
    year: yearValid ? Number(yearText) : undefined,
    missingOnly: params.get("missing") === "1",
    page: /^[1-9]\d{0,5}$/.test(pageText) ? Number(pageText) : 1,
    yearError:
      yearText && !yearValid
        ? `Год — четыре цифры не позже ${thisYear}, например ${thisYear} (введено «${yearText.slice(0, 20)}»). Показан год последнего закончившегося периода.`
        : null,
  };
}
