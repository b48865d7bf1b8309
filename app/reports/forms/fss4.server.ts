// The 4-ФСС file (the fund's XML until 2022, still used for corrections of those periods):
// `<?F4FORM …?><F4REPORT xmlns="http://fz122.fss.ru"><TITLE REG_NUM KPS_NUM QUART_NUM YEAR_NUM NumCorr
// INN KPP NAME Upoln CRE_DATE …/>…`. Attribute rules follow the fund's XSD (f4form_2017.xsd): QUART_NUM
// 3/6/9/12 with or without a leading zero, KPS_NUM of up to 5 characters, KPP optional, NumCorr up to 3 digits.
import { correctionOf, dateOf, innOf, kppOf, periodCode, reportYear } from "./fields";
import { ReportFileRefused } from "./refusal";
import type { ReportFile } from "./report-file";
import { child, isNode, textOf, type ParsedXml } from "./xml.server";

/** Who signed the report (TITLE/@Upoln). */
const SIGNERS: Record<string, string> = {
  "1": "подписан страхователем",
  "2": "подписан представителем страхователя",
  "3": "подписан правопреемником",
};

export function isFss4(xml: ParsedXml): boolean {
  return xml.root === "F4REPORT";
}

export function readFss4(xml: ParsedXml): ReportFile {
  const title = child(child(xml.doc, "F4REPORT"), "TITLE");
  if (!isNode(title)) throw new ReportFileRefused("not-4fss", "В отчёте 4-ФСС нет титульного листа (элемент TITLE).");
  const attr = (name: string) => textOf(title[name]);
  const missing = ["REG_NUM", "QUART_NUM", "YEAR_NUM", "INN"].filter((a) => !attr(a));
  if (missing.length) {
    throw new ReportFileRefused(
      "fields",
      `На титульном листе не заполнены обязательные реквизиты: ${missing.join(", ")}.`,
    );
  }
  const regnum = attr("REG_NUM");
  if (!/^\d{10}$/.test(regnum)) {
    throw new ReportFileRefused(
      "fields",
      `Регистрационный номер страхователя в отчёте (${regnum}) должен состоять из 10 цифр.`,
    );
  }
  if (attr("KPS_NUM").length > 5) {
    throw new ReportFileRefused(
      "fields",
      `Код подчинённости KPS_NUM — не более 5 символов, а указано «${attr("KPS_NUM")}».`,
    );
  }
  const signer = SIGNERS[attr("Upoln")];
  return {
    form: "4-FSS",
    formVersion: xml.instructions.F4FORM?.match(/version\s*=\s*"([^"]*)"/)?.[1] ?? null,
    regnum,
    sfrRegnum: null,
    inn: innOf(attr("INN"), "TITLE/@INN"),
    kpp: kppOf(attr("KPP"), "TITLE/@KPP"),
    name: attr("NAME") || null,
    period: periodCode(attr("QUART_NUM"), "QUART_NUM"),
    year: reportYear(attr("YEAR_NUM"), "YEAR_NUM"),
    correction: correctionOf(attr("NumCorr"), "NumCorr"),
    filledOn: dateOf(attr("CRE_DATE")),
    parts: ["расчёт 4-ФСС", ...(signer ? [signer] : [])],
  };
}
