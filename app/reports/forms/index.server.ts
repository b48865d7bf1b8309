// Which form a report file is, read by its root element and namespace: each form is a reader returning
// one ReportFile. A new form is one more entry in READERS.
import { isEfs1, looksLikeEfs1, readEfs1 } from "./efs1.server";
import { isFss4, readFss4 } from "./fss4.server";
import { ReportFileRefused } from "./refusal";
import type { ReportFile } from "./report-file";
import { parseReportXml, type ParsedXml } from "./xml.server";

export { ReportFileRefused } from "./refusal";
export type { ReportFile, ReportForm } from "./report-file";

const READERS: Array<{ matches: (xml: ParsedXml) => boolean; read: (xml: ParsedXml) => ReportFile }> = [
  { matches: isEfs1, read: readEfs1 },
  { matches: isFss4, read: readFss4 },
];

export function readReportFile(bytes: Buffer): ReportFile {
  const xml = parseReportXml(bytes);
  const reader = READERS.find((r) => r.matches(xml));
  if (reader) return reader.read(xml);
  if (looksLikeEfs1(xml)) {
    throw new ReportFileRefused(
      "unknown-form",
      `Пространство имён ЕФС-1 «${xml.namespace ?? "не указано"}» не распознано: ожидается http://пф.рф/ЕФС-1/ГГГГ-ММ-ДД. Выгрузите отчёт из программы заново.`,
    );
  }
  throw new ReportFileRefused(
    "unknown-form",
    `Это не отчёт ЕФС-1 и не 4-ФСС: корневой элемент «${xml.root.slice(0, 60)}». Проверьте, что выбран нужный файл.`,
  );
}
