// POST /api/v1/reports: the same intake for accounting software (multipart, field `report`),
// authenticated by a personal API token; the organisation is taken from the report's REG_NUM.
import type { ActionFunctionArgs } from "@remix-run/node";
import { ApiTokenError, authenticateApiRequest } from "~/api/tokens.server";
import { intakeOf } from "~/reports/context.server";
import { REPORT_TOO_LARGE } from "~/reports/limits";
import { submitReport } from "~/reports/intake.server";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export async function loader() {
  return json({ error: "Используйте POST с файлом отчёта в поле report (multipart/form-data)." }, 405);
}

export async function action({ request, context }: ActionFunctionArgs) {
  let user;
  try {
    user = await authenticateApiRequest(context.db, context.clock, request);
  } catch (error) {
    if (error instanceof ApiTokenError) return json({ error: error.message }, error.status);
    throw error;
  }
  const upload = context.upload;
  if (!upload || upload.error === "malformed") return json({ error: "Ожидается multipart/form-data с файлом отчёта в поле report." }, 400);
  if (upload.error === "too-large") return json({ error: REPORT_TOO_LARGE }, 413);
  if (upload.error === "too-many-files") return json({ error: "Передайте один файл в поле report." }, 400);
  if (!upload.file) return json({ error: "Нет файла отчёта в поле report." }, 400);
  const result = await submitReport(intakeOf(context), user.id, { bytes: upload.file.buffer ?? Buffer.alloc(0), originalName: upload.file.originalName, via: "api" });
  if (result.status === "rejected") return json({ status: "rejected", submissionId: result.submissionId, reason: result.reason }, 422);
  return json({
    status: "accepted",
    duplicate: result.duplicate,
    submissionId: result.submissionId,
    receiptNumber: result.receiptNumber,
    registrationNumber: result.regnum,
    period: result.period,
    year: result.year,
    receivedAt: result.receivedAt,
    sha256: result.sha256,
    receiptUrl: `${context.config.appUrl}/api/v1/reports/${result.submissionId}/receipt`,
  });
}
