// The receipt's layout: plain facts in, PDF bytes out. Pure (no database), so it runs in a worker thread of
// the intake's pool; the same facts always give the same bytes, whichever process renders them.
import { PDFDocument, rgb } from "pdf-lib";
import { cachingFontkit, cyrillicFonts } from "../web/pdf-fonts.server";
import { formatDateTime } from "../web/format";
import { wrap } from "../proxies/poa-template.server";
import { formatSfrRegnum } from "../organizations/identifiers";
import { correctionLabel, formLabel } from "./forms/report-file";
import { periodLabel } from "./periods";

/** What a receipt states: the submission, its organisation and the representative who sent it. */
export interface ReceiptFacts {
  receiptNumber: string;
  receivedAt: string;
  period: string | null;
  year: number | null;
  sha256: string;
  size: number;
  originalName: string;
  form: string | null;
  correction: number;
  parts: string | null;
  regnum: string;
  sfrRegnum: string | null;
  fullName: string;
  inn: string;
  representative: string;
}

export async function renderReceipt(r: ReceiptFacts): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(cachingFontkit);
  const font = await doc.embedFont(cyrillicFonts().regular, { subset: true });
  const bold = await doc.embedFont(cyrillicFonts().bold, { subset: true });
  const period = periodLabel(r.period, r.year);
  const form = formLabel(r.form);
  const kind = correctionLabel(r.correction);
  const received = new Date(r.receivedAt);
  doc.setTitle(`Квитанция о приёме № ${r.receiptNumber}`);
  doc.setSubject(`${form}; ${kind}; рег. номер ${r.regnum}; период ${period}; SHA-256 ${r.sha256}`);
  doc.setKeywords([r.receiptNumber, r.regnum, r.sha256]);
  doc.setCreator("СЭДО-шлюз");
  doc.setProducer("СЭДО-шлюз (pdf-lib)");
  doc.setCreationDate(received);
  doc.setModificationDate(received);
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
  line("Номер квитанции", r.receiptNumber);
  line("Страхователь", r.fullName);
  line("Регистрационный номер", r.sfrRegnum ? `${r.regnum} (СФР: ${formatSfrRegnum(r.sfrRegnum)})` : r.regnum);
  line("ИНН", r.inn);
  line("Форма", `${form}, ${kind}${r.parts ? ` — ${r.parts}` : ""}`);
  line("Отчётный период", period);
  line("Время приёма", `${formatDateTime(r.receivedAt)} (МСК)`);
  line("Представитель", r.representative);
  line("Файл", `${r.originalName}, ${r.size} байт`);
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
  return doc.save({ useObjectStreams: false });
}
