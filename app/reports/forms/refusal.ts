// A report file that cannot be read: the code says which kind of problem, the message says it in
// Russian with what to do. Thrown by the readers, recorded as a refusal by the intake.
export type ReadRefusalCode =
  "empty" | "too-large" | "dtd" | "malformed" | "too-complex" | "unknown-form" | "not-4fss" | "no-section-2" | "fields";

export class ReportFileRefused extends Error {
  constructor(
    readonly code: ReadRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "ReportFileRefused";
  }
}
