// Квитанция о приёме: organisation, period, time received, representative, SHA-256 of the file —
// pdf-lib with DejaVu Sans. Only the representative who sent the report gets it.
import { PDFDocument, rgb } from "pdf-lib";
import type { DbOrTx } from "../../db/index.server";
import { cachingFontkit, cyrillicFonts } from "../web/pdf-fonts.server";
import { formatDateTime } from "../web/format";
import { wrap } from "../proxies/poa-template.server";
import { formatSfrRegnum } from "../organizations/identifiers";
import { correctionLabel, formLabel } from "./forms/report-file";
import { periodLabel } from "./periods";

/** The receipt's file name, the same in the letter and on download. */
export function receiptFileName(receiptNumber: string): string {
  return `kvitanciya-${receiptNumber}.pdf`;
}

export async function receiptPdf(
  db: DbOrTx,
  representativeId: number,
  submissionId: number,
): Promise<{ bytes: Uint8Array; receiptNumber: string } | null> {
  if (!Number.isInteger(submissionId) || submissionId <= 0) return null;
  const r = await db
    .selectFrom("report_submissions")
    .innerJoin("organizations", "organizations.id", "report_submissions.organization_id")
    .innerJoin("users", "users.id", "report_submissions.representative_id")
    .select([
      "report_submissions.receipt_number",
      "report_submissions.received_at",
      "report_submissions.period",
      "report_submissions.year",
      "report_submissions.sha256",
      "report_submissions.size",
      "report_submissions.original_name",
      "report_submissions.form",
      "report_submissions.correction",
      "report_submissions.parts",
      "organizations.sfr_regnum",
      "organizations.full_name",
      "organizations.regnum",
      "organizations.inn",
      "users.surname",
      "users.given_name",
      "users.patronymic",
    ])
    .where("report_submissions.id", "=", submissionId)
    .where("report_submissions.representative_id", "=", representativeId)
    .where("report_submissions.status", "=", "accepted")
    .executeTakeFirst();
  if (!r || !r.receipt_number) return null;
  const doc = await PDFDocument.create();
  doc.registerFontkit(cachingFontkit);
  const font = await doc.embedFont(cyrillicFonts().regular, { subset: true });
  const bold = await doc.embedFont(cyrillicFonts().bold, { subset: true });
  const representative = [r.surname, r.given_name, r.patronymic].filter(Boolean).join(" ");
  const period = periodLabel(r.period, r.year);
  doc.setTitle(`Квитанция о приёме № ${r.receipt_number}`);
  const form = formLabel(r.form);
  const kind = correctionLabel(r.correction);
  doc.setSubject(`${form}; ${kind}; рег. номер ${r.regnum}; период ${period}; SHA-256 ${r.sha256}`);
  doc.setKeywords([r.receipt_number, r.regnum, r.sha256]);
  doc.setCreator("СЭДО-шлюз");
  doc.setCreationDate(new Date(r.received_at));
  const page = doc.addPage([595.28, 841.89]);
  let y = page.getHeight() - 64;
  const line = (label: string, value: string) => {
    page.drawText(label, { x: 56, y, size: 10, font, color: rgb(0.35, 0.37, 0.4) });
    for (const part of wrap(value, font, 11, 330)) {
      page.drawText(part, { x: 210, y, size: 11, font });
      y -= 16;
    }
    y -= 6;
  };
  page.drawText("КВИТАНЦИЯ О ПРИЁМЕ", { x: 56, y, size: 16, font: bold });
  y -= 22;
  page.drawText(`расчёта по форме ${form} через шлюз СЭДО`, { x: 56, y, size: 11, font });
  y -= 34;
  line("Номер квитанции", r.receipt_number);
  line("Страхователь", r.full_name);
  line("Регистрационный номер", r.sfr_regnum ? `${r.regnum} (СФР: ${formatSfrRegnum(r.sfr_regnum)})` : r.regnum);
  line("ИНН", r.inn);
  line("Форма", `${form}, ${kind}${r.parts ? ` — ${r.parts}` : ""}`);
  line("Отчётный период", period);
  line("Время приёма", `${formatDateTime(r.received_at)} (МСК)`);
  line("Представитель", representative);
  line("Файл", `${r.original_name}, ${r.size} байт`);
  // Grouped by eight so the 64 characters wrap inside the page.
  line("SHA-256 файла", r.sha256.match(/.{1,8}/g)!.join(" "));
  y -= 10;
  for (const part of wrap(
    "Отчёт принят: доверенность представителя утверждена территориальным органом СФР и действует, сертификат подписи представителя действителен на дату приёма.",
    font,
    9,
    480,
  )) {
    page.drawText(part, { x: 56, y, size: 9, font, color: rgb(0.35, 0.37, 0.4) });
    y -= 13;
  }
  return { bytes: await doc.save({ useObjectStreams: false }), receiptNumber: r.receipt_number };
}
