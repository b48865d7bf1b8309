// МЧД files for tests: EMCHD_1 XML in the structure the ФНС register exports, with every field a test may change,
// and a head's certificate from a test PKI to sign it with (detached CMS, as the register's «.sig»).
export interface MchdOptions {
  number?: string;
  issuedOn?: string;
  validTo?: string;
  principal?: { name?: string; inn?: string; kpp?: string | null; ogrn?: string | null };
  head?: { surname: string; givenName: string; patronymic?: string; inn?: string; snils?: string };
  representative?: { surname: string; givenName: string; patronymic?: string; inn?: string; snils?: string };
  powersText?: string | null;
  machinePowers?: Array<{ code: string; name: string }>;
}

export const HEAD = {
  surname: "Галиев",
  givenName: "Рустам",
  patronymic: "Ильдарович",
  inn: "165001234562",
  snils: "112-233-445 95",
};

const fio = (p: { surname: string; givenName: string; patronymic?: string }) =>
  `<ФИО Фамилия="${p.surname}" Имя="${p.givenName}"${p.patronymic ? ` Отчество="${p.patronymic}"` : ""}/>`;
const ids = (p: { inn?: string; snils?: string }) =>
  `${p.inn ? ` ИННФЛ="${p.inn}"` : ""}${p.snils ? ` СНИЛС="${p.snils}"` : ""}`;

export function mchdXml(o: MchdOptions = {}): Buffer {
  const number = o.number ?? "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
  const principal = { name: "ООО «Доверие»", inn: "7700000000", kpp: "770901001", ogrn: null, ...o.principal };
  const head = o.head ?? HEAD;
  const rep = o.representative ?? {
    surname: "Иванова",
    givenName: "Мария",
    patronymic: "Петровна",
    inn: "500100732259",
    snils: "112-233-445 95",
  };
  const text =
    o.powersText === undefined
      ? "Представление в Социальный фонд России отчётности (ЕФС-1, расчётов по взносам на травматизм) в электронной форме, подписание её своей квалифицированной электронной подписью"
      : o.powersText;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Доверенность xmlns="urn://x-artefacts/EMCHD_1" ВерсФорм="EMCHD_1" ПрЭлФорм="00000000" ИдФайл="ON_EMCHD_20261101_${number}">
  <Документ>
    <Довер>
      <СвДов ВидДовер="1" ПрПередов="1" ВнНомДовер="12/2026" НомДовер="${number}" ДатаВыдДовер="${o.issuedOn ?? "2026-11-01"}" СрокДейст="${o.validTo ?? "2027-10-31"}">
        <СведСист>https://m4d.nalog.gov.ru/emchd/check-status?guid=${number}</СведСист>
      </СвДов>
      <СвДоверит ТипДоверит="1">
        <Доверит>
          <РосОргДовер ЕИОУК="0" ЕИОФЛ="1" ЕИОИП="0">
            <СвРосОрг НаимОрг="${principal.name}" ИННЮЛ="${principal.inn}"${principal.kpp ? ` КПП="${principal.kpp}"` : ""}${principal.ogrn ? ` ОГРН="${principal.ogrn}"` : ""}/>
            <ЛицоБезДов ПолнЮЛ="1">
              <СвФЛ${ids(head)} Должность="Директор">
                <СведФЛ>${fio(head)}</СведФЛ>
              </СвФЛ>
            </ЛицоБезДов>
          </РосОргДовер>
        </Доверит>
      </СвДоверит>
      <СвУпПред ТипПред="3">
        <Пред>
          <СведФизЛ${ids(rep)}>
            <СведФЛ>${fio(rep)}</СведФЛ>
          </СведФизЛ>
        </Пред>
      </СвУпПред>
      <СвПолн ТипПолн="${o.machinePowers ? "1" : "0"}" ПрСовмПолн="1">
        ${text ? `<ТекстПолн>${text}</ТекстПолн>` : ""}
        ${(o.machinePowers ?? []).map((m) => `<МашПолн КодПолн="${m.code}" НаимПолн="${m.name}"/>`).join("")}
      </СвПолн>
    </Довер>
  </Документ>
</Доверенность>
`;
  return Buffer.from(xml, "utf8");
}
