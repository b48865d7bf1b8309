// Comparing the certificate holder's name with the account's: trimmed, spaces collapsed, case folded,
// ё read as е. Shared by the server and the page.
export interface PersonName {
  surname: string;
  givenName: string;
  patronymic: string;
}

export function normaliseNamePart(value: string): string {
  return value.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("ru-RU").replaceAll("ё", "е");
}

export function holderNameMatches(holder: PersonName, account: PersonName): boolean {
  return (
    normaliseNamePart(holder.surname) === normaliseNamePart(account.surname) &&
    normaliseNamePart(holder.givenName) === normaliseNamePart(account.givenName) &&
    normaliseNamePart(holder.patronymic) === normaliseNamePart(account.patronymic)
  );
}

export function personName(p: PersonName): string {
  return [p.surname, p.givenName, p.patronymic].filter((s) => s.trim()).join(" ");
}

/** СНИЛС grouped the way people read it: 112-233-445 95. */
export function formatSnils(snils: string | null | undefined): string {
  const d = (snils ?? "").replace(/\D/g, "");
  return d.length === 11 ? `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${d.slice(9)}` : (snils ?? "");
}
