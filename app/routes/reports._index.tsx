// «Отчёты»: send a 4-ФСС report for one of the representative's organisations, and the journal.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, FormError, Notice } from "~/components/forms";
import { FileField } from "~/components/FileField";
import { Pager } from "~/components/Pager";
import { requireRepresentative } from "~/accounts/guards.server";
import { STATUS_LABELS } from "~/proxies/statuses";
import { intakeOf } from "~/reports/context.server";
import { REPORT_MAX_BYTES, REPORT_TOO_LARGE } from "~/reports/limits";
import { submissionsOf, submitReport } from "~/reports/intake.server";
import { PERIODS, periodLabel } from "~/reports/periods";
import { assertFormToken } from "~/web/forms.server";
import { formatDateTime } from "~/web/format";

export const meta: MetaFunction = () => [{ title: "Отчёты — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const url = new URL(request.url);
  const organizationId = Number(url.searchParams.get("organization") ?? "") || undefined;
  const period = url.searchParams.get("period") ?? "";
  const yearText = (url.searchParams.get("year") ?? "").trim();
  const yearValid = /^\d{4}$/.test(yearText);
  const year = yearValid ? Number(yearText) : undefined;
  const result = url.searchParams.get("result") ?? "";
  const status = result === "accepted" || result === "rejected" ? result : undefined;
  const page = Number(url.searchParams.get("page") ?? "") || 1;
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
  const upload = context.upload;
  if (!upload || upload.error === "malformed")
    return data({ error: "Форма отправлена не полностью. Повторите.", result: null }, { status: 400 });
  if (upload.error === "too-large") return data({ error: REPORT_TOO_LARGE, result: null }, { status: 413 });
  assertFormToken(upload.fields.csrf, context);
  const organizationId = Number(upload.fields.organization ?? "");
  if (!organizationId) return data({ error: "Выберите организацию.", result: null }, { status: 422 });
  if (!upload.file) return data({ error: "Выберите файл отчёта (XML).", result: null }, { status: 422 });
  const result = await submitReport(intakeOf(context), user.id, {
    organizationId,
    bytes: upload.file.buffer ?? Buffer.alloc(0),
    originalName: upload.file.originalName,
    via: "web",
  });
  return data({ error: null, result }, { status: result.status === "accepted" ? 200 : 422 });
}

export default function Reports() {
  const { organizations, journal, filter, yearError } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const result = reply?.result;
  return (
    <div className="card">
      <h1>Отчёты</h1>
      {result?.status === "accepted" && !result.duplicate ? (
        <Notice tone="success">
          Отчёт принят. Квитанция № {result.receiptNumber}.{" "}
          <a href={`/reports/${result.submissionId}/receipt`}>Скачать квитанцию (PDF)</a>
        </Notice>
      ) : null}
      {result?.status === "accepted" && result.duplicate ? (
        <Notice tone="success">
          Этот файл уже принят {formatDateTime(result.receivedAt)}, квитанция № {result.receiptNumber}. Повторно он не
          отправлялся. <a href={`/reports/${result.submissionId}/receipt`}>Скачать квитанцию (PDF)</a>
        </Notice>
      ) : null}
      {result?.status === "rejected" ? <FormError message={`Отчёт не принят: ${result.reason}`} /> : null}
      <Form method="post" encType="multipart/form-data" noValidate>
        <CsrfField />
        <div className="field">
          <label htmlFor="organization">Организация</label>
          <select id="organization" name="organization" defaultValue="">
            <option value="">— выберите —</option>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.short_name}, рег. № {o.regnum} — {STATUS_LABELS[o.status]}
              </option>
            ))}
          </select>
        </div>
        <FileField
          name="report"
          label="Файл отчёта"
          accept=".xml,text/xml,application/xml"
          maxBytes={REPORT_MAX_BYTES}
          tooLargeMessage={REPORT_TOO_LARGE}
        />
        <FormError message={reply?.error} />
        <div className="form-actions">
          <button type="submit" className="button">
            Отправить отчёт
          </button>
        </div>
      </Form>
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
            {Object.entries(PERIODS).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
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
      <table className="grid" aria-label="Журнал отправок">
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
              <td>{periodLabel(s.period, s.year)}</td>
              <td>
                {s.status === "accepted" ? (
                  <>
                    <span className="status status--approved">Принят</span>{" "}
                    <a href={`/reports/${s.id}/receipt`}>квитанция № {s.receipt_number}</a>
                    <div className="muted">
                      <a href={`/reports/${s.id}/file`} download>
                        файл {s.original_name}
                      </a>
                    </div>
                  </>
                ) : (
                  <>
                    <span className="status status--rejected">Не принят</span>
                    <div className="muted">{s.reason}</div>
                  </>
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
