// Machine-readable powers of attorney (МЧД) in the ФНС format EMCHD_1: read through the same safe XML entry as
// the reports (size cap, DOCTYPE refused, bounds, well-formedness), then the fields the fund's office needs:
// the number, the term, the principal (an organisation or an entrepreneur), the head who signs without a POA,
// the representative, the powers and re-delegation. Pure: a read МЧД or an MchdRefused with the reason.
import { child, isNode, parseReportXml, textOf, type XmlNode, type XmlValue } from "../reports/forms/xml.server";
import { ReportFileRefused } from "../reports/forms/refusal";

export const MCHD_NAMESPACE = "urn://x-artefacts/EMCHD_1";
import { MCHD_MAX_BYTES } from "./mchd-words";
export { MCHD_MAX_BYTES, MCHD_SIGNATURE_MAX_BYTES } from "./mchd-words";

export interface MchdPerson {
  surname: string;
  givenName: string;
  patronymic: string;
  inn: string | null;
  snils: string | null;
  position: string | null;
}

export interface MchdPower {
  code: string | null;
  text: string;
}

export interface Mchd {
  /** The register's number of the МЧД (a GUID). */
  number: string;
  internalNumber: string | null;
  issuedOn: string;
  validTo: string;
  /** ПрПередов: 1 without re-delegation, 2 once, 3 further. */
  redelegation: "none" | "once" | "further" | "unknown";
  principal: {
    kind: "legal" | "entrepreneur";
    name: string;
    inn: string;
    kpp: string | null;
    ogrn: string | null;
  };
  /** Who signs for the principal without a POA (the head, or the entrepreneur). */
  head: MchdPerson;
  representative: MchdPerson;
  powers: MchdPower[];
  /** СведСист: where the register shows the МЧД's status. */
  registryLink: string | null;
}

export class MchdRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MchdRefused";
  }
}

const attr = (node: XmlValue | undefined, name: string) => (isNode(node) ? textOf(node[name]) : "");
const orNull = (s: string) => (s ? s : null);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function path(node: XmlValue | undefined, ...names: string[]): XmlValue | undefined {
  let at = node;
  for (const n of names) at = child(at, n);
  return at;
}

function person(node: XmlValue | undefined, what: string): MchdPerson {
  const fio = path(node, "СведФЛ", "ФИО") ?? child(node, "ФИО");
  const surname = attr(fio, "Фамилия");
  const givenName = attr(fio, "Имя");
  if (!surname || !givenName) throw new MchdRefused(`в МЧД не указаны фамилия и имя ${what}`);
  return {
    surname,
    givenName,
    patronymic: attr(fio, "Отчество"),
    inn: orNull(attr(node, "ИННФЛ")),
    snils: orNull(attr(node, "СНИЛС").replace(/\D/g, "")),
    position: orNull(attr(node, "Должность")),
  };
}

