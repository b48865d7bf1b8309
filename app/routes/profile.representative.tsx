// Профиль → Уполномоченный: the representative's qualified certificate. «Добавить» (the organisation
// search) appears only once a current certificate is accepted.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfField } from "~/components/forms";
import { FileField } from "~/components/FileField";
import { requireRepresentative } from "~/accounts/guards.server";
import {
  CertificateRefused,
  acceptCertificate,
  currentCertificate,
  recordRefusal,
  refuseMissingFile,
  refuseTooLarge,
} from "~/certificates/acceptance.server";
import { formatSnils } from "~/certificates/holder";
import { flashCookie } from "~/web/cookies.server";
import { assertFormToken } from "~/web/forms.server";
import { formatDate, formatDateTime } from "~/web/format";
import { proxiesOf } from "~/proxies/context.server";
import { PROXY_SORTS, type ProxySort } from "~/proxies/representative-proxies.server";
import { useState } from "react";
import { FILTERABLE_STATUSES, STATUS_LABELS } from "~/proxies/statuses";
import { StatusBadge } from "~/components/StatusBadge";
import { Pager } from "~/components/Pager";
import type { ProxyStatus } from "../../db/schema";
import { Link } from "@remix-run/react";
import { pageParam } from "~/web/params";
import { readUpload, UploadRefused, UPLOADS } from "~/web/upload-routes.server";

