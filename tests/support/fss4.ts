// Report files for tests: 4-ФСС in the fund's layout and encoding (windows-1251 by default), and ЕФС-1
// (UTF-8, root ЭДСФР or ЭДПФР, the СФР's namespaces with prefixes) as accounting software writes them.
import iconv from "iconv-lite";

export function fss4Xml(
  title: {
    regnum: string;
    period?: string;
    year?: number;
    inn?: string;
    kpp?: string | null;
    name?: string;
    numCorr?: string;
    kps?: string;
  },
  encoding: "windows-1251" | "utf-8" = "windows-1251",
): Buffer {
  const kpp = title.kpp === undefined ? "770701001" : title.kpp;
  const xml =
    `<?xml version="1.0" encoding="${encoding}"?><?F4FORM version="0.93" appname="test"?>` +
    `<F4REPORT xmlns="http://fz122.fss.ru"><TITLE REG_NUM="${title.regnum}" KPS_NUM="${title.kps ?? "0000"}" YEAR_NUM="${title.year ?? 2022}" QUART_NUM="${title.period ?? "09"}" ` +
    `${title.numCorr !== undefined ? `NumCorr="${title.numCorr}" ` : ""}INN="${title.inn ?? "7707083893"}" ${kpp ? `KPP="${kpp}" ` : ""}NAME="${title.name ?? "ООО «Ромашка»"}" Upoln="2" CEO="Иванов И. И." T1R1C2="1" CRE_DATE="2026-11-20"/>` +
    `<F4INF1 FssDebt="0" InsDebt="0"/><F4INFO OKVED="62.01" RATE_MIS="0.2"/></F4REPORT>`;
  return encoding === "utf-8" ? Buffer.from(xml, "utf8") : iconv.encode(xml, "win1251");
}

export function efs1Xml(options: {
  /** The insurer's number as the file gives it: XXX-XXX-XXXXXX or 10 digits. */
  number: string;
  inn?: string;
  kpp?: string | null;
  period?: string;
  year?: number;
  correction?: string;
  /** The format's version (namespace date) and root: 2026-01-01 / ЭДСФР by default. */
  version?: string;
  root?: "ЭДСФР" | "ЭДПФР";
  /** Subsection 1.1: this many insured persons (ЗЛ) beside section 2. */
  persons?: number;
  section2?: boolean;
  filledOn?: string;
  /** Anything unique, so two files of the same period differ (as real ones do in their GUID). */
  guid?: string;
}): Buffer {
  const root = options.root ?? "ЭДСФР";
  const kpp = options.kpp === undefined ? "770701001" : options.kpp;
  const persons = Array.from(
    { length: options.persons ?? 0 },
    (_, i) =>
      `<ЗЛ><УТ8:ФИО><УТ8:Фамилия>Петров${i}</УТ8:Фамилия><УТ8:Имя>Пётр</УТ8:Имя></УТ8:ФИО><УТ8:СНИЛС>112-233-445 95</УТ8:СНИЛС><Мероприятие><Вид>1</Вид><Дата>2026-02-01</Дата></Мероприятие></ЗЛ>`,
  ).join("");
  const section2 =
    options.section2 === false
      ? ""
      : `<ОСС><НомерКорректировки>${options.correction ?? "000"}</НомерКорректировки><Период><Код>${options.period ?? "09"}</Код><Год>${options.year ?? 2026}</Год></Период>` +
        `<Численность><Среднесписочная>3</Среднесписочная><РабПоОбСоцСтрах>3</РабПоОбСоцСтрах></Численность></ОСС>`;
  const xml =
    `<?xml version="1.0" encoding="utf-8"?><${root} xmlns="http://пф.рф/ЕФС-1/${options.version ?? "2026-01-01"}" xmlns:АФ8="http://пф.рф/АФ/2025-01-01" xmlns:УТ8="http://пф.рф/УТ/2025-01-01" xmlns:ЕФС8="http://пф.рф/ВС/ЕФС/2026-01-01">` +
    `<ЕФС-1><Страхователь><ЕФС8:РегНомер>${options.number}</ЕФС8:РегНомер><ЕФС8:Наименование>ООО «Ромашка»</ЕФС8:Наименование>` +
    `<УТ8:ИНН>${options.inn ?? "7707083893"}</УТ8:ИНН>${kpp ? `<УТ8:КПП>${kpp}</УТ8:КПП>` : ""}</Страхователь>` +
    `${persons}${section2}<Руководитель><УТ8:Должность>Директор</УТ8:Должность></Руководитель><ДатаЗаполнения>${options.filledOn ?? "2026-10-10"}</ДатаЗаполнения></ЕФС-1>` +
    `<СлужебнаяИнформация><АФ8:GUID>${options.guid ?? "00000000-0000-0000-0000-000000000000"}</АФ8:GUID><АФ8:ДатаВремя>2026-10-10T10:00:00+03:00</АФ8:ДатаВремя></СлужебнаяИнформация></${root}>`;
  return Buffer.from(xml, "utf8");
}
