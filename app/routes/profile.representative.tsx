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

export const meta: MetaFunction = () => [{ title: "Уполномоченный — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireRepresentative(request, context);
  return { certificate: await currentCertificate(context.db, context.clock, user.id) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireRepresentative(request, context);
  const upload = context.upload;
  try {
    if (!upload || upload.error === "malformed") {
      throw new CertificateRefused("no-file", "Форма отправлена не полностью. Выберите файл сертификата и повторите.", 400);
    }
    // An oversized body is refused unread, token and all; nothing changes, so no token is needed.
    if (upload.error === "too-large") throw refuseTooLarge();
    assertFormToken(upload.fields.csrf, context);
    if (upload.error === "too-many-files") throw new CertificateRefused("no-file", "Выберите один файл сертификата.", 422);
    if (!upload.file || upload.file.size === 0) {
      if (upload.file) throw new CertificateRefused("not-certificate", "Файл пуст. Выберите файл сертификата (.cer).", 422);
      throw refuseMissingFile();
    }
    await acceptCertificate(context.db, context.clock, {
      userId: user.id,
      account: user,
      bytes: upload.file.buffer ?? Buffer.alloc(0),
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
  const { certificate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h2>Сертификат электронной подписи</h2>
      {certificate ? (
        <>
          <dl className="details" aria-label="Текущий сертификат">
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
          {certificate.validNow ? (
            <Form method="get" action="/profile/representative/search" className="form-actions">
              <button type="submit" className="button">
                Добавить
              </button>
              <span>Найдите в реестре организации, которые вы представляете.</span>
            </Form>
          ) : null}
          <h3>Заменить сертификат</h3>
        </>
      ) : (
        <p>
          Загрузите сертификат подписи, которой вы будете подписывать отчёты. ФИО владельца сертификата должны совпадать с ФИО
          в учётной записи. После проверки сертификата можно будет добавить представляемые организации.
        </p>
      )}
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
    </>
  );
}

/** The same 64 KiB as CERTIFICATE_MAX_BYTES on the server, for the check in the browser. */
const CERTIFICATE_MAX_BYTES_CLIENT = 64 * 1024;