export const meta: MetaFunction = () => [{ title: "Уполномоченный — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const url = new URL(request.url);
  const status = url.searchParams.get("status") ?? "";
  const q = url.searchParams.get("q") ?? "";
  const region = (url.searchParams.get("region") ?? "").replace(/\D/g, "").slice(0, 4);
  const sortParam = url.searchParams.get("sort") ?? "";
  const sort = (PROXY_SORTS as readonly string[]).includes(sortParam) ? (sortParam as ProxySort) : "attention";
  const page = pageParam(url.searchParams.get("page"));
  const mine = proxiesOf(context, user.id);
  const proxies = await mine.list({
    status: (FILTERABLE_STATUSES as string[]).includes(status) ? (status as ProxyStatus) : undefined,
    q,
    region,
    sort,
    page,
  });
  return {
    certificate: await currentCertificate(context.db, context.clock, user.id),
    proxies,
    regions: proxies.total ? await mine.regions() : [],
    filter: { status, q, region, sort },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  try {
    let upload;
    try {
      upload = readUpload(context, UPLOADS.certificate);
    } catch (error) {
      if (!(error instanceof UploadRefused)) throw error;
      // An oversized file is a refusal of the certificate rule (recorded); the others are the form's.
      throw error.reason === "too-large"
        ? refuseTooLarge()
        : new CertificateRefused("no-file", error.message, error.reason === "incomplete" ? 400 : 422);
    }
    const file = upload.files[0];
    if (file.size === 0)
      throw new CertificateRefused("not-certificate", "Файл пуст. Выберите файл сертификата (.cer).", 422);
    await acceptCertificate(context.db, context.clock, {
      userId: user.id,
      account: user,
      bytes: file.buffer ?? Buffer.alloc(0),
      ip: context.ip,
    });
  } catch (error) {
    if (error instanceof CertificateRefused) {
      if (error.code !== "no-file") await recordRefusal(context.db, context.clock, user.id, error.code, context.ip);
      return data({ error: error.message, code: error.code }, { status: error.status });
    }
    throw error;
  }
  throw redirect("/profile/representative", {
    headers: { "Set-Cookie": flashCookie("Сертификат загружен и проверен.", context.config.secureCookies) },
  });
}

export default function Representative() {
  const { certificate, proxies, filter, regions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [ticked, setTicked] = useState<Set<number>>(new Set());
  const pageTicked = proxies.rows.length > 0 && proxies.rows.every((r) => ticked.has(r.id));
  const accepted = Boolean(certificate?.qualified && certificate.validNow && !certificate.trustLost);
  const certificateForm = (
    <Form key={certificate?.sha1 ?? "none"} method="post" encType="multipart/form-data" noValidate>
      <CsrfField />
      <FileField
        name="certificate"
        label="Файл сертификата (.cer)"
        accept=".cer,.crt,.pem,application/pkix-cert,application/x-x509-ca-cert"
        maxBytes={CERTIFICATE_MAX_BYTES_CLIENT}
        tooLargeMessage="Файл больше 64 КБ — это не файл сертификата. Выберите файл .cer."
        error={result?.error}
      />
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>
          Загрузить сертификат
        </button>
      </div>
    </Form>
  );
  return (
    <>
      <h2>Сертификат электронной подписи</h2>
      {certificate ? (
        <>
          {accepted ? (
            <p>
              <strong>{certificate.holder}</strong>
              {` — квалифицированный сертификат, действует по ${formatDate(certificate.notAfter)}.`}
            </p>
          ) : null}
          <details className="disclosure" open={!accepted}>
            <summary>Подробнее о сертификате</summary>
            <dl className="details" aria-label="Текущий сертификат">
              <dt>Квалификация</dt>
              <dd>
                {certificate.trustLost ? (
                  <strong className="error-text">{`Не действует: ${certificate.trustLost}`}</strong>
                ) : certificate.chain ? (
                  <>{`Квалифицированный, выдан аккредитованным УЦ «${certificate.chain[0]?.name ?? ""}»`}</>
                ) : (
                  <strong className="error-text">
                    Не проверен по списку аккредитованных УЦ: загрузите сертификат ещё раз, чтобы портал проверил
                    цепочку
                  </strong>
                )}
              </dd>
              {certificate.chain ? (
                <>
                  <dt>Цепочка сертификатов</dt>
                  <dd>
                    <ol className="chain" aria-label="Цепочка сертификатов">
                      <li>{certificate.holder}</li>
                      {certificate.chain.map((link, i) => (
                        <li key={i}>{link.name}</li>
                      ))}
                    </ol>
                  </dd>
                  <dt>Проверка отзыва</dt>
                  <dd>
                    {certificate.crl
                      ? `по списку отзыва УЦ от ${formatDate(certificate.crl.thisUpdate)}${certificate.crl.nextUpdate ? ` (следующий — ${formatDate(certificate.crl.nextUpdate)})` : ""}`
                      : "список отзыва УЦ портал ещё не получил; сертификат будет проверен, как только список поступит"}
                  </dd>
                </>
              ) : null}
              <dt>Владелец</dt>
              <dd>{certificate.holder}</dd>
              {certificate.snils ? (
                <>
                  <dt>СНИЛС</dt>
                  <dd>{formatSnils(certificate.snils)}</dd>
                </>
              ) : null}
              {certificate.inn ? (
                <>
                  <dt>ИНН</dt>
                  <dd>{certificate.inn}</dd>
                </>
              ) : null}
              {certificate.organization ? (
                <>
                  <dt>Организация</dt>
                  <dd>
                    {certificate.organization}
                    {certificate.innle ? `, ИНН ${certificate.innle}` : ""}
                    {certificate.ogrn ? `, ОГРН ${certificate.ogrn}` : ""}
                  </dd>
                </>
              ) : null}
              {certificate.ogrnip ? (
                <>
                  <dt>ОГРНИП</dt>
                  <dd>{certificate.ogrnip}</dd>
                </>
              ) : null}
              {certificate.title ? (
                <>
                  <dt>Должность</dt>
                  <dd>{certificate.title}</dd>
                </>
              ) : null}
              {certificate.email ? (
                <>
                  <dt>Электронная почта</dt>
                  <dd>{certificate.email}</dd>
                </>
              ) : null}
              <dt>Издатель</dt>
              <dd>{certificate.issuer}</dd>
              <dt>Серийный номер</dt>
              <dd>
                <code>{certificate.serial}</code>
              </dd>
              <dt>Срок действия</dt>
              <dd>
                действителен с {formatDate(certificate.notBefore)} по {formatDate(certificate.notAfter)}
                {certificate.validNow ? "" : " — срок действия истёк, загрузите новый сертификат"}
              </dd>
              <dt>Алгоритм ключа</dt>
              <dd>{certificate.algorithm}</dd>
              <dt>Отпечаток (SHA-1)</dt>
              <dd>
                <code>{certificate.sha1}</code>
              </dd>
              <dt>Загружен</dt>
              <dd>{formatDateTime(certificate.uploadedAt)}</dd>
            </dl>
          </details>
          {certificate.qualified ? (
            <Form method="get" action="/profile/representative/search" className="form-actions">
              <button type="submit" className="button">
                Добавить
              </button>
              <span>Найдите в реестре организации, которые вы представляете.</span>
            </Form>
          ) : null}
          {accepted ? null : <h3>Заменить сертификат</h3>}
        </>
      ) : (
        <p>
          Загрузите сертификат подписи, которой вы будете подписывать отчёты. ФИО владельца сертификата должны совпадать
          с ФИО в учётной записи. После проверки сертификата можно будет добавить представляемые организации.
        </p>
      )}
      {accepted ? (
        // An accepted certificate needs no attention: replacing it is one click away (open again after a refusal).
        <details className="disclosure" open={Boolean(result?.error)}>
          <summary>Заменить сертификат</summary>
          {certificateForm}
        </details>
      ) : (
        certificateForm
      )}
      <h2>Представляемые организации</h2>
      {proxies.total === 0 && !filter.status && !filter.q ? (
        <p className="muted">
          {certificate
            ? "Вы ещё не добавили ни одной организации. Нажмите «Добавить», чтобы найти их в реестре."
            : "Организации можно добавить после загрузки сертификата."}
        </p>
      ) : (
        <>
          <Form method="get" className="filters" aria-label="Отбор организаций">
            <div className="field">
              <label htmlFor="filter-status">Статус</label>
              <select id="filter-status" name="status" defaultValue={filter.status}>
                <option value="">Все ({Object.values(proxies.counts).reduce((a, b) => a + (b ?? 0), 0)})</option>
                {FILTERABLE_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABELS[s]} ({proxies.counts[s] ?? 0})
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="filter-q">Поиск по названию, ИНН или рег. номеру</label>
              <input id="filter-q" name="q" defaultValue={filter.q} />
            </div>
            {regions.length > 1 || filter.region ? (
              <div className="field">
                <label htmlFor="filter-region">Отделение СФР</label>
                <select id="filter-region" name="region" defaultValue={filter.region}>
                  <option value="">Все</option>
                  {regions.map((r) => (
                    <option key={r.code} value={r.code}>
                      {r.code} — {r.region}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="filter-sort">Сортировка</label>
              <select id="filter-sort" name="sort" defaultValue={filter.sort}>
                {Object.entries(SORT_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button--secondary">
              Показать
            </button>
          </Form>
          <Form
            id="selection"
            method="get"
            action="/profile/representative/term"
            className="bulk-bar"
            aria-label="Действия с выбранными"
          >
            <input type="hidden" name="status" value={filter.status} />
            <input type="hidden" name="q" value={filter.q} />
            <input type="hidden" name="region" value={filter.region} />
            <label>
              <input
                type="checkbox"
                checked={pageTicked}
                onChange={(e) => setTicked(e.target.checked ? new Set(proxies.rows.map((r) => r.id)) : new Set())}
              />{" "}
              Выбрать все на странице
            </label>
            {proxies.total > proxies.rows.length ? (
              <label>
                <input type="checkbox" name="all" value="1" /> {`Выбрать все ${proxies.total} по отбору`}
              </label>
            ) : null}
            <span className="muted" aria-live="polite">{`Выбрано: ${ticked.size}`}</span>
            <button type="submit" className="button button--secondary">
              Указать срок для выбранных
            </button>
            <Link className="button button--secondary" to="/profile/representative/poa-batch">
              Загрузить доверенности пакетом
            </Link>
          </Form>
          <div className="table-scroll" tabIndex={0}>
            <table className="grid grid--compact" aria-label="Представляемые организации">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Выбор</span>
                  </th>
                  <th scope="col">Регистрационный номер</th>
                  <th scope="col">ИНН</th>
                  <th scope="col">Наименование</th>
                  <th scope="col">Срок действия доверенности</th>
                  <th scope="col">Статус</th>
                  <th scope="col">
                    <span className="visually-hidden">Действия</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {proxies.rows.map((p) => (
                  <tr key={p.id} data-regnum={p.regnum}>
                    <td>
                      <input
                        type="checkbox"
                        name="id"
                        value={p.id}
                        form="selection"
                        aria-label={`Выбрать ${p.short_name} (${p.regnum})`}
                        checked={ticked.has(p.id)}
                        onChange={(e) => {
                          const next = new Set(ticked);
                          if (e.target.checked) next.add(p.id);
                          else next.delete(p.id);
                          setTicked(next);
                        }}
                      />
                    </td>
                    <td>{p.regnum}</td>
                    <td>{p.inn}</td>
                    <td>{p.status === "approved" ? p.full_name : p.short_name}</td>
                    <td>
                      {p.valid_from && p.valid_to
                        ? `с ${formatDate(p.valid_from + "T12:00:00Z")} по ${formatDate(p.valid_to + "T12:00:00Z")}`
                        : "не указан"}
                      <br />
                      <span className="muted">
                        {p.poa_kind === "mchd" ? "МЧД загружена" : p.poa_file_id ? "PDF загружен" : "PDF не загружен"}
                      </span>
                      {p.expiringSoon ? <div className="warning-text">истекает в ближайшие 30 дней</div> : null}
                    </td>
                    <td>
                      <StatusBadge status={p.status} />
                      {p.status === "in_review" && p.sla_due_at ? (
                        <div className="muted">проверка до {formatDate(p.sla_due_at)}</div>
                      ) : null}
                      {p.status === "in_review" && p.approved_valid_from && p.approved_valid_to ? (
                        <div className="muted">
                          {`до решения отчёты принимаются по утверждённому сроку: с ${formatDate(p.approved_valid_from + "T12:00:00Z")} по ${formatDate(p.approved_valid_to + "T12:00:00Z")}`}
                        </div>
                      ) : null}
                      {p.status === "rejected" && p.rejection_reason ? (
                        <div className="muted">Причина: {p.rejection_reason}</div>
                      ) : null}
                    </td>
                    <td className="actions">
                      <details className="menu">
                        <summary>Действия</summary>
                        <div className="menu__items">
                          <Form method="get" action={`/profile/representative/proxies/${p.id}/term`}>
                            <button type="submit" className="button button--secondary button--small">
                              Редактировать срок действия
                            </button>
                          </Form>
                          <Form method="get" action={`/profile/representative/proxies/${p.id}/poa`}>
                            <button type="submit" className="button button--secondary button--small">
                              Загрузить доверенность
                            </button>
                          </Form>
                          <Form method="get" action={`/profile/representative/proxies/${p.id}/mchd`}>
                            <button type="submit" className="button button--secondary button--small">
                              Загрузить МЧД
                            </button>
                          </Form>
                          <Form method="get" action={`/profile/representative/proxies/${p.id}/withdraw`}>
                            <button type="submit" className="button button--danger button--small">
                              Удалить
                            </button>
                          </Form>
                        </div>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {proxies.rows.length === 0 ? <p className="muted">Ничего не найдено. Измените условия отбора.</p> : null}
          <Pager
            page={proxies.page}
            pages={proxies.pages}
            total={proxies.total}
            href={(n) =>
              `?status=${filter.status}&q=${encodeURIComponent(filter.q)}&region=${filter.region}&sort=${filter.sort}&page=${n}`
            }
          />
        </>
      )}
    </>
  );
}

const SORT_LABELS: Record<string, string> = {
  attention: "Сначала требующие действия",
  name: "По наименованию",
  status: "По статусу",
  deadline: "По сроку проверки",
  term: "По окончанию доверенности",
};

/** The same 64 KiB as CERTIFICATE_MAX_BYTES on the server, for the check in the browser. */
const CERTIFICATE_MAX_BYTES_CLIENT = 64 * 1024;
