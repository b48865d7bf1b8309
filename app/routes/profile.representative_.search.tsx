// «Добавить»: search the registry by identifiers and name, tick organisations, «Добавить выбранные».
import { formatSfrRegnum } from "~/organizations/identifiers";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { CsrfField, Field, FormError } from "~/components/forms";
import { Pager } from "~/components/Pager";
import { requireRepresentative } from "~/accounts/guards.server";
import { searchOrganizations, validateSearch } from "~/organizations/registry.server";
import { proxiesOf } from "~/proxies/context.server";
import { proxyErrorData } from "~/proxies/responses.server";
import { flashCookie } from "~/web/cookies.server";
import { readForm } from "~/web/forms.server";
import { idParam, pageParam } from "~/web/params";

export const meta: MetaFunction = () => [{ title: "Поиск организаций — СЭДО-шлюз" }];

const FIELDS = ["regnum", "inn", "kpp", "ogrn", "name"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const proxies = proxiesOf(context, user.id);
  try {
    await proxies.requireValidCertificate();
  } catch {
    throw redirect("/profile/representative");
  }
  const url = new URL(request.url);
  const values = Object.fromEntries(FIELDS.map((f) => [f, url.searchParams.get(f) ?? ""])) as Record<
    (typeof FIELDS)[number],
    string
  >;
  const searched = FIELDS.some((f) => values[f].trim() !== "");
  // Organisations ticked on other pages of the results (kept in the pager's links).
  const selected = (url.searchParams.get("sel") ?? "")
    .split(",")
    .filter((v) => /^\d{1,12}$/.test(v))
    .slice(0, 5000)
    .map(Number);
  if (!searched)
    return { values, searched: false as const, fieldErrors: {} as Record<string, string>, result: null, selected };
  const checked = validateSearch(values);
  if (!checked.ok)
    return data(
      { values, searched: true as const, fieldErrors: checked.fieldErrors, result: null, selected },
      { status: 422 },
    );
  const page = pageParam(url.searchParams.get("page"));
  const result = await searchOrganizations(context.db, context.dbKind, checked.criteria, {
    page,
    representativeId: user.id,
  });
  return { values, searched: true as const, fieldErrors: {} as Record<string, string>, result, selected };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const form = await readForm(request, context);
  const ids = form
    .getAll("organizationId")
    .map((v) => idParam(typeof v === "string" ? v : ""))
    .filter((id) => id > 0);
  try {
    const { added, already } = await proxiesOf(context, user.id).add(ids);
    const message =
      `Добавлено организаций: ${added.length}.` +
      (already.length ? ` Уже были в списке и не добавлены повторно: ${already.length}.` : "") +
      (added.length ? " Укажите срок действия доверенности и загрузите её скан." : "");
    throw redirect("/profile/representative", {
      headers: { "Set-Cookie": flashCookie(message, context.config.secureCookies) },
    });
  } catch (error) {
    if (error instanceof Response) throw error;
    return proxyErrorData(error);
  }
}

export default function Search() {
  const { values, searched, fieldErrors, result, selected } = useLoaderData<typeof loader>();
  const [ticked, setTicked] = useState<Set<number>>(() => new Set(selected));
  const toggle = (ids: number[], on: boolean) => {
    const next = new Set(ticked);
    for (const id of ids)
      if (on) next.add(id);
      else next.delete(id);
    setTicked(next);
  };
  const selectable = result ? result.rows.filter((r) => !r.represented).map((r) => r.id) : [];
  const added = useActionData<typeof action>();
  const query = new URLSearchParams(values as Record<string, string>);
  return (
    <>
      <h2>Поиск организаций в реестре страхователей</h2>
      <p>
        <Link to="/profile/representative">← К списку представляемых организаций</Link>
      </p>
      <Form method="get" noValidate>
        <div className="search-grid">
          <Field
            name="regnum"
            label="Регистрационный номер"
            hint="10 цифр ФСС или 12 цифр СФР (XXX-XXX-XXXXXX)."
            defaultValue={values.regnum}
            error={fieldErrors.regnum}
          />
          <Field name="inn" label="ИНН" inputMode="numeric" defaultValue={values.inn} error={fieldErrors.inn} />
          <Field name="kpp" label="КПП" defaultValue={values.kpp} error={fieldErrors.kpp} />
          <Field name="ogrn" label="ОГРН" inputMode="numeric" defaultValue={values.ogrn} error={fieldErrors.ogrn} />
          <Field
            name="name"
            label="Наименование"
            defaultValue={values.name}
            error={fieldErrors.name}
            hint="Любая часть названия: «ромашк» найдёт ООО «Ромашка»."
          />
        </div>
        <FormError message={fieldErrors.form} />
        <div className="form-actions">
          <button type="submit" className="button">
            Искать
          </button>
          <Link to="/profile/representative/bulk">Добавить списком ИНН или рег. номеров</Link>
        </div>
      </Form>
      {searched && result ? (
        result.total === 0 ? (
          <p role="status">Ничего не найдено. Проверьте реквизиты или найдите организацию по части названия.</p>
        ) : (
          <Form method="post">
            <CsrfField />
            <p role="status">
              Найдено: {result.capped ? `более ${result.total}` : result.total}
              {result.capped ? " — уточните запрос" : ""}.
            </p>
            <FormError message={added && "error" in added ? added.error : null} />
            {/* Ticks made on other pages of the results travel with the form. */}
            {[...ticked]
              .filter((id) => !result.rows.some((r) => r.id === id))
              .map((id) => (
                <input key={id} type="hidden" name="organizationId" value={id} />
              ))}
            <div className="bulk-bar">
              <label>
                <input
                  type="checkbox"
                  checked={selectable.length > 0 && selectable.every((id) => ticked.has(id))}
                  onChange={(e) => toggle(selectable, e.target.checked)}
                />{" "}
                Выбрать все на странице
              </label>
              <span className="muted" aria-live="polite">{`Выбрано: ${ticked.size}`}</span>
            </div>
            <table className="grid" tabIndex={0} aria-label="Результаты поиска">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Выбрать</span>
                  </th>
                  <th scope="col">Регистрационный номер</th>
                  <th scope="col">ИНН</th>
                  <th scope="col">КПП</th>
                  <th scope="col">Наименование</th>
                  <th scope="col">Адрес</th>
                </tr>
              </thead>
              <tbody>
                {result.rows.map((o) => (
                  <tr key={o.id}>
                    <td>
                      {o.represented ? (
                        <span className="marked" title="Уже в списке представляемых">
                          ✓
                        </span>
                      ) : (
                        <input
                          type="checkbox"
                          name="organizationId"
                          value={o.id}
                          aria-label={o.regnum}
                          checked={ticked.has(o.id)}
                          onChange={(e) => toggle([o.id], e.target.checked)}
                        />
                      )}
                    </td>
                    <td>
                      {o.regnum}
                      {o.sfrRegnum ? <div className="muted">СФР {formatSfrRegnum(o.sfrRegnum)}</div> : null}
                    </td>
                    <td>{o.inn}</td>
                    <td>{o.kpp ?? "—"}</td>
                    <td>
                      {o.shortName}
                      {o.represented ? <div className="muted">уже представляете</div> : null}
                    </td>
                    <td>{o.address}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager
              page={result.page}
              pages={result.pages}
              href={(n) => `?${query}&page=${n}${ticked.size ? `&sel=${[...ticked].join(",")}` : ""}`}
            />
            <div className="form-actions">
              <button type="submit" className="button">
                Добавить выбранные
              </button>
            </div>
          </Form>
        )
      ) : null}
    </>
  );
}
