// ЕФС-1 (the СФР's single form since 2023; section 2 «ОСС» carries the injury contributions):
// `<ЭДПФР xmlns="http://пф.рф/ЕФС-1/2024-01-01">` or `<ЭДСФР xmlns="http://пф.рф/ЕФС-1/2026-01-01">`, then
// `<ЕФС-1><Страхователь><РегНомер>087-001-000001</РегНомер><ИНН/><КПП/>…</Страхователь>
// <ОСС><НомерКорректировки>000</НомерКорректировки><Период><Код>03</Код><Год>2026</Год></Период>…</ОСС>
// <ДатаЗаполнения>…</ДатаЗаполнения></ЕФС-1>`. The namespace's date is the format version: any is read,
// none is hard-coded. Element prefixes (ЕФС8:, УТ8:) are dropped by the parser.
import { correctionOf, dateOf, innOf, kppOf, periodCode, reportYear } from "./fields";
import { ReportFileRefused } from "./refusal";
import type { ReportFile } from "./report-file";
import { child, childCount, isNode, textOf, type ParsedXml, type XmlNode } from "./xml.server";

const NAMESPACE = /^http:\/\/пф\.рф\/ЕФС-1\/(\d{4}-\d{2}-\d{2})$/;
const ROOTS = new Set(["ЭДПФР", "ЭДСФР"]);

/**
 * The parts of ЕФС-1 besides section 2. Subsection 1.1 is a list of `ЗЛ` (insured persons with their
 * `Мероприятие`); any other element of the form is named by its element, not guessed.
 */
const SECTION_1_PARTS: Array<{ element: string; label: (n: number) => string }> = [
  { element: "ЗЛ", label: (n) => `подраздел 1.1 (сведения о трудовой деятельности, ${n} чел.)` },
];
const HEADER_ELEMENTS = new Set(["Страхователь", "ОСС", "Руководитель", "Представитель", "ДатаЗаполнения"]);

export function isEfs1(xml: ParsedXml): boolean {
  return ROOTS.has(xml.root) && NAMESPACE.test(xml.namespace ?? "");
}

/** ЕФС-1 root with another namespace: worth its own message rather than «unknown form». */
export function looksLikeEfs1(xml: ParsedXml): boolean {
  return ROOTS.has(xml.root) && isNode(child(child(xml.doc, xml.root), "ЕФС-1"));
}

export function readEfs1(xml: ParsedXml): ReportFile {
  const form = child(child(xml.doc, xml.root), "ЕФС-1");
  if (!isNode(form))
    throw new ReportFileRefused("unknown-form", `В файле ${xml.root} нет формы ЕФС-1 (элемент ЕФС-1).`);
  const insurer = child(form, "Страхователь");
  if (!isNode(insurer))
    throw new ReportFileRefused("fields", "В ЕФС-1 нет сведений о страхователе (элемент Страхователь).");
  const number = textOf(child(insurer, "РегНомер"));
  const digits = number.replace(/-/g, "");
  let regnum: string | null = null;
  let sfrRegnum: string | null = null;
  if (/^\d{3}-?\d{3}-?\d{6}$/.test(number)) sfrRegnum = digits;
  else if (/^\d{10}$/.test(number)) regnum = number;
  else {
    throw new ReportFileRefused(
      "fields",
      number
        ? `Регистрационный номер страхователя в ЕФС-1 («${number}») должен иметь вид XXX-XXX-XXXXXX (12 цифр СФР) или 10 цифр ФСС.`
        : "В ЕФС-1 не указан регистрационный номер страхователя (Страхователь/РегНомер).",
    );
  }
  const inn = textOf(child(insurer, "ИНН"));
  if (!inn) throw new ReportFileRefused("fields", "В ЕФС-1 не указан ИНН страхователя (Страхователь/ИНН).");
  const section2 = child(form, "ОСС");
  const parts = sectionOneParts(form);
  if (!isNode(section2)) {
    throw new ReportFileRefused(
      "no-section-2",
      `В файле ЕФС-1 нет раздела 2 (ОСС) — сведений о взносах на страхование от несчастных случаев${
        parts.length ? `; в нём только ${parts.join(", ")}` : ""
      }. Через шлюз принимается раздел 2: выгрузите его из программы.`,
    );
  }
  const period = child(section2, "Период");
  const code = textOf(child(period, "Код"));
  const year = textOf(child(period, "Год"));
  if (!code || !year) {
    throw new ReportFileRefused("fields", "В разделе 2 ЕФС-1 не указан отчётный период (ОСС/Период/Код и Год).");
  }
  return {
    form: "EFS-1",
    formVersion: (xml.namespace ?? "").match(NAMESPACE)?.[1] ?? null,
    regnum,
    sfrRegnum,
    inn: innOf(inn, "Страхователь/ИНН"),
    kpp: kppOf(textOf(child(insurer, "КПП")), "Страхователь/КПП"),
    name: textOf(child(insurer, "Наименование")) || null,
    period: periodCode(code, "ОСС/Период/Код"),
    year: reportYear(year, "ОСС/Период/Год"),
    correction: correctionOf(textOf(child(section2, "НомерКорректировки")), "ОСС/НомерКорректировки"),
    filledOn: dateOf(textOf(child(form, "ДатаЗаполнения"))),
    parts: ["раздел 2 (ОСС)", ...parts],
  };
}

function sectionOneParts(form: XmlNode): string[] {
  const parts: string[] = [];
  for (const part of SECTION_1_PARTS) {
    const n = childCount(form, part.element);
    if (n) parts.push(part.label(n));
  }
  const known = new Set([...HEADER_ELEMENTS, ...SECTION_1_PARTS.map((p) => p.element)]);
  for (const name of Object.keys(form)) {
    if (!known.has(name) && !name.startsWith("#")) parts.push(`раздел 1: ${name}`);
  }
  return parts;
}
