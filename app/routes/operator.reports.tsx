// The office's view of reports sent for its organisations, accepted and refused.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireOperator } from "~/accounts/guards.server";
import { Pager } from "~/components/Pager";
import { submissionsOfOffice } from "~/reports/journal.server";
import { PERIODS, periodLabel } from "~/reports/periods";
import { correctionLabel, formLabel } from "~/reports/forms/report-file";
import { formatDateTime } from "~/web/format";
import { pageParam } from "~/web/params";

export const meta: MetaFunction = () => [{ title: "Отчёты организаций — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  const params = new URL(request.url).searchParams;
  const q = params.get("q") ?? "";
  const period = PERIODS[params.get("period") ?? ""] ? params.get("period")! : "";
  const yearRaw = Number(params.get("year") ?? "");
  const year = Number.isInteger(yearRaw) && yearRaw >= 2000 && yearRaw <= 2100 ? yearRaw : 0;
  const status =
    params.get("result") === "accepted" || params.get("result") === "rejected" ? params.get("result")! : "";
  return {
    list: await submissionsOfOffice(
      context.db,
      { officeCode: operator.territorialBodyCode, subdivisions: operator.subdivisions },
      {
        q,
        period: period || undefined,
        year: year || undefined,
        status: (status || undefined) as "accepted" | "rejected" | undefined,
        page: pageParam(params.get("page")),
      },
    ),
    filter: { q, period, year: year ? String(year) : "", status },
  };
}

export default function OfficeReports() {
  const { list, filter } = useLoaderData<typeof loader>();
  const q = filter.q;
  const rows = list.rows;
  return (
    <div className="card">
      <h1>Отчёты организаций</h1>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="reports-q">ИНН или рег. номер</label>
          <input id="reports-q" name="q" defaultValue={q} inputMode="numeric" />
        </div>
        <div className="field">
          <label htmlFor="reports-period">Период</label>
          <select id="reports-period" name="period" defaultValue={filter.period}>
            <option value="">Все</option>
            {Object.entries(PERIODS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="reports-year">Год</label>
          <input id="reports-year" name="year" defaultValue={filter.year} inputMode="numeric" size={6} />
        </div>
        <div className="field">
          <label htmlFor="reports-status">Результат</label>
          <select id="reports-status" name="result" defaultValue={filter.status}>
            <option value="">Все</option>
            <option value="accepted">Принят</option>
            <option value="rejected">Не принят</option>
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          Показать
        </button>
      </Form>
      <table className="grid" tabIndex={0} aria-label="Отчёты организаций">
        <thead>
          <tr>
            <th scope="col">Поступил</th>
            <th scope="col">Организация</th>
            <th scope="col">Период</th>
            <th scope="col">Представитель</th>
            <th scope="col">Результат</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{formatDateTime(r.received_at)}</td>
              <td>
                {r.short_name}
                <div className="muted">
                  рег. № {r.regnum}, ИНН {r.inn}
                </div>
              </td>
              <td>
                {periodLabel(r.period, r.year)}
                {r.form ? (
                  <div className="muted">{`${formLabel(r.form)}, ${correctionLabel(r.correction)}`}</div>
                ) : null}
              </td>
              <td>{[r.surname, r.given_name, r.patronymic].filter(Boolean).join(" ")}</td>
              <td>
                {r.status === "accepted" ? (
                  <>
                    {`Принят, квитанция № ${r.receipt_number}`}
                    <div>
                      <a href={`/operator/reports/${r.id}/file`} download>
                        Скачать файл отчёта
                      </a>
                    </div>
                  </>
                ) : (
                  `Не принят: ${r.reason}`
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="muted">Отчётов нет.</p> : null}
      <Pager
        page={list.page}
        pages={list.pages}
        total={list.total}
        href={(n) =>
          `?q=${encodeURIComponent(q)}&period=${filter.period}&year=${filter.year}&result=${filter.status}&page=${n}`
        }
      />
    </div>
  );
}
