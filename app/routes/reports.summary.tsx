// «Сводка»: the representative's organisations × the periods of a year — who has reported and who has not.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/Pager";
import { AcceptedOutcome, RefusedOutcome } from "~/components/ReportOutcome";
import { requireRepresentative } from "~/accounts/guards.server";
import { localDate, MOSCOW } from "~/calendar";
import { STATUS_LABELS } from "~/proxies/statuses";
import { formatSfrRegnum } from "~/organizations/identifiers";
import { PERIOD_CODES, PERIODS, periodLabel } from "~/reports/periods";
import { summaryOf } from "~/reports/summary.server";
import { summaryQuery, type SummaryCellView } from "~/reports/summary-query";

export const meta: MetaFunction = () => [{ title: "Сводка по отчётам — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const today = localDate(context.clock.now(), MOSCOW);
  const query = summaryQuery(new URL(request.url).searchParams, today);
  const summary = await summaryOf(context.db, user.id, { today, ...query });
  return { summary, yearError: query.yearError, thisYear: Number(today.slice(0, 4)) };
}

function Cell({ cell }: { cell: SummaryCellView }) {
  if (cell.state === "accepted" || cell.state === "corrected") {
    return (
      <AcceptedOutcome
        submissionId={cell.submissionId}
        label={cell.state === "corrected" ? `Уточнён (${cell.correction})` : "Принят"}
        linkText="квитанция"
      />
    );
  }
  if (cell.state === "rejected") return <RefusedOutcome reason={cell.reason} />;
  return <span className="summary-cell--not-sent">Не отправлен</span>;
}

export default function Summary() {
  const { summary, yearError, thisYear } = useLoaderData<typeof loader>();
  const { year, lastEnded, missingOnly } = summary;
  const params = (extra: Record<string, string> = {}) =>
    new URLSearchParams({ year: String(year), ...(missingOnly ? { missing: "1" } : {}), ...extra }).toString();
  const years = Array.from({ length: thisYear - 2019 + 1 }, (_, i) => thisYear - i);
  return (
    <div className="card">
      <h1>Сводка</h1>
      <p>
        <Link to="/reports">← Отчёты</Link>
      </p>
      <Form method="get" className="filters" aria-label="Отбор сводки">
        <div className="field">
          <label htmlFor="summary-year">Год</label>
          <select id="summary-year" name="year" defaultValue={String(year)}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--checkbox">
          <input id="summary-missing" type="checkbox" name="missing" value="1" defaultChecked={missingOnly} />
          <label htmlFor="summary-missing">
            Только не отправленные за {periodLabel(lastEnded.period, lastEnded.year)}
          </label>
        </div>
        <button type="submit" className="button button--secondary">
          Показать
        </button>
      </Form>
      {yearError ? (
        <p className="field__error" role="alert">
          {yearError}
        </p>
      ) : null}
      <p>
        <a href={`/reports/summary.csv?${params()}`} download>
          Скачать CSV
        </a>{" "}
        ·{" "}
        <a href={`/reports/summary.xlsx?${params()}`} download>
          Скачать XLSX
        </a>
      </p>
      <p role="status">
        {missingOnly
          ? `Не отправлено за ${periodLabel(lastEnded.period, lastEnded.year)}: ${summary.total} из ${summary.organizations} организаций.`
          : `Организаций: ${summary.total}. Принято за ${year} год: ${PERIOD_CODES.map(
              (code) => `${PERIODS[code]} — ${summary.acceptedCounts[code] ?? 0}`,
            ).join(", ")}.`}
      </p>
      <table className="grid" tabIndex={0} aria-label="Сводка">
        <thead>
          <tr>
            <th scope="col">Организация</th>
            <th scope="col">Доверенность</th>
            {PERIOD_CODES.map((code) => (
              <th scope="col" key={code}>
                {periodLabel(code, year)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {summary.rows.map((r) => (
            <tr key={r.organizationId}>
              <th scope="row">
                {r.shortName}
                <div className="muted">
                  {`рег. № ${r.regnum}${r.sfrRegnum ? `, СФР ${formatSfrRegnum(r.sfrRegnum)}` : ""}, ИНН ${r.inn}`}
                </div>
              </th>
              <td>{STATUS_LABELS[r.proxyStatus]}</td>
              {PERIOD_CODES.map((code) => (
                <td key={code}>
                  <Cell cell={r.cells[code]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {summary.total === 0 ? (
        <p className="muted">
          {missingOnly ? "Все организации отчитались за этот период." : "В списке представляемых пока нет организаций."}
        </p>
      ) : null}
      <Pager
        page={summary.page}
        pages={summary.pages}
        total={summary.total}
        href={(n) => `?${params({ page: String(n) })}`}
      />
    </div>
  );
}
