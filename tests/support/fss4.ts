// 4-ФСС files for tests, in the fund's layout and encoding (windows-1251 by default).
import iconv from "iconv-lite";

export function fss4Xml(
  title: { regnum: string; period?: string; year?: number; inn?: string; name?: string },
  encoding: "windows-1251" | "utf-8" = "windows-1251",
): Buffer {
  const xml =
    `<?xml version="1.0" encoding="${encoding}"?><?F4FORM version="0.93" appname="test"?>` +
    `<F4REPORT xmlns="http://fz122.fss.ru"><TITLE REG_NUM="${title.regnum}" KPS_NUM="0000" YEAR_NUM="${title.year ?? 2026}" QUART_NUM="${title.period ?? "09"}" ` +
    `INN="${title.inn ?? "7707083893"}" KPP="770701001" NAME="${title.name ?? "ООО «Ромашка»"}" CRE_DATE="2026-11-20"/>` +
    `<F4INF1 FssDebt="0" InsDebt="0"/><F4INFO OKVED="62.01" RATE_MIS="0.2"/></F4REPORT>`;
  return encoding === "utf-8" ? Buffer.from(xml, "utf8") : iconv.encode(xml, "win1251");
}
