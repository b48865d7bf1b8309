// «Загрузить МЧД»: the machine-readable power of attorney (EMCHD_1 XML) and its detached signature (.sig), read,
// cross-checked with the organisation, the account and its certificate, the signature verified with the head's
// qualified certificate; the term comes from the МЧД and the proxy goes to review.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, FormError, Notice } from "~/components/forms";
import { FileField } from "~/components/FileField";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { proxyErrorData } from "~/proxies/responses.server";
import { STATUS_LABELS } from "~/proxies/statuses";
import { MCHD_MAX_BYTES, MCHD_SIGNATURE_MAX_BYTES } from "~/proxies/mchd-words";
import { flashCookie } from "~/web/cookies.server";
import { formatDate } from "~/web/format";
import { idParam } from "~/web/params";
import { readUpload, UploadRefused, UPLOADS } from "~/web/upload-routes.server";

export const meta: MetaFunction = () => [{ title: "Загрузка МЧД — СЭДО-шлюз" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  try {
    const p = await proxiesOf(context, user.id).mchdOf(idParam(params.id));
    return { proxy: p };
  } catch (error) {
    throw proxyErrorData(error);
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  let upload;
  try {
    upload = readUpload(context, UPLOADS.mchd);
  } catch (error) {
    if (!(error instanceof UploadRefused)) throw error;
    const fieldErrors: Record<string, string> = error.reason === "incomplete" ? {} : { mchd: error.message };
    return data({ error: error.message, fieldErrors }, { status: error.status });
  }
  const xml = upload.files.find((f) => f.field === "mchd");
  const signature = upload.files.find((f) => f.field === "signature");
  if (!xml || !signature) {
    const fieldErrors: Record<string, string> = {};
    if (!xml) fieldErrors.mchd = "Выберите файл МЧД (XML).";
    if (!signature)
      fieldErrors.signature = "Выберите файл подписи МЧД (.sig): без подписи руководителя МЧД не действует.";
    return data({ error: Object.values(fieldErrors)[0], fieldErrors }, { status: 422 });
  }
  let status: string;
  try {
    ({ status } = await proxiesOf(context, user.id).attachMchd(idParam(params.id), { xml, signature }));
  } catch (error) {
    return proxyErrorData(error);
  }
  const message =
    status === "in_review"
      ? "МЧД загружена, проверена и направлена на проверку в территориальный орган. Срок доверенности взят из МЧД."
      : "МЧД загружена.";
  throw redirect("/profile/representative", {
    headers: { "Set-Cookie": flashCookie(message, context.config.secureCookies) },
  });
}

export default function UploadMchd() {
  const { proxy } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = (result?.fieldErrors ?? {}) as Record<string, string>;
  return (
    <>
      <h2>Машиночитаемая доверенность (МЧД)</h2>
      <p>
        {proxy.shortName}, рег. номер {proxy.regnum}
      </p>
      {proxy.mchd ? (
        <p>
          Загружена МЧД № {proxy.mchd.number}, действует с {formatDate(`${proxy.mchd.issuedOn}T12:00:00Z`)} по{" "}
          {formatDate(`${proxy.mchd.validTo}T12:00:00Z`)}.{" "}
          <a href={`/profile/representative/proxies/${proxy.id}/mchd/xml`}>Скачать МЧД (XML)</a> ·{" "}
          <a href={`/profile/representative/proxies/${proxy.id}/mchd/sig`}>Скачать подпись (.sig)</a>
        </p>
      ) : null}
      <p>
        Нужен файл МЧД в формате ФНС EMCHD_1 и отсоединённая подпись руководителя организации (.sig), как их выгружает
        реестр ФНС или программа подписи. Срок доверенности портал возьмёт из МЧД. Нет МЧД?{" "}
        <a href={`/profile/representative/proxies/${proxy.id}/mchd-draft`}>Образец МЧД</a> — заполненный XML для подписи
        руководителем.
      </p>
      {proxy.status === "approved" || proxy.status === "rejected" || proxy.status === "in_review" ? (
        <Notice tone="warning">
          Сейчас статус «{STATUS_LABELS[proxy.status]}». Новая МЧД снова отправит доверенность на проверку в
          территориальный орган.
        </Notice>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate>
        <CsrfField />
        <FileField
          name="mchd"
          label="Файл МЧД (XML)"
          accept=".xml,application/xml,text/xml"
          maxBytes={MCHD_MAX_BYTES}
          tooLargeMessage="Файл МЧД больше 1 МБ — это не машиночитаемая доверенность."
          error={errors.mchd}
        />
        <FileField
          name="signature"
          label="Файл подписи (.sig)"
          accept=".sig,.p7s,.sgn,application/pkcs7-signature"
          maxBytes={MCHD_SIGNATURE_MAX_BYTES}
          tooLargeMessage="Файл подписи больше 256 КБ — это не отсоединённая подпись."
          error={errors.signature}
        />
        <FormError message={result && !errors.mchd && !errors.signature ? result.error : null} />
        <div className="form-actions">
          <button type="submit" className="button">
            Загрузить
          </button>
          <Link to="/profile/representative">Отмена</Link>
        </div>
      </Form>
    </>
  );
}
