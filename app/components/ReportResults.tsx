// «Результаты отправки»: every file of a submission, accepted with its receipt or refused with the reason.
import type { ResultLine } from "~/reports/results";
import { resultCounts } from "~/reports/results";
import { FormError, Notice } from "~/components/forms";
import { AcceptedOutcome, RefusedOutcome } from "~/components/ReportOutcome";
import { formatDateTime } from "~/web/format";

export function ReportResults({ lines }: { lines: ResultLine[] }) {
  if (!lines.length) return null;
  const counts = resultCounts(lines);
  const only = lines.length === 1 ? lines[0] : null;
  return (
    <section aria-labelledby="results-heading">
      {only?.outcome === "accepted" ? (
        <Notice tone="success">
          Отчёт принят. Квитанция № {only.receiptNumber}.{" "}
          <a href={`/reports/${only.submissionId}/receipt`}>Скачать квитанцию (PDF)</a>
        </Notice>
      ) : null}
      {only?.outcome === "duplicate" ? (
        <Notice tone="success">
          Этот файл уже принят {formatDateTime(only.receivedAt ?? "")}, квитанция № {only.receiptNumber}. Повторно он не
          отправлялся. <a href={`/reports/${only.submissionId}/receipt`}>Скачать квитанцию (PDF)</a>
        </Notice>
      ) : null}
      {only?.outcome === "rejected" ? <FormError message={`Отчёт не принят: ${only.message}`} /> : null}
      <h2 id="results-heading">Результаты отправки</h2>
      <p role="status">
        {`Файлов: ${lines.length}. Принято: ${counts.accepted}. Не принято: ${counts.rejected}${
          counts.skipped ? `. Пропущено: ${counts.skipped}` : ""
        }.`}
      </p>
      <table className="grid" tabIndex={0} aria-label="Результаты отправки">
        <thead>
          <tr>
            <th scope="col">Файл</th>
            <th scope="col">Организация</th>
            <th scope="col">Форма и период</th>
            <th scope="col">Результат</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr key={`${i}-${l.fileName}`} className={l.outcome === "rejected" ? "row--refused" : undefined}>
              <td>
                {l.fileName}
                {l.archive ? <div className="muted">из архива {l.archive}</div> : null}
              </td>
              <td>
                {l.organization ?? "—"}
                {l.regnum ? <div className="muted">рег. № {l.regnum}</div> : null}
              </td>
              <td>
                {l.form ? `${l.form}, ${l.kind}` : "—"}
                {l.period ? <div className="muted">{l.period}</div> : null}
              </td>
              <td>
                {l.outcome === "accepted" || l.outcome === "duplicate" ? (
                  <AcceptedOutcome
                    submissionId={l.submissionId}
                    label={l.outcome === "duplicate" ? "Принят ранее" : "Принят"}
                    linkText={`квитанция № ${l.receiptNumber}`}
                  >
                    {l.outcome === "duplicate" ? (
                      <div className="muted">этот файл уже принят, повторно не отправлялся</div>
                    ) : null}
                  </AcceptedOutcome>
                ) : l.outcome === "rejected" ? (
                  <RefusedOutcome reason={l.message} muted={false} />
                ) : (
                  <>
                    <span className="status">Пропущен</span>
                    <div className="muted">{l.message}</div>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
