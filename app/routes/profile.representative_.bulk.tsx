// Adding many organisations at once: a pasted or uploaded list of ИНН / registration numbers.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { CsrfField, FormError, Notice } from "~/components/forms";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { proxyErrorData } from "~/proxies/responses.server";
import { readUpload, UploadRefused, UPLOADS } from "~/web/upload-routes.server";

export const meta: MetaFunction = () => [{ title: "Добавить списком — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  try {
    await proxiesOf(context, user.id).requireValidCertificate();
  } catch {
    throw redirect("/profile/representative");
  }
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  let upload;
  try {
    upload = readUpload(context, UPLOADS.bulkList);
  } catch (error) {
    if (error instanceof UploadRefused) return data({ error: error.message, report: null }, { status: error.status });
    throw error;
  }
  const text = `${upload.fields.list ?? ""}\n${upload.file?.buffer?.toString("utf8").replace(/^\uFEFF/, "") ?? ""}`;
  try {
    const report = await proxiesOf(context, user.id).addByList(text);
    return { error: null, report };
  } catch (error) {
    const reply = proxyErrorData(error);
    return data(
      { error: (reply.data as { error: string }).error, report: null },
      { status: reply.init?.status ?? 422 },
    );
  }
}

const BULK_WORDS = {
  added: "Добавлена",
  already: "Уже в списке",
  "not-found": "Не найдена",
  invalid: "Ошибка в номере",
} as const;

export default function Bulk() {
  const result = useActionData<typeof action>();
  const report = result?.report;
  return (
    <>
      <h2>Добавить организации списком</h2>
      <p>
        <Link to="/profile/representative">← К списку представляемых организаций</Link>
      </p>
      {report ? (
        <>
          <Notice tone={report.notFound || report.invalid ? "warning" : report.added ? "success" : "info"}>
            {`Добавлено: ${report.added}. Уже были в списке: ${report.already}. Не найдено в реестре: ${report.notFound}. С ошибкой в номере: ${report.invalid}.`}
          </Notice>
          <div className="table-scroll" tabIndex={0}>
            <table className="grid" aria-label="Результат добавления списком">
              <thead>
                <tr>
                  <th scope="col">Номер из списка</th>
                  <th scope="col">Результат</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((r) => (
                  <tr
                    key={r.token}
                    className={r.outcome === "added" || r.outcome === "already" ? undefined : "row--refused"}
                  >
                    <td>{r.token}</td>
                    <td>
                      <strong>{BULK_WORDS[r.outcome]}</strong>
                      <div className="muted">{r.message}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <Form method="post" encType="multipart/form-data">
        <CsrfField />
        <div className="field">
          <label htmlFor="field-list">Список ИНН или регистрационных номеров</label>
          <p className="field__hint" id="field-list-hint">
            По одному в строке или через запятую / точку с запятой, как в CSV.
          </p>
          <textarea id="field-list" name="list" rows={8} aria-describedby="field-list-hint" />
        </div>
        <div className="field">
          <label htmlFor="field-file">Или файл со списком (CSV или TXT)</label>
          <input id="field-file" name="listFile" type="file" accept=".csv,.txt,text/csv,text/plain" />
        </div>
        <FormError message={result?.error} />
        <div className="form-actions">
          <button type="submit" className="button">
            Добавить списком
          </button>
        </div>
      </Form>
    </>
  );
}
