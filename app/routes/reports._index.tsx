// «Отчёты»: send report files (ЕФС-1 section 2, 4-ФСС for past periods; several at once or a ZIP), each
// finding its organisation by its own number; «Результаты отправки»; the journal of submissions.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ReportBatchForm } from "~/components/ReportBatchForm";
import { AcceptedOutcome, RefusedOutcome } from "~/components/ReportOutcome";
import { Pager } from "~/components/Pager";
import { requireRepresentative } from "~/accounts/guards.server";
import { STATUS_LABELS } from "~/proxies/statuses";
import { sendUploadedReports } from "~/reports/context.server";
import { correctionLabel, formLabel } from "~/reports/forms/report-file";
import { submissionsOf } from "~/reports/journal.server";
import { PERIOD_CODES, PERIODS, periodLabel } from "~/reports/periods";
import { formatDateTime } from "~/web/format";
import { idParam, pageParam } from "~/web/params";

export const meta: MetaFunction = () => [{ title: "Отчёты — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const url = new URL(request.url);
  const organizationId = idParam(url.searchParams.get("organization")) || undefined;
  const period = url.searchParams.get("period") ?? "";
  const yearText = (url.searchParams.get("year") ?? "").trim();
  const yearValid = /^\d{4}$/.test(yearText);
  const year = yearValid ? Number(yearText) : undefined;
  const result = url.searchParams.get("result") ?? "";
  const status = result === "accepted" || result === "rejected" ? result : undefined;
  const page = pageParam(url.searchParams.get("page"));
  const organizations = await context.db
    .selectFrom("proxies")
    .innerJoin("organizations", "organizations.id", "proxies.organization_id")
    .select(["organizations.id", "organizations.regnum", "organizations.short_name", "proxies.status"])
    .where("proxies.representative_id", "=", user.id)
    .where("proxies.status", "!=", "withdrawn")
    .orderBy("organizations.short_name")
    .execute();
  return {
    organizations,
    journal: await submissionsOf(context.db, user.id, {
      organizationId,
      period: PERIODS[period] ? period : undefined,
      year,
      status,
      page,
    }),
    filter: { organizationId: organizationId ?? "", period, year: year ?? "", result: status ?? "" },
    yearError:
      yearText && !yearValid
        ? `Год — четыре цифры, например 2026 (введено «${yearText.slice(0, 20)}»). Показаны отправки за все годы.`
        : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const sent = await sendUploadedReports(context, user.id);
  return data({ error: sent.error, lines: sent.lines }, { status: sent.status });
}

export default function Reports() {
  const { organizations, journal, filter, yearError } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <div className="card">
      <h1>Отчёты</h1>
      <p>
        <Link to="/reports/summary">Сводка</Link> — кто из организаций уже отчитался за период, а кто ещё нет.
      </p>
      <ReportBatchForm
        organizations={organizations.map((o) => ({ ...o, statusLabel: STATUS_LABELS[o.status] }))}
        serverLines={reply?.lines ?? null}
        serverError={reply?.error ?? null}
      />
      <h2>Журнал отправок</h2>
      <Form method="get" className="filters" aria-label="Отбор отправок">
        <div className="field">
          <label htmlFor="journal-org">Организация в журнале</label>
          <select id="journal-org" name="organization" defaultValue={String(filter.organizationId)}>
            <option value="">Все</option>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.short_name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="journal-period">Период</label>
          <select id="journal-period" name="period" defaultValue={filter.period}>
            <option value="">Все</option>
            {PERIOD_CODES.map((code) => (
              <option key={code} value={code}>
                {PERIODS[code]}
              </option>
            ))}
          </select>
        </div>
        <div className={yearError ? "field field--invalid" : "field"}>
          <label htmlFor="journal-year">Год</label>
          <input
            id="journal-year"
            name="year"
            inputMode="numeric"
            defaultValue={String(filter.year)}
            size={6}
            aria-invalid={yearError ? true : undefined}
            aria-describedby={yearError ? "journal-year-error" : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="journal-result">Результат</label>
          <select id="journal-result" name="result" defaultValue={filter.result}>
            <option value="">Все</option>
            <option value="accepted">Принятые</option>
            <option value="rejected">Не принятые</option>
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          Показать
        </button>
      </Form>
      {yearError ? (
        <p className="field__error" id="journal-year-error" role="alert">
          {yearError}
        </p>
      ) : null}
      <table className="grid" tabIndex={0} aria-label="Журнал отправок">
        <thead>
          <tr>
            <th scope="col">Отправлен</th>
            <th scope="col">Организация</th>
            <th scope="col">Период</th>
            <th scope="col">Результат</th>
          </tr>
        </thead>
        <tbody>
          {journal.rows.map((s) => (
            <tr key={s.id}>
              <td>
                {formatDateTime(s.received_at)}
                <div className="muted">{s.via === "api" ? "через API" : "с портала"}</div>
              </td>
              <td>{s.short_name ?? (s.regnum ? `рег. № ${s.regnum}` : "—")}</td>
              <td>
                {periodLabel(s.period, s.year)}
                {s.form ? (
                  <div className="muted">{`${formLabel(s.form)}, ${correctionLabel(s.correction)}`}</div>
                ) : null}
              </td>
              <td>
                {s.status === "accepted" ? (
                  <AcceptedOutcome submissionId={s.id} linkText={`квитанция № ${s.receipt_number}`}>
                    <div className="muted">
                      <a href={`/reports/${s.id}/file`} download>
                        файл {s.original_name}
                      </a>
                    </div>
                  </AcceptedOutcome>
                ) : (
                  <RefusedOutcome reason={s.reason} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {journal.total === 0 ? (
        <p className="muted">
          {filter.organizationId || filter.period || filter.year || filter.result
            ? "Отправок с такими условиями нет."
            : "Отправок пока нет."}
        </p>
      ) : null}
      <Pager
        page={journal.page}
        pages={journal.pages}
        total={journal.total}
        href={(n) =>
          `?${new URLSearchParams({ organization: String(filter.organizationId), period: filter.period, year: String(filter.year), result: filter.result, page: String(n) })}`
        }
      />
    </div>
  );
}
