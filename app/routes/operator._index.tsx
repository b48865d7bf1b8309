// «Заявки на проверку»: the office's proxies under review, oldest deadline first.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/Pager";
import { requireOperator } from "~/accounts/guards.server";
import { queueOf } from "~/review/context.server";
import { formatDateTime } from "~/web/format";
import { queueFilterOf } from "~/review/office-queue.server";

export const meta: MetaFunction = () => [{ title: "Заявки на проверку — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  const filter = queueFilterOf(new URL(request.url).searchParams);
  const queue = await queueOf(context, operator);
  const office = await context.db
    .selectFrom("territorial_bodies")
    .select(["name"])
    .where("code", "=", operator.territorialBodyCode)
    .executeTakeFirst();
  return {
    office: office?.name ?? operator.territorialBodyCode,
    timeZone: queue.timeZone,
    counters: await queue.counters(),
    list: await queue.list(filter),
    subdivisions: await queue.subdivisions(),
    filter: {
      overdueOnly: Boolean(filter.overdueOnly),
      q: filter.q ?? "",
      subdivision: filter.subdivision ?? "",
      state: filter.state ?? "",
      sort: filter.sort ?? "deadline",
      dir: filter.dir ?? "asc",
    },
    limitedTo: queue.limitedTo,
  };
}

function daysLeft(n: number, overdue: boolean): string {
  if (overdue) return "просрочено";
  if (n === 0) return "сегодня";
  return `осталось раб. дней: ${n}`;
}

export default function Queue() {
  const { office, timeZone, counters, list, filter, subdivisions, limitedTo } = useLoaderData<typeof loader>();
  const query = (changes: Record<string, string | number>) => {
    const all: Record<string, string> = {
      overdue: filter.overdueOnly ? "1" : "",
      q: filter.q,
      subdivision: filter.subdivision,
      state: filter.state,
      sort: filter.sort,
      dir: filter.dir,
      page: "1",
      ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, String(v)])),
    };
    return "?" + new URLSearchParams(Object.entries(all).filter(([, v]) => v !== "")).toString();
  };
  const params = (page: number) => query({ page });
  /** A column header that sorts the queue by it; a second click reverses the order. */
  const sortable = (column: string, label: string) => {
    const active = filter.sort === column;
    const next = active && filter.dir === "asc" ? "desc" : "asc";
    return (
      <th scope="col" aria-sort={active ? (filter.dir === "asc" ? "ascending" : "descending") : undefined}>
        <Link to={query({ sort: column, dir: next })}>
          {`${label}${active ? (filter.dir === "asc" ? " ▲" : " ▼") : ""}`}
        </Link>
      </th>
    );
  };
  return (
    <div className="card">
      <h1>Заявки на проверку</h1>
      <p className="muted">{office}</p>
      {limitedTo ? <p className="muted">Ваши подразделения: {limitedTo.join(", ")}</p> : null}
      {counters.calendarChanged ? (
        <p className="alert alert--warning" role="status">
          {`Загруженный производственный календарь даёт другой срок у заявок на проверке: ${counters.calendarChanged}. Установленный срок не изменён — новый показан рядом с ним.`}
        </p>
      ) : null}
      <div className="counters" aria-label="Показатели">
        <div className="counter">
          <span>На проверке</span>
          <strong>{counters.inReview}</strong>
        </div>
        <div className={`counter${counters.dueToday ? " counter--alert" : ""}`}>
          <span>Срок сегодня</span>
          <strong>{counters.dueToday}</strong>
        </div>
        <div className={`counter${counters.overdue ? " counter--alert" : ""}`}>
          <span>Просрочено</span>
          <strong>{counters.overdue}</strong>
        </div>
        <div className="counter">
          <span>Рассмотрено за неделю</span>
          <strong>{counters.decidedThisWeek}</strong>
        </div>
        <div className="counter">
          <span>За 30 дней: решено / в срок</span>
          <strong>{`${counters.last30.decided} / ${counters.last30.onTime}`}</strong>
        </div>
        <div className="counter">
          <span>Медиана, раб. дней до решения</span>
          <strong>
            {counters.medianWorkingDaysToDecision === null
              ? "—"
              : counters.medianWorkingDaysToDecision.toLocaleString("ru-RU")}
          </strong>
        </div>
      </div>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="queue-q">ИНН, рег. номер или представитель</label>
          <input id="queue-q" name="q" defaultValue={filter.q} />
        </div>
        {subdivisions.length > 1 || filter.subdivision ? (
          <div className="field">
            <label htmlFor="queue-subdivision">Подразделение</label>
            <select id="queue-subdivision" name="subdivision" defaultValue={filter.subdivision}>
              <option value="">Все</option>
              {subdivisions.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="queue-state">Состояние</label>
          <select id="queue-state" name="state" defaultValue={filter.state}>
            <option value="">Все на проверке</option>
            <option value="paper-awaited">Ждём бумажную копию</option>
            <option value="paper-received">Бумажная копия получена</option>
            <option value="mchd">МЧД</option>
            <option value="calendar-changed">Срок изменён новым календарём</option>
          </select>
        </div>
        <div className="field">
          <label>
            <input type="checkbox" name="overdue" value="1" defaultChecked={filter.overdueOnly} /> Только просроченные
          </label>
        </div>
        <input type="hidden" name="sort" value={filter.sort} />
        <input type="hidden" name="dir" value={filter.dir} />
        <button type="submit" className="button button--secondary">
          Показать
        </button>
      </Form>
      <p className="form-actions">
        <a href={`/operator/queue.csv${query({ page: "" })}`}>Скачать CSV</a>
        <a href={`/operator/queue.xlsx${query({ page: "" })}`}>Скачать XLSX</a>
        <span className="muted">{`все ${list.total} по отбору`}</span>
      </p>
      <table className="grid" tabIndex={0} aria-label="Заявки">
        <thead>
          <tr>
            {sortable("submitted", "Поступила")}
            {sortable("deadline", "Проверить до")}
            {sortable("representative", "Представитель")}
            {sortable("organization", "Организация")}
            {sortable("paper", "Статус")}
          </tr>
        </thead>
        <tbody>
          {list.rows.map((r) => (
            <tr key={r.id} className={r.overdue ? "overdue" : undefined}>
              <td>{r.submitted_at ? formatDateTime(r.submitted_at, timeZone) : ""}</td>
              <td>
                {formatDateTime(r.sla_due_at!, timeZone)}
                <div className="muted">{daysLeft(r.workingDaysLeft, r.overdue)}</div>
                {r.calendar_due_at ? (
                  <div className="muted">по новому календарю — {formatDateTime(r.calendar_due_at, timeZone)}</div>
                ) : null}
              </td>
              <td>{[r.surname, r.given_name, r.patronymic].filter(Boolean).join(" ")}</td>
              <td>
                <Link to={`/operator/proxies/${r.id}`}>{r.short_name}</Link>
                <div className="muted">
                  {`рег. № ${r.regnum}, подразделение ${r.subdivision_code ?? r.regnum.slice(0, 4)}, ИНН ${r.inn}`}
                </div>
              </td>
              <td>
                На проверке{r.paper_copy_received_at ? <div className="muted">бумажная копия получена</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.rows.length === 0 ? (
        <p className="muted">
          {filter.overdueOnly || filter.q || filter.subdivision
            ? "По этим условиям заявок нет."
            : "Заявок на проверку нет."}
        </p>
      ) : null}
      <Pager page={list.page} pages={list.pages} total={list.total} href={params} />
    </div>
  );
}
