// «Удостоверяющие центры»: the trust list. Administrators load the Минцифры list of accredited CAs (XML), CA
// certificates and revocation lists (the same files `npm run trust:import` takes), see every CA with its term,
// source and latest CRL, and take one off the list; its representatives' certificates stop counting at once.
import fs from "node:fs/promises";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfField } from "~/components/forms";
import { Pager } from "~/components/Pager";
import { requireAdmin } from "~/accounts/guards.server";
import { importTrustFiles, removeTrustedCa, trustedCasPage, type ImportLine } from "~/certificates/trust-list.server";
import { OUTCOME_WORDS, TRUST_FILE_MAX_BYTES } from "~/certificates/trust-words";
import { GostUnavailable } from "~/certificates/gost-openssl.server";
import { flashCookie } from "~/web/cookies.server";
import { formatDate, formatDateTime } from "~/web/format";
import { idParam, pageParam } from "~/web/params";
import { readUpload, UploadRefused, UPLOADS } from "~/web/upload-routes.server";

export const meta: MetaFunction = () => [{ title: "Удостоверяющие центры — СЭДО-шлюз" }];

const PAGE_SIZE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 200);
  const page = pageParam(url.searchParams.get("page"));
  const list = await trustedCasPage(context.db, { q, page, pageSize: PAGE_SIZE });
  return { ...list, q, page, pageSize: PAGE_SIZE, now: context.clock.now().toISOString() };
}

type ActionResult = { error: string; lines?: undefined } | { error?: undefined; lines: ImportLine[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, context);
  let upload;
  try {
    upload = readUpload(context, UPLOADS.trustFiles);
  } catch (error) {
    if (error instanceof UploadRefused) return data<ActionResult>({ error: error.message }, { status: error.status });
    throw error;
  }
  if (upload.fields.intent === "remove") {
    const id = idParam(upload.fields.id);
    const removed =
      id !== null &&
      (await removeTrustedCa(context.db, context.clock, id, {
        appUrl: context.config.appUrl,
        actorId: admin.id,
        ip: context.ip,
      }));
    throw redirect("/admin/certification-authorities", {
      headers: {
        "Set-Cookie": flashCookie(
          removed
            ? "УЦ исключён из списка доверенных: выданные им сертификаты больше не принимаются."
            : "Этот УЦ уже исключён из списка.",
          context.config.secureCookies,
        ),
      },
    });
  }
  if (upload.files.length === 0)
    return data<ActionResult>({ error: UPLOADS.trustFiles.messages.missing }, { status: 422 });
  const files = await Promise.all(
    upload.files.map(async (f) => ({
      name: f.originalName,
      bytes: f.buffer ?? (f.path ? await fs.readFile(f.path) : Buffer.alloc(0)),
    })),
  );
  try {
    const report = await importTrustFiles(context.db, context.clock, files, {
      appUrl: context.config.appUrl,
      actorId: admin.id,
      ip: context.ip,
    });
    return data<ActionResult>(
      { lines: report.lines },
      { status: report.counts.refused && report.lines.every((l) => l.outcome === "refused") ? 422 : 200 },
    );
  } catch (error) {
    if (error instanceof GostUnavailable) {
      return data<ActionResult>(
        {
          error:
            "Проверить подписи списков отзыва невозможно: на сервере не установлены средства ГОСТ (libengine-gost-openssl).",
        },
        { status: 503 },
      );
    }
    throw error;
  }
}

