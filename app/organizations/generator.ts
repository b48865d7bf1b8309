// A plausible generated registry with valid identifiers: the embedded demo seed, benchmarks and tests.
// Deterministic for a given seed, so the same command makes the same registry.
import { SFR_NUMBER_REGIONS, withInnCheckDigit, withOgrnCheckDigit, withPersonalInnCheckDigits } from "./identifiers";
import type { RegistryEntry } from "./registry.server";

const PFR_CODE_OF_REGION = new Map(Object.entries(SFR_NUMBER_REGIONS).map(([pfr, region]) => [region, pfr]));

function syntheticPfrRegion(region: string): string {
  return `0${region}` in SFR_NUMBER_REGIONS ? `2${region}` : `0${region}`;
}

const NAME_ROOTS = [
  "Ромашка",
  "Василёк",
  "Северная звезда",
  "Технострой",
  "Вектор",
  "Альфа-Сервис",
  "Гранит",
  "Меридиан",
  "Лесная поляна",
  "Стройинвест",
  "Континент",
  "Восход",
  "Парус",
  "Берёзка",
  "Сибирский хлеб",
  "Уральские самоцветы",
  "Волжские зори",
  "Балтика-Логистик",
  "Орион",
  "Полярис",
  "Рассвет",
  "Радуга",
  "Агроресурс",
  "Теплосеть",
  "Энергомонтаж",
  "Маяк",
  "Кедр",
  "Янтарь",
  "Садко",
  "Добрыня",
  "Ладога",
  "Кристалл",
  "Прогресс",
  "Феникс",
  "Атлант",
  "Гелиос",
  "Сокол",
  "Светлячок",
  "Колосок",
  "Мастерская уюта",
  "Дом книги",
  "Фармация",
  "Медицина плюс",
  "Бухгалтерия плюс",
  "Автотранс",
  "Трансэкспедиция",
  "Инфотех",
  "Цифровые решения",
  "Русский лес",
  "Чистый город",
  "Зелёная долина",
  "Белые ночи",
];
const SUFFIXES = ["", "", "", " Плюс", "-М", " Групп", " Трейд", "-Юг", "-Север", " Сервис", " Холдинг", "-2000"];
const FORMS = [
  ["ООО", "Общество с ограниченной ответственностью"],
  ["ООО", "Общество с ограниченной ответственностью"],
  ["ООО", "Общество с ограниченной ответственностью"],
  ["АО", "Акционерное общество"],
  ["ПАО", "Публичное акционерное общество"],
  ["АНО", "Автономная некоммерческая организация"],
] as const;
const SURNAMES = [
  "Иванов",
  "Смирнов",
  "Кузнецов",
  "Попов",
  "Васильев",
  "Петров",
  "Соколов",
  "Михайлов",
  "Новиков",
  "Фёдоров",
  "Морозов",
  "Волков",
];
const GIVEN = ["Иван", "Алексей", "Сергей", "Андрей", "Дмитрий", "Николай", "Олег", "Павел"];
const PATRONYMICS = ["Иванович", "Петрович", "Сергеевич", "Андреевич", "Николаевич", "Олегович"];
const STREETS = [
  "ул. Ленина",
  "ул. Советская",
  "пр-т Мира",
  "ул. Садовая",
  "ул. Лесная",
  "ул. Гагарина",
  "наб. Речная",
  "ул. Заводская",
];

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function digits(random: () => number, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += Math.floor(random() * 10);
  return out;
}

export interface Office {
  code: string;
  region: string;
}

/** Yields `count` organisations spread over the offices; registration numbers are unique. */
export function* generateRegistry(count: number, offices: Office[], seed = 1): Generator<RegistryEntry> {
  const random = rng(seed);
  const perOffice = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const office = offices[i % offices.length];
    const n = (perOffice.get(office.code) ?? 0) + 1;
    perOffice.set(office.code, n);
    const regnum = office.code + String(n).padStart(6, "0");
    // A 12-digit СФР number, unique like the ФСС one: the ПФР region code where it is known (087 for Москва),
    // otherwise a synthetic 0RR (2RR where 0RR is a real code of another region: 087 is Москва, not Чукотка); then 0SS from the subdivision and NNNNNN.
    const pfrRegion = PFR_CODE_OF_REGION.get(office.code.slice(0, 2)) ?? syntheticPfrRegion(office.code.slice(0, 2));
    const sfrRegnum = `${pfrRegion}0${office.code.slice(2, 4)}${String(n).padStart(6, "0")}`;
    const region = office.code.slice(0, 2);
    const address = `${region === "77" ? "г. Москва" : office.region}, ${STREETS[Math.floor(random() * STREETS.length)]}, д. ${1 + Math.floor(random() * 150)}`;
    if (random() < 0.15) {
      const surname = SURNAMES[Math.floor(random() * SURNAMES.length)];
      const person = `${surname} ${GIVEN[Math.floor(random() * GIVEN.length)]} ${PATRONYMICS[Math.floor(random() * PATRONYMICS.length)]}`;
      yield {
        regnum,
        sfrRegnum,
        inn: withPersonalInnCheckDigits(region + digits(random, 8)),
        kpp: null,
        ogrn: withOgrnCheckDigit("3" + digits(random, 2) + region + digits(random, 9)),
        fullName: `Индивидуальный предприниматель ${person}`,
        shortName: `ИП ${person}`,
        address,
      };
      continue;
    }
    const [short, full] = FORMS[Math.floor(random() * FORMS.length)];
    const name =
      NAME_ROOTS[Math.floor(random() * NAME_ROOTS.length)] + SUFFIXES[Math.floor(random() * SUFFIXES.length)];
    const inn = withInnCheckDigit(region + digits(random, 7));
    yield {
      regnum,
      sfrRegnum,
      inn,
      kpp: `${inn.slice(0, 4)}01001`,
      ogrn: withOgrnCheckDigit("1" + digits(random, 2) + region + digits(random, 7)),
      fullName: `${full} «${name}»`,
      shortName: `${short} «${name}»`,
      address,
    };
  }
}
