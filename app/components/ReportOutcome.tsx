// How a submission's outcome reads in every table (the journal, «Результаты отправки», «Сводка»): a green
// «Принят» with its receipt, or a red «Не принят» with the reason.
import type { ReactNode } from "react";

export function AcceptedOutcome({
  submissionId,
  label = "Принят",
  linkText,
  children,
}: {
  submissionId: number | null;
  label?: string;
  linkText: string;
  children?: ReactNode;
}) {
  return (
    <>
      <span className="status status--approved">{label}</span>{" "}
      <a href={`/reports/${submissionId}/receipt`}>{linkText}</a>
      {children}
    </>
  );
}

export function RefusedOutcome({ reason, muted = true }: { reason: string | null; muted?: boolean }) {
  return (
    <>
      <span className="status status--rejected">Не принят</span>
      <div className={muted ? "muted" : undefined}>{reason}</div>
    </>
  );
}
