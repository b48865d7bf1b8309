// One line of «Результаты отправки» as the page shows it, made from the intake's result on the server and
// sent as plain data to the form (with or without JavaScript) and to the page's script.
import type { BatchRow } from "./intake.server";
import { correctionLabel, formLabel } from "./forms/report-file";
import { periodLabel } from "./periods";

export interface ResultLine {
  fileName: string;
  archive: string | null;
  outcome: "accepted" | "duplicate" | "rejected" | "skipped";
  form: string | null;
  organization: string | null;
  regnum: string | null;
  period: string | null;
  kind: string | null;
  receiptNumber: string | null;
  submissionId: number | null;
  receivedAt: string | null;
  message: string | null;
}

/** A line without a report behind it: a skipped file, or one the page's script could not send. */
export function fileLine(fileName: string, outcome: "rejected" | "skipped", message: string): ResultLine {
  return {
    fileName,
    archive: null,
    outcome,
    form: null,
    organization: null,
    regnum: null,
    period: null,
    kind: null,
    receiptNumber: null,
    submissionId: null,
    receivedAt: null,
    message,
  };
}

export function resultLines(rows: BatchRow[]): ResultLine[] {
  return rows.map((row) => {
    const base = { fileName: row.fileName, archive: row.archive };
    if ("skipped" in row) return { ...fileLine(row.fileName, "skipped", row.skipped), archive: row.archive };
    const r = row.result;
    const described = {
      form: r.form ? formLabel(r.form) : null,
      organization: r.organization,
      regnum: r.regnum,
      period: r.period && r.year ? periodLabel(r.period, r.year) : null,
      kind: r.form ? correctionLabel(r.correction) : null,
      submissionId: r.submissionId,
    };
    if (r.status === "rejected")
      return { ...base, ...described, outcome: "rejected", receiptNumber: null, receivedAt: null, message: r.reason };
    return {
      ...base,
      ...described,
      outcome: r.duplicate ? "duplicate" : "accepted",
      receiptNumber: r.receiptNumber,
      receivedAt: r.receivedAt,
      message: null,
    };
  });
}

export function resultCounts(lines: ResultLine[]): { accepted: number; rejected: number; skipped: number } {
  return {
    accepted: lines.filter((l) => l.outcome === "accepted" || l.outcome === "duplicate").length,
    rejected: lines.filter((l) => l.outcome === "rejected").length,
    skipped: lines.filter((l) => l.outcome === "skipped").length,
  };
}
