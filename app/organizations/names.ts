// Name normalisation for search: lower case, ё as е, no quotes, no legal form, single spaces.
// The stored search_name and the typed query go through the same function.
const LEGAL_FORM_PHRASES = [
  "общество с ограниченной ответственностью",
  "публичное акционерное общество",
  "непубличное акционерное общество",
  "закрытое акционерное общество",
  "открытое акционерное общество",
  "акционерное общество",
  "индивидуальный предприниматель",
  "автономная некоммерческая организация",
  "некоммерческая организация",
  "государственное бюджетное учреждение",
  "муниципальное бюджетное учреждение",
  "федеральное государственное унитарное предприятие",
  "муниципальное унитарное предприятие",
  "товарищество собственников жилья",
  "производственный кооператив",
];
const LEGAL_FORM_WORDS = new Set([
  "ооо",
  "оао",
  "зао",
  "пао",
  "ао",
  "нао",
  "ип",
  "ано",
  "нко",
  "гуп",
  "муп",
  "фгуп",
  "гбу",
  "мбу",
  "гку",
  "мку",
  "фгбу",
  "гау",
  "мау",
  "тсж",
  "снт",
  "пк",
]);

export function normaliseOrganizationName(value: string): string {
  let s = value.normalize("NFC").toLocaleLowerCase("ru-RU").replaceAll("ё", "е");
  s = s.replace(/[«»"„“”'`‘’]/g, " ");
  for (const phrase of LEGAL_FORM_PHRASES) s = s.replaceAll(phrase, " ");
  return s
    .split(/[\s,.]+/)
    .filter((w) => w && !LEGAL_FORM_WORDS.has(w))
    .join(" ");
}

export function searchNameOf(fullName: string, shortName: string): string {
  const a = normaliseOrganizationName(shortName);
  const b = normaliseOrganizationName(fullName);
  return a === b ? a : `${a} | ${b}`;
}
