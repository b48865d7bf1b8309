// Reads the insurer's registration number, the reporting period and the year from a 4-ФСС file in the
// fund's XML format (`<?F4FORM …?><F4REPORT><TITLE REG_NUM QUART_NUM YEAR_NUM …/>…</F4REPORT>`,
// usually windows-1251). Safely: the size is capped, any DOCTYPE is refused before parsing (so no DTD,
// no entity expansion — neither XML bombs nor external entities can start), then the document is
// checked for well-formedness and parsed with fast-xml-parser.
import { XMLParser, XMLValidator } from "fast-xml-parser";

import { REPORT_MAX_BYTES, REPORT_TOO_LARGE } from "./limits";
import { PERIODS } from "./periods";
export { PERIODS };

export class ReportFileRefused extends Error {
  constructor(
    readonly code: "empty" | "too-large" | "dtd" | "malformed" | "not-4fss" | "fields",
    message: string,
  ) {
    super(message);
    this.name = "ReportFileRefused";
  }
}

export interface Fss4Title {
  regnum: string;
  period: string;
  year: number;
  inn: string | null;
  name: string | null;
}

function decode(bytes: Buffer): string {
  const head = bytes.subarray(0, 200).toString("latin1");
  const declared = head.match(/^\uFEFF?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_-]+)["']/)?.[1]?.toLowerCase();
  const encoding = !declared || declared === "utf-8" || declared === "utf8" ? "utf-8" : declared;
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new ReportFileRefused(
      "malformed",
      `Не удалось прочитать файл в кодировке ${encoding}. Сохраните отчёт в windows-1251 или UTF-8.`,
    );
  }
}

export function readFss4Report(bytes: Buffer): Fss4Title {
  if (bytes.length === 0) throw new ReportFileRefused("empty", "Файл пуст. Выберите файл отчёта 4-ФСС (XML).");
  if (bytes.length > REPORT_MAX_BYTES) throw new ReportFileRefused("too-large", REPORT_TOO_LARGE);
  const text = decode(bytes);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new ReportFileRefused(
      "dtd",
      "Файл содержит объявление DOCTYPE/ENTITY. Отчёты с DTD не принимаются: выгрузите отчёт из программы заново.",
    );
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ReportFileRefused(
      "malformed",
      `Файл не является корректным XML: ${valid.err.msg} (строка ${valid.err.line}).`,
    );
  }
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    removeNSPrefix: true,
    parseAttributeValue: false,
    processEntities: true,
    htmlEntities: false,
  }).parse(text) as Record<string, unknown>;
  const report = doc.F4REPORT as Record<string, unknown> | undefined;
  if (!report || typeof report !== "object") {
    throw new ReportFileRefused(
      "not-4fss",
      "Это не отчёт 4-ФСС: в файле нет элемента F4REPORT. Проверьте, что выбран нужный файл.",
    );
  }
  const title = report.TITLE as Record<string, string> | undefined;
  if (!title || typeof title !== "object")
    throw new ReportFileRefused("not-4fss", "В отчёте нет титульного листа (элемент TITLE).");
  const missing = ["REG_NUM", "QUART_NUM", "YEAR_NUM"].filter((a) => !String(title[a] ?? "").trim());
  if (missing.length)
    throw new ReportFileRefused(
      "fields",
      `На титульном листе не заполнены обязательные реквизиты: ${missing.join(", ")}.`,
    );
  const regnum = String(title.REG_NUM).trim();
  const period = String(title.QUART_NUM).trim().padStart(2, "0");
  const year = Number(String(title.YEAR_NUM).trim());
  if (!/^\d{10}$/.test(regnum))
    throw new ReportFileRefused(
      "fields",
      `Регистрационный номер страхователя в отчёте (${regnum}) должен состоять из 10 цифр.`,
    );
  if (!PERIODS[period])
    throw new ReportFileRefused("fields", `Код отчётного периода ${period} неверен: допустимы 03, 06, 09 и 12.`);
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new ReportFileRefused("fields", `Год отчётного периода указан неверно: ${title.YEAR_NUM}.`);
  return {
    regnum,
    period,
    year,
    inn: title.INN ? String(title.INN) : null,
    name: title.NAME ? String(title.NAME) : null,
  };
}

/** The last day of a reporting period, e.g. 09/2026 → 2026-09-30. */
export function periodEnd(period: string, year: number): string {
  const month = Number(period);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
