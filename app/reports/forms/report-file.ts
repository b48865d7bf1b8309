// What every report reader returns: the form, the insurer's numbers and identifiers as the file gives
// them, the period, the correction number and the parts the file carries. Shared by the server and the
// pages (labels), so it holds no server-only code.
import { PERIODS } from "../periods";

export type ReportForm = "4-FSS" | "EFS-1";

export interface ReportFile {
  form: ReportForm;
  /** The format's version: the date in the ЕФС-1 namespace (2026-01-01), the F4FORM version for 4-ФСС. */
  formVersion: string | null;
  /** The 10-digit ФСС registration number, when the file carries it. */
  regnum: string | null;
  /** The 12-digit СФР registration number (digits only), when the file carries it. */
  sfrRegnum: string | null;
  inn: string;
  kpp: string | null;
  name: string | null;
  period: string;
  year: number;
  /** 0 = the initial report, N = the N-th correction (уточнённый). */
  correction: number;
  filledOn: string | null;
  /** The parts of the file, in words: «раздел 2 (ОСС)», «подраздел 1.1 …». */
  parts: string[];
}

export const FORM_LABELS: Record<ReportForm, string> = { "EFS-1": "ЕФС-1, раздел 2", "4-FSS": "4-ФСС" };

export function formLabel(form: string | null): string {
  return form && form in FORM_LABELS ? FORM_LABELS[form as ReportForm] : "4-ФСС";
}

/** «первичный» or «уточнённый (N)», as the journal and the receipt say it. */
export function correctionLabel(correction: number | null): string {
  return correction ? `уточнённый (${correction})` : "первичный";
}

export { PERIODS };