export default function CertificationAuthorities() {
  const { rows, total, active, lastTsl, q, page, pageSize, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="card">
      <h1>Удостоверяющие центры</h1>
      <p>
        Сертификат представителя принимается, только если цепочка от него строится до корневого сертификата из этого
        списка и все подписи в ней верны. В списке {active.toLocaleString("ru-RU")} действующих сертификатов УЦ
        {lastTsl
          ? `; список аккредитованных УЦ Минцифры${lastTsl.version ? ` версии ${lastTsl.version}` : ""} загружен ${formatDateTime(lastTsl.importedAt)}`
          : "; список аккредитованных УЦ Минцифры ещё не загружался"}
        .
      </p>
      <Form method="post" encType="multipart/form-data" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="import" />
        <div className={`field${result?.error ? " field--invalid" : ""}`}>
          <label htmlFor="trust-files">Файлы списка УЦ (XML, .cer, .pem, .crl)</label>
          <input
            id="trust-files"
            name="files"
            type="file"
            multiple
            accept=".xml,.cer,.crt,.pem,.crl,application/xml,text/xml,application/pkix-cert,application/pkix-crl"
            aria-describedby="trust-files-hint"
            aria-invalid={result?.error ? true : undefined}
          />
          <p id="trust-files-hint" className="field__hint">
            Список аккредитованных УЦ с портала Минцифры (XML, до {TRUST_FILE_MAX_BYTES / 1024 / 1024} МБ), корневые и
            промежуточные сертификаты УЦ в DER или Base64, списки отзыва (CRL).
          </p>
          {result?.error ? (
            <p className="field__error" role="alert">
              {result.error}
            </p>
          ) : null}
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            Загрузить
          </button>
        </div>
      </Form>
      {result?.lines ? (
        <table className="grid" tabIndex={0} aria-label="Результат загрузки">
          <thead>
            <tr>
              <th scope="col">Итог</th>
              <th scope="col">Что</th>
              <th scope="col">Файл</th>
            </tr>
          </thead>
          <tbody>
            {result.lines.map((l, i) => (
              <tr key={i}>
                <td>{OUTCOME_WORDS[l.outcome]}</td>
                <td>
                  {l.what}
                  {l.reason ? ` — ${l.reason}` : ""}
                </td>
                <td>{l.file}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Form method="get" className="filters" aria-label="Поиск УЦ">
        <div className="field">
          <label htmlFor="ca-q">Название или отпечаток</label>
          <input id="ca-q" name="q" defaultValue={q} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--secondary">
            Найти
          </button>
        </div>
      </Form>
      <table className="grid" tabIndex={0} aria-label="Доверенные удостоверяющие центры">
        <thead>
          <tr>
            <th scope="col">Удостоверяющий центр</th>
            <th scope="col">Срок действия</th>
            <th scope="col">Источник</th>
            <th scope="col">Список отзыва</th>
            <th scope="col">Состояние</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                {r.name}
                {r.test ? <strong> (тестовый УЦ)</strong> : null}
                {r.root ? " — корневой" : ""}
                {r.organization && r.organization !== r.name ? <div className="muted">{r.organization}</div> : null}
                <div className="muted">
                  <code>{r.sha1}</code>
                </div>
              </td>
              <td>
                с {formatDate(r.notBefore)} по {formatDate(r.notAfter)}
                {r.notAfter < now ? " — истёк" : ""}
              </td>
              <td>{r.source}</td>
              <td>
                {r.crl
                  ? `от ${formatDate(r.crl.thisUpdate)}, отозвано ${r.crl.entries.toLocaleString("ru-RU")}${r.crl.nextUpdate && r.crl.nextUpdate < now ? " — устарел" : ""}`
                  : "нет"}
              </td>
              <td>
                {r.status === "active" ? (
                  <Form method="post" encType="multipart/form-data">
                    <CsrfField />
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="id" value={r.id} />
                    действует{" "}
                    <button type="submit" className="button button--secondary" aria-label={`Исключить ${r.name}`}>
                      Исключить
                    </button>
                  </Form>
                ) : (
                  <>
                    исключён{r.removedAt ? ` ${formatDate(r.removedAt)}` : ""}
                    {r.removedReason ? `: ${r.removedReason}` : ""}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager
        page={page}
        pages={Math.max(1, Math.ceil(total / pageSize))}
        total={total}
        href={(p) => `?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`}
      />
    </div>
  );
}
