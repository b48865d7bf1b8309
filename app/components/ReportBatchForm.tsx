// «Файлы отчётов»: several XML files or ZIP archives in one form. Without JavaScript the form posts them all
// and the page answers with «Результаты отправки»; with JavaScript each file goes on its own to /reports/send
// (four at a time), a progress bar counts files done out of the total, and the table fills in as they come.
import { Form, useRevalidator } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { CsrfField, FormError } from "~/components/forms";
import { ReportResults } from "~/components/ReportResults";
import { BATCH_FILE_MAX_BYTES, BATCH_TOO_LARGE } from "~/reports/limits";
import { fileLine, type ResultLine } from "~/reports/results";

interface Organization {
  id: number;
  regnum: string;
  short_name: string;
  statusLabel: string;
}

const PARALLEL = 4;

export function ReportBatchForm({
  organizations,
  serverLines,
  serverError,
}: {
  organizations: Organization[];
  serverLines: ResultLine[] | null;
  serverError: string | null;
}) {
  const [lines, setLines] = useState<ResultLine[] | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const revalidator = useRevalidator();

  async function sendOneByOne(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    const input = form.elements.namedItem("reports") as HTMLInputElement | null;
    const files = Array.from(input?.files ?? []);
    event.preventDefault();
    if (!files.length) {
      setError("Выберите файлы отчётов (XML) или архив ZIP.");
      return;
    }
    const tooLarge = files.find((f) => f.size > BATCH_FILE_MAX_BYTES);
    if (tooLarge) {
      setError(`«${tooLarge.name}»: ${BATCH_TOO_LARGE}`);
      return;
    }
    setError(null);
    const csrf = (form.elements.namedItem("csrf") as HTMLInputElement).value;
    const organization = (form.elements.namedItem("organization") as HTMLSelectElement).value;
    const results: ResultLine[][] = files.map(() => []);
    let done = 0;
    setLines([]);
    setProgress({ done, total: files.length });
    const failed = (file: File, message: string): ResultLine[] => [fileLine(file.name, "rejected", message)];
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        const body = new FormData();
        body.set("csrf", csrf);
        if (organization) body.set("organization", organization);
        body.append("reports", files[i]);
        try {
          const res = await fetch("/reports/send", { method: "POST", body, headers: { Accept: "application/json" } });
          const json = (await res.json()) as { lines?: ResultLine[]; error?: string };
          results[i] = json.lines ?? failed(files[i], json.error ?? "Файл не принят.");
        } catch {
          results[i] = failed(files[i], "Связь с порталом прервалась: отправьте этот файл ещё раз.");
        }
        done++;
        setProgress({ done, total: files.length });
        setLines(results.flat());
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, files.length) }, worker));
    form.reset();
    revalidator.revalidate();
  }

  const shown = lines ?? serverLines;
  return (
    <>
      <Form method="post" encType="multipart/form-data" noValidate onSubmit={sendOneByOne}>
        <CsrfField />
        <div className="field">
          <label htmlFor="organization">Организация</label>
          <p className="field__hint" id="organization-hint">
            Необязательно: каждый файл сам находит свою организацию по регистрационному номеру (ФСС или СФР). Выберите
            организацию, только если все файлы — её.
          </p>
          <select id="organization" name="organization" defaultValue="" aria-describedby="organization-hint">
            <option value="">— по номеру в файле —</option>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.short_name}, рег. № {o.regnum} — {o.statusLabel}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="field-reports">Файлы отчётов</label>
          <p className="field__hint" id="field-reports-hint">
            Несколько XML-файлов ЕФС-1 (раздел 2) или 4-ФСС, или архив ZIP с ними: до 500 файлов, XML — не более 5 МБ.
          </p>
          <input
            id="field-reports"
            name="reports"
            type="file"
            multiple
            accept=".xml,.zip,text/xml,application/xml,application/zip"
            aria-describedby="field-reports-hint"
          />
        </div>
        <FormError message={error ?? serverError} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={Boolean(progress && progress.done < progress.total)}>
            Отправить отчёты
          </button>
        </div>
      </Form>
      {progress ? (
        <div className="progress">
          <label htmlFor="batch-progress">
            Отправлено файлов: {progress.done} из {progress.total}
          </label>
          <progress id="batch-progress" value={progress.done} max={progress.total} />
        </div>
      ) : null}
      {shown ? <ReportResults lines={shown} /> : null}
    </>
  );
}
