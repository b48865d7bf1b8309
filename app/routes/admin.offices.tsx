// «Отделения»: the regional branches side by side — review figures for the last 30 days in each branch's own
// calendar (decided, on time, median working days to a decision) and what is in review and overdue now.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/accounts/guards.server";
import { onTimeText, slaFigures } from "~/review/sla.server";

export const meta: MetaFunction = () => [{ title: "Отделения — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const now = context.clock.now();
  // Only branches with proxies: 85 rows of zeros say nothing.
  const offices = await context.db
    .selectFrom("territorial_bodies")
    .select(["code", "name", "region", "time_zone"])
    .where((eb) =>
      eb.exists(
        eb.selectFrom("proxies").select("proxies.id").whereRef("proxies.office_code", "=", "territorial_bodies.code"),
      ),
    )
    .orderBy("code")
    .execute();
  const rows = [];
  for (const o of offices) {
    const f = await slaFigures(context.db, { code: o.code, timeZone: o.time_zone }, now);
    rows.push({ code: o.code, region: o.region, ...f, onTimeText: onTimeText(f) });
  }
  rows.sort((a, b) => b.overdueNow - a.overdueNow || a.code.localeCompare(b.code));
  return { rows };
}

export default function Offices() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <div className="card">
      <h1>Отделения</h1>
      <p className="muted">
        Показатели проверки доверенностей за последние 30 дней, в рабочих днях календаря каждого отделения (с
        праздниками его субъекта); сначала отделения с просроченными заявками.
      </p>
      {rows.length === 0 ? (
        <p>Заявок пока нет ни в одном отделении.</p>
      ) : (
        <table className="grid" tabIndex={0} aria-label="Показатели отделений">
          <thead>
            <tr>
              <th scope="col">Отделение</th>
              <th scope="col">Решено за 30 дней</th>
              <th scope="col">В срок</th>
              <th scope="col">Медиана, раб. дней</th>
              <th scope="col">На проверке</th>
              <th scope="col">Просрочено сейчас</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code} className={r.overdueNow ? "overdue" : undefined}>
                <td>{`${r.code} — ${r.region}`}</td>
                <td>{r.decided}</td>
                <td>{r.onTimeText}</td>
                <td>{r.medianWorkingDays === null ? "—" : r.medianWorkingDays.toLocaleString("ru-RU")}</td>
                <td>{r.inReview}</td>
                <td>{r.overdueNow}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
