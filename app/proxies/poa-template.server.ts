// «Образец доверенности»: a filled-in power-of-attorney form for one organisation and the
// representative, ready to sign and scan. pdf-lib with DejaVu Sans embedded for Cyrillic.
import { PDFDocument, rgb, type PDFFont } from "pdf-lib";
import { cachingFontkit, cyrillicFonts } from "../web/pdf-fonts.server";

/** What wrapping needs of a font: a pdf-lib font, or the receipt's fixed-glyph face. */
export interface MeasuredFont {
  widthOfTextAtSize(text: string, size: number): number;
}

export function wrap(text: string, font: MeasuredFont, size: number, width: number): string[] {
  // Each word is measured once (shaping a string is the costly part of making a PDF); a line's width is
  // the sum of its words and spaces.
  const space = font.widthOfTextAtSize(" ", size);
  const lines: string[] = [];
  let line = "";
  let lineWidth = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const wordWidth = font.widthOfTextAtSize(word, size);
    if (line && lineWidth + space + wordWidth > width) {
      lines.push(line);
      line = word;
      lineWidth = wordWidth;
    } else if (line) {
      line += ` ${word}`;
      lineWidth += space + wordWidth;
    } else {
      line = word;
      lineWidth = wordWidth;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export interface PoaTemplateInput {
  organization: { fullName: string; inn: string; kpp: string | null; ogrn: string; regnum: string; address: string };
  representative: { fullName: string; snils: string | null; email: string };
  validFrom: string | null;
  validTo: string | null;
}

export async function poaTemplatePdf(input: PoaTemplateInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(cachingFontkit);
  const { regular, bold } = cyrillicFonts();
  const font = await doc.embedFont(regular, { subset: true });
  const heading = await doc.embedFont(bold, { subset: true });
  doc.setTitle(`Доверенность — ${input.organization.fullName}`);
  doc.setLanguage("ru-RU");
  doc.setCreator("СЭДО-шлюз");
  const page = doc.addPage([595.28, 841.89]); // A4
  const margin = 56;
  const width = page.getWidth() - margin * 2;
  let y = page.getHeight() - margin;
  const write = (text: string, opts: { size?: number; bold?: boolean; gap?: number; center?: boolean } = {}) => {
    const size = opts.size ?? 11;
    const f = opts.bold ? heading : font;
    for (const line of wrap(text, f, size, width)) {
      const x = opts.center ? margin + (width - f.widthOfTextAtSize(line, size)) / 2 : margin;
      page.drawText(line, { x, y, size, font: f, color: rgb(0, 0, 0) });
      y -= size * 1.45;
    }
    y -= opts.gap ?? 6;
  };
  const o = input.organization;
  const r = input.representative;
  const term = (d: string | null) => (d ? d.split("-").reverse().join(".") : "«___» ____________ 20___ г.");
  write("ДОВЕРЕННОСТЬ № ______", { size: 15, bold: true, center: true, gap: 4 });
  write("на представление отчётности в Социальный фонд России", { center: true, gap: 14 });
  write("г. ____________________                                                     «___» ____________ 20___ г.", {
    gap: 14,
  });
  write(
    `${o.fullName} (ИНН ${o.inn}${o.kpp ? `, КПП ${o.kpp}` : ""}, ОГРН${o.ogrn.length === 15 ? "ИП" : ""} ${o.ogrn}, регистрационный номер в СФР ${o.regnum}, адрес: ${o.address}), ` +
      "в лице ______________________________________________, действующего на основании ____________________, (далее — Доверитель) настоящей доверенностью уполномочивает",
  );
  write(
    `${r.fullName}${r.snils ? `, СНИЛС ${r.snils.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, "$1-$2-$3 $4")}` : ""}, адрес электронной почты ${r.email},`,
    { bold: true },
  );
  write(
    "представлять интересы Доверителя в Фонде пенсионного и социального страхования Российской Федерации и его территориальных органах: " +
      "подписывать усиленной квалифицированной электронной подписью и представлять через систему электронного документооборота СФР (СЭДО) " +
      "отчётность по обязательному социальному страхованию от несчастных случаев на производстве и профессиональных заболеваний (форма 4-ФСС, " +
      "раздел 2 формы ЕФС-1), получать квитанции о приёме, уведомления и иные документы, а также совершать иные действия, связанные с выполнением этого поручения.",
    { gap: 10 },
  );
  write(`Доверенность действует с ${term(input.validFrom)} по ${term(input.validTo)} без права передоверия.`, {
    gap: 24,
  });
  write("Подпись уполномоченного представителя, удостоверяю: ____________________ /____________________/", { gap: 24 });
  write("Руководитель ____________________ /____________________/                   М. П. (при наличии)", { gap: 30 });
  write(
    "Образец сформирован порталом СЭДО-шлюз. Распечатайте, подпишите у руководителя, отсканируйте в PDF (не более 2 МБ) и загрузите на портале; бумажный экземпляр передайте в территориальный орган СФР.",
    { size: 8.5 },
  );
  // Plain objects (no object streams): easy for any reader, and the embedded font is visible to checks.
  return doc.save({ useObjectStreams: false });
}
