// /api/v1/reports for accounting software, authenticated by a personal API token:
//   POST — the same intake as «Отчёты» (multipart, field `report`: ЕФС-1 or 4-ФСС XML); the organisation is the
//          one the file names (ФСС or СФР number);
//   GET  — the journal of submissions, newest first, 50 a page, filterable like the page.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiJson, requireApiUser } from "~/api/tokens.server";
import { intakeOf } from "~/reports/context.server";
import { submitReport } from "~/reports/intake.server";
import { submissionsOf } from "~/reports/journal.server";
import { readUpload, UploadRefused, UPLOADS } from "~/web/upload-routes.server";
import { PERIODS } from "~/reports/periods";
import { formatSfrRegnum } from "~/organizations/identifiers";
import { correctionLabel, formLabel } from "~/reports/forms/report-file";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireApiUser(request, context);
  const params = new URL(request.url).searchParams;
  const regnum = params.get("registrationNumber") ?? "";
  const period = params.get("period") ?? "";
  const year = params.get("year") ?? "";
  const status = params.get("status") ?? "";
  const page = params.get("page") ?? "";
  const problems = [
    regnum && !/^(\d{10}|\d{3}-?\d{3}-?\d{6})$/.test(regnum)
      ? "registrationNumber: 10 цифр ФСС или 12 цифр СФР (XXX-XXX-XXXXXX)"
      : null,
    period && !PERIODS[period] ? "period: 03, 06, 09 или 12" : null,
    year && !/^\d{4}$/.test(year) ? "year: четыре цифры" : null,
    status && status !== "accepted" && status !== "rejected" ? "status: accepted или rejected" : null,
    page && !/^[1-9]\d{0,5}$/.test(page) ? "page: целое число от 1" : null,
  ].filter(Boolean);
  if (problems.length) return apiJson({ error: `Неверные параметры: ${problems.join("; ")}.` }, 400);
  const journal = await submissionsOf(context.db, user.id, {
    regnum: regnum || undefined,
    period: period || undefined,
    year: year ? Number(year) : undefined,
    status: (status || undefined) as "accepted" | "rejected" | undefined,
    page: page ? Number(page) : 1,
  });
  return apiJson({
    page: journal.page,
    pages: journal.pages,
    total: journal.total,
    submissions: journal.rows.map((s) => ({
      submissionId: s.id,
      status: s.status,
      receivedAt: s.received_at,
      registrationNumber: s.regnum,
      sfrRegistrationNumber: s.sfr_regnum ? formatSfrRegnum(s.sfr_regnum) : null,
      organization: s.short_name,
      form: s.form,
      formLabel: s.form ? formLabel(s.form) : null,
      correction: s.correction,
      period: s.period,
      year: s.year,
      fileName: s.original_name,
      via: s.via,
      receiptNumber: s.receipt_number,
      receiptUrl: s.status === "accepted" ? `${context.config.appUrl}/api/v1/reports/${s.id}/receipt` : null,
      reason: s.reason,
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST")
    return apiJson({ error: "Используйте POST с файлом отчёта или GET для журнала." }, 405, { Allow: "GET, POST" });
  const user = await requireApiUser(request, context);
  let upload;
  try {
    upload = readUpload(context, UPLOADS.apiReport);
  } catch (error) {
    if (error instanceof UploadRefused) return apiJson({ error: error.message }, error.status);
    throw error;
  }
  const file = upload.files[0];
  const result = await submitReport(intakeOf(context), user.id, {
    content: file.path ? { path: file.path, size: file.size } : { bytes: file.buffer ?? Buffer.alloc(0) },
    originalName: file.originalName,
    via: "api",
  });
  const described = {
    registrationNumber: result.regnum,
    sfrRegistrationNumber: result.sfrRegnum ? formatSfrRegnum(result.sfrRegnum) : null,
    organization: result.organization,
    form: result.form,
    formLabel: result.form ? formLabel(result.form) : null,
    correction: result.correction,
    correctionLabel: result.form ? correctionLabel(result.correction) : null,
    period: result.period,
    year: result.year,
  };
  if (result.status === "rejected") {
    return apiJson(
      { status: "rejected", submissionId: result.submissionId, rule: result.rule, reason: result.reason, ...described },
      422,
    );
  }
  return apiJson({
    status: "accepted",
    duplicate: result.duplicate,
    submissionId: result.submissionId,
    receiptNumber: result.receiptNumber,
    ...described,
    receivedAt: result.receivedAt,
    sha256: result.sha256,
    receiptUrl: `${context.config.appUrl}/api/v1/reports/${result.submissionId}/receipt`,
  });
}
