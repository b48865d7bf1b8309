// «Образец МЧД»: an unsigned EMCHD_1 draft for one organisation and this representative, ready to be completed
// with the head's details and signed in the software the head uses. The powers are worded so that the portal's
// own check (powersCoverFundReporting) accepts them.
import crypto from "node:crypto";
import { MCHD_NAMESPACE } from "./mchd.server";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export interface MchdDraftInput {
  organization: { fullName: string; inn: string; kpp: string | null; ogrn: string | null };
  representative: { surname: string; givenName: string; patronymic: string; inn: string | null; snils: string | null };
  today: string;
}

export const DRAFT_POWERS =
  "Представление в Социальный фонд России отчётности (ЕФС-1 раздел 2, 4-ФСС за прошлые периоды) и сведений в электронной форме через СЭДО, подписание её своей квалифицированной электронной подписью";

function snils(value: string | null): string {
  const d = (value ?? "").replace(/\D/g, "");
  return d.length === 11 ? `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${d.slice(9)}` : "";
}

export function mchdDraftXml(input: MchdDraftInput): { xml: string; number: string } {
  const number = crypto.randomUUID();
  const [y, m, d] = input.today.split("-").map(Number);
  const end = new Date(Date.UTC(y + 1, m - 1, d - 1)).toISOString().slice(0, 10);
  const o = input.organization;
  const r = input.representative;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Образец МЧД, сформированный СЭДО-шлюзом: впишите сведения о руководителе (ЛицоБезДов), проверьте срок и
     подпишите доверенность в программе руководителя, затем зарегистрируйте её в реестре ФНС. -->
<Доверенность xmlns="${MCHD_NAMESPACE}" ВерсФорм="EMCHD_1" ПрЭлФорм="00000000" ИдФайл="ON_EMCHD_${input.today.replace(/-/g, "")}_${number}">
  <Документ>
    <Довер>
      <СвДов ВидДовер="1" ПрПередов="1" НомДовер="${number}" ДатаВыдДовер="${input.today}" СрокДейст="${end}">
        <СведСист>https://m4d.nalog.gov.ru/emchd/check-status?guid=${number}</СведСист>
      </СвДов>
      <СвДоверит ТипДоверит="1">
        <Доверит>
          <РосОргДовер ЕИОУК="0" ЕИОФЛ="1" ЕИОИП="0">
            <СвРосОрг НаимОрг="${esc(o.fullName)}" ИННЮЛ="${esc(o.inn)}"${o.kpp ? ` КПП="${esc(o.kpp)}"` : ""}${o.ogrn ? ` ОГРН="${esc(o.ogrn)}"` : ""}/>
            <ЛицоБезДов ПолнЮЛ="1">
              <СвФЛ ИННФЛ="" СНИЛС="" Должность="">
                <СведФЛ><ФИО Фамилия="" Имя="" Отчество=""/></СведФЛ>
              </СвФЛ>
            </ЛицоБезДов>
          </РосОргДовер>
        </Доверит>
      </СвДоверит>
      <СвУпПред ТипПред="3">
        <Пред>
          <СведФизЛ${r.inn ? ` ИННФЛ="${esc(r.inn)}"` : ""}${snils(r.snils) ? ` СНИЛС="${snils(r.snils)}"` : ""}>
            <СведФЛ><ФИО Фамилия="${esc(r.surname)}" Имя="${esc(r.givenName)}"${r.patronymic ? ` Отчество="${esc(r.patronymic)}"` : ""}/></СведФЛ>
          </СведФизЛ>
        </Пред>
      </СвУпПред>
      <СвПолн ТипПолн="0" ПрСовмПолн="1">
        <ТекстПолн>${esc(DRAFT_POWERS)}</ТекстПолн>
      </СвПолн>
    </Довер>
  </Документ>
</Доверенность>
`;
  return { xml, number };
}
