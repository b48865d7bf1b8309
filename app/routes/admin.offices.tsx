// «Отделения»: the regional branches side by side — review figures for the last 30 days in each branch's own
// calendar (decided, on time, median working days to a decision) and what is in review and overdue now.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/accounts/guards.server";
import { recordAuditEvent } from "~/audit/journal.server";
import { CsrfField, FormError } from "~/components/forms";
import { flashCookie } from "~/web/cookies.server";
import { field, readForm } from "~/web/forms.server";
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
  const all = await context.db
    .selectFrom("territorial_bodies")
    .select(["code", "region", "notify_mode"])
    .orderBy("code")
    .execute();
  return { rows, offices: all };
}

const MODES = { each: "письмо о каждой новой заявке", digest: "только утренняя сводка" } as const;

/** «Письма о новых заявках»: a letter per new proxy, or the morning digest only. */
export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, context);
  const form = await readForm(request, context);
  const code = field(form, "office");
  const mode = field(form, "mode");
  if (mode !== "each" && mode !== "digest")
    return data({ error: "Выберите, как сообщать о новых заявках." }, { status: 422 });
  const office = await context.db
    .selectFrom("territorial_bodies")
    .select(["code", "region"])
    .where("code", "=", code)
    .executeTakeFirst();
  if (!office) return data({ error: "Выберите отделение из списка." }, { status: 422 });
  await context.db.transaction().execute(async (trx) => {
    await trx.updateTable("territorial_bodies").set({ notify_mode: mode }).where("code", "=", office.code).execute();
    await recordAuditEvent(trx, context.clock, {
      action: "office.notify_mode_changed",
      actorId: admin.id,
      subjectType: "office",
      subjectId: office.code,
      ip: context.ip,
      details: { mode },
    });
  });
  throw redirect("/admin/offices", {
    headers: {
      "Set-Cookie": flashCookie(`${office.code} — ${office.region}: ${MODES[mode]}.`, context.config.secureCookies),
    },
  });
}

export default function Offices() {
  const { rows, offices } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const digest = offices.filter((o) => o.notify_mode === "digest");
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
      <h2>Письма о новых заявках</h2>
      <p className="muted">
        {digest.length
          ? `Только утренняя сводка: ${digest.map((o) => o.code).join(", ")}. Остальные отделения получают письмо о каждой новой заявке.`
          : "Все отделения получают письмо о каждой новой заявке; сводка просроченных приходит каждое рабочее утро."}
      </p>
      <Form method="post" className="filters">
        <CsrfField />
        <div className="field">
          <label htmlFor="notify-office">Отделение</label>
          <select id="notify-office" name="office" defaultValue="">
            <option value="">—</option>
            {offices.map((o) => (
              <option key={o.code} value={o.code}>
                {`${o.code} — ${o.region}`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="notify-mode">Как сообщать</label>
          <select id="notify-mode" name="mode" defaultValue="each">
            {Object.entries(MODES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          Сохранить
        </button>
      </Form>
      <FormError message={result?.error ?? null} />
    </div>
  );
}
