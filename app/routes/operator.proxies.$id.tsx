// The proxy card: organisation, representative and certificate, the POA term and PDF, automatic
// pre-checks, history; «Бумажная копия получена», «Утвердить», «Отклонить» with «Причина отказа».
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, FormError, Notice } from "~/components/forms";
import { StatusBadge } from "~/components/StatusBadge";
import { requireOperator } from "~/accounts/guards.server";
import { formatSnils } from "~/certificates/holder";
import { ProxyError } from "~/proxies/errors.server";
import { queueOf } from "~/review/context.server";
import { flashCookie } from "~/web/cookies.server";
import { field, readForm } from "~/web/forms.server";
import { formatDate, formatDateTime } from "~/web/format";
import { calendarIsDraft, localDate } from "~/calendar";
import { idParam } from "~/web/params";

function mchdPerson(p: {
  surname: string;
  givenName: string;
  patronymic: string;
  position: string | null;
  inn: string | null;
  snils: string | null;
}): string {
  return [
    [p.surname, p.givenName, p.patronymic].filter(Boolean).join(" "),
    p.position,
    p.inn ? `ИНН ${p.inn}` : null,
    p.snils ? `СНИЛС ${formatSnils(p.snils)}` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

function mchdPrincipal(p: {
  name: string;
  inn: string;
  kpp: string | null;
  ogrn: string | null;
  kind: string;
}): string {
  return [
    p.name,
    `ИНН ${p.inn}`,
    p.kpp ? `КПП ${p.kpp}` : null,
    p.ogrn ? `${p.kind === "entrepreneur" ? "ОГРНИП" : "ОГРН"} ${p.ogrn}` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

const REDELEGATION: Record<string, string> = {
  none: "без права передоверия",
  once: "с правом однократного передоверия",
  further: "с правом последующего передоверия",
  unknown: "не указано",
};

export const meta: MetaFunction = () => [{ title: "Заявка — СЭДО-шлюз" }];

const ACTION_NAMES: Record<string, string> = {
  "proxy.added": "Организация добавлена представителем",
  "proxy.term_set": "Указан срок действия",
  "proxy.poa_uploaded": "Загружена доверенность",
  "proxy.submitted": "Направлена на проверку",
  "proxy.paper_copy_received": "Получена бумажная копия",
  "proxy.registry_checked": "МЧД проверена в реестре ФНС",
  "proxy.approved": "Утверждено",
  "proxy.rejected": "Отклонено",
  "proxy.withdrawn": "Удалено представителем",
  "proxy.poa_downloaded": "Доверенность открыта",
  "proxy.expired": "Срок истёк",
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  const queue = await queueOf(context, operator);
  try {
    const card = await queue.card(idParam(params.id));
    const due = card.proxy.sla_due_at ? localDate(new Date(card.proxy.sla_due_at), queue.timeZone) : null;
    return {
      ...card,
      timeZone: queue.timeZone,
      today: localDate(context.clock.now(), queue.timeZone),
      draftDeadline: due ? calendarIsDraft(Number(due.slice(0, 4)), operator.territorialBodyCode) : false,
      siblings: card.proxy.status === "in_review" ? await queue.siblings(card.proxy.id) : [],
    };
  } catch (error) {
    if (error instanceof ProxyError && error.status === 404)
      throw data({ message: "Заявка не найдена." }, { status: 404 });
    throw error;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const operator = await requireOperator(request, context);
  const form = await readForm(request, context);
  const queue = await queueOf(context, operator);
  const id = idParam(params.id);
  // The version is a counter, validated like an id (PostgreSQL refuses out-of-range integers with an error).
  const version = idParam(field(form, "version")) || (field(form, "version") === "0" ? 0 : -1);
  const intent = field(form, "intent");
  let message: string;
  try {
    if (intent === "registry-check") {
      if (field(form, "registryChecked") !== "on") {
        return data({ error: "Отметьте «Проверена в реестре ФНС».", field: "registryChecked" }, { status: 422 });
      }
      await queue.markRegistryChecked(id, version);
      message = "Отмечено: МЧД проверена в реестре ФНС.";
    } else if (intent === "paper-copy") {
      if (field(form, "paperCopy") !== "on") {
        return data({ error: "Отметьте «Бумажная копия получена».", field: "paperCopy" }, { status: 422 });
      }
      await queue.markPaperCopy(id, version, field(form, "paperCopyDate"));
      message = "Отмечено: бумажная копия получена.";
    } else if (intent === "approve" || intent === "approve-next") {
      await queue.approve(id, version, {
        paperCopyReceivedOn: field(form, "paperCopy") === "on" ? field(form, "paperCopyDate") : undefined,
        registryChecked: field(form, "registryChecked") === "on",
      });
      message = "Доверенность утверждена. Представитель получит письмо.";
      if (intent === "approve-next") {
        const next = await queue.nextAfter(id);
        throw redirect(next ? `/operator/proxies/${next}` : "/operator", {
          headers: {
            "Set-Cookie": flashCookie(
              next ? `${message} Открыта следующая заявка.` : `${message} Других заявок на проверке нет.`,
              context.config.secureCookies,
            ),
          },
        });
      }
    } else if (intent === "approve-many") {
      await queue.card(id); // the card the form is on must be the operator's own (404 otherwise)
      const items = form
        .getAll("sibling")
        .map((v) => String(v).match(/^(\d{1,12}):(\d{1,9})$/))
        .filter((m): m is RegExpMatchArray => m !== null)
        .map((m) => ({ id: Number(m[1]), version: Number(m[2]) }));
      const result = await queue.approveMany(items, {
        paperCopyReceivedOn:
          field(form, "siblingsPaperCopy") === "on" ? field(form, "siblingsPaperCopyDate") : undefined,
      });
      message =
        `Утверждено заявок: ${result.approved.length}.` +
        (result.refused.length
          ? ` Не утверждены: ${result.refused.length} — ${result.refused.map((r) => `№ ${r.id}: ${r.reason}`).join("; ")}.`
          : "");
      throw redirect(`/operator/proxies/${id}`, {
        headers: { "Set-Cookie": flashCookie(message, context.config.secureCookies) },
      });
    } else if (intent === "reject") {
      await queue.reject(id, version, field(form, "reason"));
      message = "Доверенность отклонена. Представитель получит письмо с причиной.";
    } else {
      return data({ error: "Неизвестное действие.", field: "" }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof ProxyError) {
      if (error.status === 404) throw data({ message: "Заявка не найдена." }, { status: 404 });
      return data({ error: error.message, field: error.field ?? "" }, { status: error.status });
    }
    throw error;
  }
  throw redirect(intent === "paper-copy" || intent === "registry-check" ? `/operator/proxies/${id}` : "/operator", {
    headers: { "Set-Cookie": flashCookie(message, context.config.secureCookies) },
  });
}

export default function ProxyCard() {
  const {
    proxy: p,
    mchd,
    certificate: c,
    history,
    checks,
    timeZone,
    today,
    draftDeadline,
    siblings,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const inReview = p.status === "in_review";
  return (
    <div className="card">
      <p>
        <Link to="/operator">← Заявки на проверку</Link>
      </p>
      <h1>{p.short_name}</h1>
      <p>
        <StatusBadge status={p.status} />{" "}
        {p.sla_due_at && inReview ? (
          <span className="muted">
            проверить до {formatDateTime(p.sla_due_at, timeZone)}
            {draftDeadline ? " (по проекту календаря)" : ""}
            {p.calendar_due_at
              ? `; по календарю, загруженному ${formatDateTime(p.calendar_changed_at!, timeZone)}, — ${formatDateTime(p.calendar_due_at, timeZone)} (установленный срок не изменён)`
              : ""}
          </span>
        ) : null}
      </p>
      {result?.error ? <FormError message={result.error} /> : null}
      <div className="two-columns">
        <section>
          <h2>Организация</h2>
          <dl className="details">
            <dt>Полное наименование</dt>
            <dd>{p.full_name}</dd>
            <dt>Рег. номер</dt>
            <dd>{p.subdivision_code ? `${p.regnum} (подразделение ${p.subdivision_code})` : p.regnum}</dd>
            <dt>ИНН / КПП</dt>
            <dd>
              {p.inn}
              {p.kpp ? ` / ${p.kpp}` : ""}
            </dd>
            <dt>{p.ogrn.length === 15 ? "ОГРНИП" : "ОГРН"}</dt>
            <dd>{p.ogrn}</dd>
            <dt>Адрес</dt>
            <dd>{p.address}</dd>
          </dl>
          <h2>Представитель</h2>
          <dl className="details">
            <dt>ФИО</dt>
            <dd>{[p.surname, p.given_name, p.patronymic].filter(Boolean).join(" ")}</dd>
            <dt>Электронная почта</dt>
            <dd>{p.email}</dd>
            {c ? (
              <>
                <dt>Владелец сертификата</dt>
                <dd>{[c.holder_surname, c.holder_given_name, c.holder_patronymic].filter(Boolean).join(" ")}</dd>
                <dt>СНИЛС</dt>
                <dd>{formatSnils(c.snils)}</dd>
                <dt>Сертификат</dt>
                <dd>
                  действителен с {formatDate(c.not_before)} по {formatDate(c.not_after)}, издатель {c.issuer}
                </dd>
                <dt>Отпечаток (SHA-1)</dt>
                <dd>
                  <code>{c.sha1}</code>
                </dd>
              </>
            ) : (
              <>
                <dt>Сертификат</dt>
                <dd>не загружен</dd>
              </>
            )}
          </dl>
          <h2>Доверенность</h2>
          <dl className="details">
            <dt>Срок действия</dt>
            <dd>
              {p.valid_from && p.valid_to
                ? `с ${formatDate(p.valid_from + "T12:00:00Z")} по ${formatDate(p.valid_to + "T12:00:00Z")}`
                : "не указан"}
            </dd>
            <dt>Поступила</dt>
            <dd>{p.submitted_at ? formatDateTime(p.submitted_at, timeZone) : ""}</dd>
            {mchd ? (
              <>
                <dt>Реестр ФНС</dt>
                <dd>
                  {p.registry_checked_at
                    ? `проверена ${formatDateTime(p.registry_checked_at, timeZone)}${p.registry_checked_by === null ? " (автоматически)" : ""}`
                    : "не проверена"}
                </dd>
              </>
            ) : (
              <>
                <dt>Бумажная копия</dt>
                <dd>
                  {p.paper_copy_received_at
                    ? `получена ${formatDate(p.paper_copy_received_at + "T12:00:00Z")}`
                    : "не получена"}
                </dd>
              </>
            )}
            {p.rejection_reason ? (
              <>
                <dt>Причина отказа</dt>
                <dd>{p.rejection_reason}</dd>
              </>
            ) : null}
          </dl>
          <h2>Автоматические проверки</h2>
          <ul className="checks">
            {checks.map((check) => (
              <li key={check.label} className={check.ok ? undefined : "fail"}>
                {check.label}
                {check.note ? <span className="muted"> — {check.note}</span> : null}
              </li>
            ))}
          </ul>
          {inReview ? (
            <section className="decision" aria-labelledby="decision-heading">
              <h2 id="decision-heading">Решение</h2>
              <div className="decision__forms">
                <Form method="post" aria-label="Утверждение">
                  <CsrfField />
                  <input type="hidden" name="version" value={p.version} />
                  {mchd ? (
                    p.registry_checked_at ? (
                      <Notice tone="info">
                        МЧД проверена в реестре ФНС {formatDateTime(p.registry_checked_at, timeZone)}.
                      </Notice>
                    ) : (
                      <div className={`field${result?.field === "registryChecked" ? " field--invalid" : ""}`}>
                        <label>
                          <input type="checkbox" name="registryChecked" /> Проверена в реестре ФНС
                        </label>
                      </div>
                    )
                  ) : p.paper_copy_received_at ? (
                    <Notice tone="info">
                      Бумажная копия получена {formatDate(p.paper_copy_received_at + "T12:00:00Z")}.
                    </Notice>
                  ) : (
                    <>
                      <div className={`field${result?.field === "paperCopy" ? " field--invalid" : ""}`}>
                        <label>
                          <input type="checkbox" name="paperCopy" /> Бумажная копия получена
                        </label>
                      </div>
                      <div className={`field${result?.field === "paperCopyDate" ? " field--invalid" : ""}`}>
                        <label htmlFor="paper-date">Дата получения</label>
                        <input id="paper-date" name="paperCopyDate" type="date" defaultValue={today} max={today} />
                      </div>
                    </>
                  )}
                  <p className="muted">
                    {mchd
                      ? "Отметьте проверку в реестре ФНС и нажмите «Утвердить» — отметка и решение сохранятся вместе."
                      : "Отметьте получение бумажной копии и нажмите «Утвердить» — отметка и решение сохранятся вместе."}
                  </p>
                  <div className="form-actions">
                    <button type="submit" name="intent" value="approve" className="button">
                      Утвердить
                    </button>
                    <button type="submit" name="intent" value="approve-next" className="button">
                      Утвердить и открыть следующую
                    </button>
                    {(mchd ? p.registry_checked_at : p.paper_copy_received_at) ? null : (
                      <button
                        type="submit"
                        name="intent"
                        value={mchd ? "registry-check" : "paper-copy"}
                        className="button button--secondary"
                      >
                        Сохранить отметку
                      </button>
                    )}
                  </div>
                </Form>
                <Form method="post">
                  <CsrfField />
                  <input type="hidden" name="intent" value="reject" />
                  <input type="hidden" name="version" value={p.version} />
                  <div className={`field${result?.field === "reason" ? " field--invalid" : ""}`}>
                    <label htmlFor="reason">Причина отказа</label>
                    <textarea
                      id="reason"
                      name="reason"
                      rows={3}
                      maxLength={2000}
                      aria-invalid={result?.field === "reason" ? true : undefined}
                    />
                  </div>
                  <button type="submit" className="button button--danger">
                    Отклонить
                  </button>
                </Form>
              </div>
            </section>
          ) : null}
        </section>
        {mchd ? (
          <section className="document-column">
            <h2>Машиночитаемая доверенность</h2>
            <table className="grid" tabIndex={0} aria-label="Сведения МЧД">
              <tbody>
                <tr>
                  <th scope="row">Номер МЧД</th>
                  <td>
                    <code>{mchd.number}</code>
                    {mchd.internalNumber ? ` (внутренний № ${mchd.internalNumber})` : ""}
                  </td>
                </tr>
                <tr>
                  <th scope="row">Выдана / действует по</th>
                  <td>
                    {formatDate(`${mchd.issuedOn}T12:00:00Z`)} / {formatDate(`${mchd.validTo}T12:00:00Z`)}
                  </td>
                </tr>
                <tr>
                  <th scope="row">Доверитель</th>
                  <td>{mchdPrincipal(mchd.principal)}</td>
                </tr>
                <tr>
                  <th scope="row">Подписал (без доверенности)</th>
                  <td>{mchdPerson(mchd.head)}</td>
                </tr>
                <tr>
                  <th scope="row">Представитель</th>
                  <td>{mchdPerson(mchd.representative)}</td>
                </tr>
                <tr>
                  <th scope="row">Полномочия</th>
                  <td>
                    {mchd.powers.map((pw, i) => (
                      <div key={i}>{pw.code ? `${pw.code} — ${pw.text}` : pw.text}</div>
                    ))}
                  </td>
                </tr>
                <tr>
                  <th scope="row">Передоверие</th>
                  <td>{REDELEGATION[mchd.redelegation]}</td>
                </tr>
                <tr>
                  <th scope="row">Подпись</th>
                  <td>
                    {`${mchd.signer.name}${mchd.signer.snils ? `, СНИЛС ${formatSnils(mchd.signer.snils)}` : ""}; сертификат выдан УЦ «${mchd.signer.issuer}», действует по ${formatDate(mchd.signer.notAfter)}`}
                  </td>
                </tr>
              </tbody>
            </table>
            <p>
              {mchd.registryLink && /^https:\/\//.test(mchd.registryLink) ? (
                <a href={mchd.registryLink} target="_blank" rel="noreferrer noopener">
                  Проверить в реестре ФНС
                </a>
              ) : (
                "Ссылки на реестр в МЧД нет: найдите её в реестре ФНС по номеру."
              )}{" "}
              · <a href={`/operator/proxies/${p.id}/file`}>Скачать МЧД (XML)</a> ·{" "}
              <a href={`/operator/proxies/${p.id}/signature`}>Скачать подпись (.sig)</a>
            </p>
          </section>
        ) : (
          <section className="document-column">
            <h2>Скан доверенности</h2>
            <p>
              <a href={`/operator/proxies/${p.id}/file`} target="_blank" rel="noreferrer">
                Открыть доверенность
              </a>{" "}
              <span className="muted">
                ({p.pages ?? "?"} стр., {Math.ceil((p.size ?? 0) / 1024)} КБ)
              </span>
            </p>
            <iframe className="pdf-frame" title="Доверенность (PDF)" src={`/operator/proxies/${p.id}/file`} />
          </section>
        )}
      </div>
      {inReview && siblings.length ? (
        <section aria-labelledby="siblings-heading">
          <h2 id="siblings-heading">Другие заявки этого представителя</h2>
          <Form method="post">
            <CsrfField />
            <table className="grid" tabIndex={0} aria-label="Другие заявки этого представителя">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Выбор</span>
                  </th>
                  <th scope="col">Организация</th>
                  <th scope="col">Автоматические проверки</th>
                </tr>
              </thead>
              <tbody>
                {siblings.map((s) => (
                  <tr key={s.id}>
                    <td>
                      {s.failed ? null : (
                        <input
                          type="checkbox"
                          name="sibling"
                          value={`${s.id}:${s.version}`}
                          aria-label={`Отметить ${s.short_name} (${s.regnum})`}
                        />
                      )}
                    </td>
                    <td>
                      <Link to={`/operator/proxies/${s.id}`}>{s.short_name}</Link>
                      <div className="muted">{`рег. № ${s.regnum}`}</div>
                    </td>
                    <td>{s.failed ? `не пройдена: «${s.failed}» — откройте заявку` : "все пройдены"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {siblings.every((x) => x.failed) ? (
              <p className="muted">Утвердить вместе можно только заявки, прошедшие все автоматические проверки.</p>
            ) : (
              <div className="filters">
                <div className="field">
                  <label>
                    <input type="checkbox" name="siblingsPaperCopy" /> Бумажные копии отмеченных получены
                  </label>
                </div>
                <div className="field">
                  <label htmlFor="siblings-paper-date">Дата получения копий</label>
                  <input
                    id="siblings-paper-date"
                    name="siblingsPaperCopyDate"
                    type="date"
                    defaultValue={today}
                    max={today}
                  />
                </div>
                <button type="submit" name="intent" value="approve-many" className="button">
                  Утвердить отмеченные
                </button>
              </div>
            )}
          </Form>
        </section>
      ) : null}
      <h2>История</h2>
      <table className="grid" tabIndex={0} aria-label="История заявки">
        <tbody>
          {history.map((h, i) => (
            <tr key={i}>
              <td>{formatDateTime(h.at, timeZone)}</td>
              <td>{ACTION_NAMES[h.action] ?? h.action}</td>
              <td>
                {h.surname
                  ? `${h.surname} ${h.given_name ?? ""}${h.role === "operator" ? " (сотрудник СФР)" : ""}`
                  : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
