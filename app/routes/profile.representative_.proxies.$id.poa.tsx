// «Загрузить доверенность»: one PDF, at most 2 MiB, through the multer layer.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, FormError, Notice } from "~/components/forms";
import { FileField } from "~/components/FileField";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { PoaRefused } from "~/proxies/poa-file.server";
import { proxyErrorData } from "~/proxies/responses.server";
import { STATUS_LABELS } from "~/proxies/statuses";
import { flashCookie } from "~/web/cookies.server";
import { idParam } from "~/web/params";
import { readUpload, UploadRefused, UPLOADS } from "~/web/upload-routes.server";

export const meta: MetaFunction = () => [{ title: "Загрузка доверенности — СЭДО-шлюз" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  try {
    const p = await proxiesOf(context, user.id).get(idParam(params.id));
    return {
      proxy: {
        id: p.id,
        status: p.status,
        hasFile: p.poa_file_id !== null && p.poa_kind !== "mchd",
        shortName: p.short_name,
        regnum: p.regnum,
      },
    };
  } catch (error) {
    throw proxyErrorData(error);
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  let upload;
  try {
    upload = readUpload(context, UPLOADS.poa);
  } catch (error) {
    if (!(error instanceof UploadRefused)) throw error;
    if (error.reason === "too-large") return proxyErrorData(new PoaRefused("too-large"));
    const fieldErrors: Record<string, string> = error.reason === "incomplete" ? {} : { poa: error.message };
    return data({ error: error.message, fieldErrors }, { status: error.status });
  }
  const file = upload.files[0];
  let status: string;
  try {
    ({ status } = await proxiesOf(context, user.id).attachPoa(idParam(params.id), file));
  } catch (error) {
    return proxyErrorData(error);
  }
  const message =
    status === "in_review"
      ? "Доверенность загружена и направлена на проверку в территориальный орган."
      : "Доверенность загружена. Укажите срок её действия.";
  throw redirect("/profile/representative", {
    headers: { "Set-Cookie": flashCookie(message, context.config.secureCookies) },
  });
}

/** 2 MiB, the same limit as POA_MAX_BYTES on the server, for the check in the browser. */
const MAX_BYTES_CLIENT = 2 * 1024 * 1024;

export default function UploadPoa() {
  const { proxy } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = (result?.fieldErrors ?? {}) as Record<string, string>;
  return (
    <>
      <h2>Доверенность</h2>
      <p>
        {proxy.shortName}, рег. номер {proxy.regnum}
      </p>
      {proxy.hasFile ? (
        <p>
          <a href={`/profile/representative/proxies/${proxy.id}/file`} target="_blank" rel="noreferrer">
            Открыть загруженную доверенность
          </a>
        </p>
      ) : null}
      <p>
        Нет бланка? <a href={`/profile/representative/proxies/${proxy.id}/template`}>Образец доверенности</a> —
        заполненный PDF для подписи и сканирования.
      </p>
      {proxy.status === "approved" || proxy.status === "rejected" || proxy.status === "in_review" ? (
        <Notice tone="warning">
          Сейчас статус «{STATUS_LABELS[proxy.status]}». Новый файл снова отправит доверенность на проверку в
          территориальный орган.
        </Notice>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate>
        <CsrfField />
        <FileField
          name="poa"
          label="Файл доверенности (PDF, не более 2 МБ)"
          accept=".pdf,application/pdf"
          maxBytes={MAX_BYTES_CLIENT}
          tooLargeMessage={POA_MESSAGES_CLIENT_TOO_LARGE}
          error={errors.poa}
        />
        <FormError message={result && !errors.poa ? result.error : null} />
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

const POA_MESSAGES_CLIENT_TOO_LARGE =
  "Файл больше 2 МБ. Отсканируйте доверенность с меньшим разрешением (150–200 dpi) или в оттенках серого.";