function list(node: XmlValue | undefined, name: string): XmlValue[] {
  if (!isNode(node)) return [];
  const v = node[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Reads an EMCHD_1 file; throws MchdRefused with what is wrong, in Russian. */
export function readMchd(bytes: Buffer): Mchd {
  if (bytes.length > MCHD_MAX_BYTES)
    throw new MchdRefused("Файл МЧД больше 1 МБ — это не машиночитаемая доверенность.");
  let xml;
  try {
    xml = parseReportXml(bytes);
  } catch (error) {
    if (error instanceof ReportFileRefused) {
      throw new MchdRefused(
        `Файл МЧД не прочитан: ${error.message
          .replace(/^Файл /, "")
          .replace(/Выгрузите отчёт из программы заново\.?|Выберите файл отчёта[^.]*\./g, "")
          .trim()} Выгрузите МЧД из реестра ФНС или из программы, в которой её подписали, ещё раз.`,
      );
    }
    throw error;
  }
  if (xml.root !== "Доверенность" || xml.namespace !== MCHD_NAMESPACE) {
    throw new MchdRefused(
      `Это не МЧД в формате EMCHD_1: корневой элемент «${xml.root}»${xml.namespace ? ` в пространстве имён ${xml.namespace}` : ""}, а ожидается «Доверенность» в ${MCHD_NAMESPACE}.`,
    );
  }
  const root = xml.doc["Доверенность"] as XmlNode;
  const dover = path(root, "Документ", "Довер");
  const svDov = child(dover, "СвДов");
  const missing = (what: string): never => {
    throw new MchdRefused(
      `В МЧД нет обязательных сведений: ${what}. Проверьте, что это файл доверенности, а не квитанция реестра.`,
    );
  };
  if (!isNode(svDov)) missing("раздел СвДов (номер и срок доверенности)");
  const number = attr(svDov, "НомДовер").toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(number)) {
    throw new MchdRefused(`Номер МЧД «${attr(svDov, "НомДовер")}» — не номер из реестра ФНС (ожидается GUID).`);
  }
  const issuedOn = attr(svDov, "ДатаВыдДовер");
  const validTo = attr(svDov, "СрокДейст");
  if (!DATE.test(issuedOn)) missing("дата выдачи (ДатаВыдДовер)");
  if (!DATE.test(validTo)) missing("срок действия (СрокДейст)");
  if (validTo < issuedOn) throw new MchdRefused(`Срок действия МЧД (${validTo}) раньше даты её выдачи (${issuedOn}).`);
  const doverit = path(dover, "СвДоверит", "Доверит");
  const org = child(doverit, "РосОргДовер");
  const ip = child(doverit, "ИПДовер");
  let principal: Mchd["principal"];
  let head: MchdPerson;
  if (isNode(org)) {
    const sv = child(org, "СвРосОрг");
    const inn = attr(sv, "ИННЮЛ");
    if (!inn) missing("ИНН организации-доверителя (ИННЮЛ)");
    principal = {
      kind: "legal",
      name: attr(sv, "НаимОрг"),
      inn,
      kpp: orNull(attr(sv, "КПП")),
      ogrn: orNull(attr(sv, "ОГРН")),
    };
    const signer = path(org, "ЛицоБезДов", "СвФЛ");
    if (!isNode(signer)) missing("лицо, действующее без доверенности (ЛицоБезДов)");
    head = person(signer, "руководителя, подписавшего доверенность");
  } else if (isNode(ip)) {
    const sv = child(ip, "СвИП");
    const inn = attr(sv, "ИННФЛ") || attr(sv, "ИННИП");
    if (!inn) missing("ИНН индивидуального предпринимателя");
    head = person(sv, "индивидуального предпринимателя");
    principal = {
      kind: "entrepreneur",
      name: attr(sv, "НаимИП") || `ИП ${head.surname} ${head.givenName} ${head.patronymic}`.trim(),
      inn,
      kpp: null,
      ogrn: orNull(attr(sv, "ОГРНИП")),
    };
  } else {
    missing("доверитель — российская организация или индивидуальный предприниматель");
  }
  const pred = path(dover, "СвУпПред", "Пред");
  const rep = child(pred, "СведФизЛ");
  if (!isNode(rep)) missing("уполномоченный представитель — физическое лицо (СвУпПред/Пред/СведФизЛ)");
  const representative = person(rep, "представителя");
  const svPoln = child(dover, "СвПолн");
  const powers: MchdPower[] = [];
  const text = textOf(child(svPoln, "ТекстПолн"));
  if (text) powers.push({ code: null, text });
  for (const m of list(svPoln, "МашПолн")) {
    powers.push({ code: orNull(attr(m, "КодПолн")), text: attr(m, "НаимПолн") || textOf(m) });
  }
  if (powers.length === 0) missing("полномочия (ТекстПолн или МашПолн)");
  const redelegation = ({ "1": "none", "2": "once", "3": "further" } as const)[attr(svDov, "ПрПередов")] ?? "unknown";
  return {
    number,
    internalNumber: orNull(attr(svDov, "ВнНомДовер")),
    issuedOn,
    validTo,
    redelegation,
    principal: principal!,
    head: head!,
    representative,
    powers,
    registryLink: orNull(textOf(child(svDov, "СведСист"))),
  };
}

/**
 * Whether the powers cover reporting to the fund. Machine-readable powers: a code of the fund's part of the
 * ФНС classifier (codes that start with «SFR» or «FSS»). Text (and the names of coded powers): the text must
 * name the fund (Социальный фонд / СФР / ФСС / Фонд пенсионного и социального страхования) and reporting
 * (отчётность, отчёт, сведения, расчёт, ЕФС-1, 4-ФСС). A general «все полномочия» without the fund does not.
 */
export function powersCoverFundReporting(powers: MchdPower[]): boolean {
  const fund =
    /(социальн\p{L}*\s+фонд|фонд\p{L}*\s+пенсионного\s+и\s+социального|(^|[^\p{L}])сфр([^\p{L}]|$)|(^|[^\p{L}])фсс([^\p{L}]|$)|фонд\p{L}*\s+социального\s+страхования)/iu;
  const reporting = /(отч[её]т|сведени|расч[её]т|ефс-?1|4-?фсс|сэдо)/iu;
  return powers.some(
    (p) => (p.code !== null && /^(SFR|FSS)/i.test(p.code)) || (fund.test(p.text) && reporting.test(p.text)),
  );
}
