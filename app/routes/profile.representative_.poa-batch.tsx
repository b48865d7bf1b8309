// «Загрузить доверенности пакетом»: many PDF scans (or ZIP archives of them) at once, each going to the
// organisation whose registration number, СФР number or ИНН its file name carries. The answer is a table: which
// file went where, which was refused and why, which matched nothing.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import fs from "node:fs/promises";
import { CsrfField, FormError } from "~/components/forms";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import type { PoaBatchRow } from "~/proxies/representative-proxies.server";
import { POA_MAX_BYTES } from "~/proxies/poa-file.server";
import { ArchiveRefused, isZip, readArchive } from "~/reports/archive.server";
import { readUpload, UploadRefused, UPLOADS } from "~/web/upload-routes.server";

export const meta: MetaFunction = () => [{ title: "Доверенности пакетом — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRepresentative(request, context);
  return null;
}

const OUTCOME_WORDS: Record<PoaBatchRow["outcome"], string> = {
  submitted: "Загружена, на проверке",
  attached: "Загружена",
  refused: "Не принята",
  unmatched: "Не сопоставлена",
};

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  let upload;
  try {
    upload = readUpload(context, UPLOADS.poaBatch);
  } catch (error) {
    if (!(error instanceof UploadRefused)) throw error;
    return data({ error: error.message, rows: [] as PoaBatchRow[] }, { status: error.status });
  }
  const files: Array<{ name: string; bytes: Buffer }> = [];
  const skipped: PoaBatchRow[] = [];
  try {
    for (const f of upload.files) {
      const bytes = f.buffer ?? (await fs.readFile(f.path!));
      if (isZip(bytes)) {
        let contents;
        try {
          contents = await readArchive(bytes, {
            accept: /\.pdf$/i,
            notAccepted: "не PDF-файл: пропущен",
            maxEntryBytes: POA_MAX_BYTES,
            oversized: "skip",
            tooLargeWhat: "скан доверенности не бывает больше 2 МБ",
          });
        } catch (error) {
          if (!(error instanceof ArchiveRefused)) throw error;
          skipped.push({ file: f.originalName, organization: null, outcome: "refused", message: error.message });
          continue;
        }
        files.push(...contents.files);
        for (const s of contents.skipped)
          skipped.push({
            file: `${f.originalName} → ${s.name}`,
            organization: null,
            outcome: "refused",
            message: s.reason,
          });
      } else {
        files.push({ name: f.originalName, bytes });
      }
    }
  } finally {
    await Promise.all(upload.files.map((f) => (f.path ? fs.rm(f.path, { force: true }) : undefined)));
  }
  const rows = [...(await proxiesOf(context, user.id).attachPoaBatch(files)), ...skipped];
  return data({ error: null as string | null, rows });
}

export default function PoaBatch() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const rows = result?.rows ?? [];
  const attached = rows.filter((r) => r.outcome === "submitted" || r.outcome === "attached").length;
  return (
    <>
      <h2>Загрузить доверенности пакетом</h2>
      <p>
        Выберите сканы доверенностей (PDF, каждый не больше 2 МБ) или архивы ZIP с ними. Каждый файл попадёт к
        организации, чей регистрационный номер ФСС, номер СФР или ИНН есть в имени файла, например{" "}
        <code>7701000001.pdf</code> или <code>Доверенность 7707083893.pdf</code>.
      </p>
      <Form method="post" encType="multipart/form-data" noValidate>
        <CsrfField />
        <div className="field">
          <label htmlFor="poa-files">Файлы доверенностей (PDF или ZIP)</label>
          <input id="poa-files" name="files" type="file" multiple accept=".pdf,.zip,application/pdf,application/zip" />
        </div>
        <FormError message={result?.error ?? null} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            Загрузить пакет
          </button>
          <Link to="/profile/representative">К списку организаций</Link>
        </div>
      </Form>
      {rows.length ? (
        <>
          <p role="status">{`Загружено: ${attached} из ${rows.length}.`}</p>
          <div className="table-scroll" tabIndex={0}>
            <table className="grid" aria-label="Результат загрузки пакета">
              <thead>
                <tr>
                  <th scope="col">Файл</th>
                  <th scope="col">Организация</th>
                  <th scope="col">Результат</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr
                    key={i}
                    className={r.outcome === "submitted" || r.outcome === "attached" ? undefined : "row--refused"}
                  >
                    <td>{r.file}</td>
                    <td>{r.organization ? `${r.organization.name}, рег. номер ${r.organization.regnum}` : "—"}</td>
                    <td>
                      <strong>{OUTCOME_WORDS[r.outcome]}</strong>
                      <div className="muted">{r.message}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
