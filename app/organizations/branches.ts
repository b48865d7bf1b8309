// The fund's regional branches (ОСФР по …), one for each subject of the Federation or, where the fund merged them, for
// two subjects (г. Москва и Московская область, Санкт-Петербург и Ленинградская область, Архангельская область и
// Ненецкий автономный округ). A branch's code is its region's two digits and «00»; the first two digits of a ФСС
// registration number name the region, and the insurer belongs to the branch that serves it. Client-safe data.
export interface RegionalBranch {
  code: string;
  region: string;
  /** The subject's name in the dative case, as it follows «Отделение СФР по …». */
  dative: string;
  timeZone: string;
  /** Regions (two digits) of subjects this branch serves besides its own. */
  alsoServes?: string[];
}

const M = "Europe/Moscow";
export const REGIONAL_BRANCHES: RegionalBranch[] = [
  { code: "0100", region: "Республика Адыгея", dative: "Республике Адыгея", timeZone: M },
  {
    code: "0200",
    region: "Республика Башкортостан",
    dative: "Республике Башкортостан",
    timeZone: "Asia/Yekaterinburg",
  },
  { code: "0300", region: "Республика Бурятия", dative: "Республике Бурятия", timeZone: "Asia/Irkutsk" },
  { code: "0400", region: "Республика Алтай", dative: "Республике Алтай", timeZone: "Asia/Barnaul" },
  { code: "0500", region: "Республика Дагестан", dative: "Республике Дагестан", timeZone: M },
  { code: "0600", region: "Республика Ингушетия", dative: "Республике Ингушетия", timeZone: M },
  { code: "0700", region: "Кабардино-Балкарская Республика", dative: "Кабардино-Балкарской Республике", timeZone: M },
  { code: "0800", region: "Республика Калмыкия", dative: "Республике Калмыкия", timeZone: M },
  { code: "0900", region: "Карачаево-Черкесская Республика", dative: "Карачаево-Черкесской Республике", timeZone: M },
  { code: "1000", region: "Республика Карелия", dative: "Республике Карелия", timeZone: M },
  { code: "1100", region: "Республика Коми", dative: "Республике Коми", timeZone: M },
  { code: "1200", region: "Республика Марий Эл", dative: "Республике Марий Эл", timeZone: M },
  { code: "1300", region: "Республика Мордовия", dative: "Республике Мордовия", timeZone: M },
  { code: "1400", region: "Республика Саха (Якутия)", dative: "Республике Саха (Якутия)", timeZone: "Asia/Yakutsk" },
  {
    code: "1500",
    region: "Республика Северная Осетия — Алания",
    dative: "Республике Северная Осетия — Алания",
    timeZone: M,
  },
  { code: "1600", region: "Республика Татарстан", dative: "Республике Татарстан", timeZone: M },
  { code: "1700", region: "Республика Тыва", dative: "Республике Тыва", timeZone: "Asia/Krasnoyarsk" },
  { code: "1800", region: "Удмуртская Республика", dative: "Удмуртской Республике", timeZone: "Europe/Samara" },
  { code: "1900", region: "Республика Хакасия", dative: "Республике Хакасия", timeZone: "Asia/Krasnoyarsk" },
  { code: "2000", region: "Чеченская Республика", dative: "Чеченской Республике", timeZone: M },
  { code: "2100", region: "Чувашская Республика", dative: "Чувашской Республике", timeZone: M },
  { code: "2200", region: "Алтайский край", dative: "Алтайскому краю", timeZone: "Asia/Barnaul" },
  { code: "2300", region: "Краснодарский край", dative: "Краснодарскому краю", timeZone: M },
  { code: "2400", region: "Красноярский край", dative: "Красноярскому краю", timeZone: "Asia/Krasnoyarsk" },
  { code: "2500", region: "Приморский край", dative: "Приморскому краю", timeZone: "Asia/Vladivostok" },
  { code: "2600", region: "Ставропольский край", dative: "Ставропольскому краю", timeZone: M },
  { code: "2700", region: "Хабаровский край", dative: "Хабаровскому краю", timeZone: "Asia/Vladivostok" },
  { code: "2800", region: "Амурская область", dative: "Амурской области", timeZone: "Asia/Yakutsk" },
  {
    code: "2900",
    region: "Архангельская область и Ненецкий автономный округ",
    dative: "Архангельской области и Ненецкому автономному округу",
    timeZone: M,
    alsoServes: ["83"],
  },
  { code: "3000", region: "Астраханская область", dative: "Астраханской области", timeZone: "Europe/Astrakhan" },
  { code: "3100", region: "Белгородская область", dative: "Белгородской области", timeZone: M },
  { code: "3200", region: "Брянская область", dative: "Брянской области", timeZone: M },
  { code: "3300", region: "Владимирская область", dative: "Владимирской области", timeZone: M },
  { code: "3400", region: "Волгоградская область", dative: "Волгоградской области", timeZone: "Europe/Volgograd" },
  { code: "3500", region: "Вологодская область", dative: "Вологодской области", timeZone: M },
  { code: "3600", region: "Воронежская область", dative: "Воронежской области", timeZone: M },
  { code: "3700", region: "Ивановская область", dative: "Ивановской области", timeZone: M },
  { code: "3800", region: "Иркутская область", dative: "Иркутской области", timeZone: "Asia/Irkutsk" },
  {
    code: "3900",
    region: "Калининградская область",
    dative: "Калининградской области",
    timeZone: "Europe/Kaliningrad",
  },
  { code: "4000", region: "Калужская область", dative: "Калужской области", timeZone: M },
  { code: "4100", region: "Камчатский край", dative: "Камчатскому краю", timeZone: "Asia/Kamchatka" },
  {
    code: "4200",
    region: "Кемеровская область — Кузбасс",
    dative: "Кемеровской области — Кузбассу",
    timeZone: "Asia/Novokuznetsk",
  },
  { code: "4300", region: "Кировская область", dative: "Кировской области", timeZone: M },
  { code: "4400", region: "Костромская область", dative: "Костромской области", timeZone: M },
  { code: "4500", region: "Курганская область", dative: "Курганской области", timeZone: "Asia/Yekaterinburg" },
  { code: "4600", region: "Курская область", dative: "Курской области", timeZone: M },
  { code: "4800", region: "Липецкая область", dative: "Липецкой области", timeZone: M },
  { code: "4900", region: "Магаданская область", dative: "Магаданской области", timeZone: "Asia/Magadan" },
  { code: "5100", region: "Мурманская область", dative: "Мурманской области", timeZone: M },
  { code: "5200", region: "Нижегородская область", dative: "Нижегородской области", timeZone: M },
  { code: "5300", region: "Новгородская область", dative: "Новгородской области", timeZone: M },
  { code: "5400", region: "Новосибирская область", dative: "Новосибирской области", timeZone: "Asia/Novosibirsk" },
  { code: "5500", region: "Омская область", dative: "Омской области", timeZone: "Asia/Omsk" },
  { code: "5600", region: "Оренбургская область", dative: "Оренбургской области", timeZone: "Asia/Yekaterinburg" },
  { code: "5700", region: "Орловская область", dative: "Орловской области", timeZone: M },
  { code: "5800", region: "Пензенская область", dative: "Пензенской области", timeZone: M },
  { code: "5900", region: "Пермский край", dative: "Пермскому краю", timeZone: "Asia/Yekaterinburg" },
  { code: "6000", region: "Псковская область", dative: "Псковской области", timeZone: M },
  { code: "6100", region: "Ростовская область", dative: "Ростовской области", timeZone: M },
  { code: "6200", region: "Рязанская область", dative: "Рязанской области", timeZone: M },
  { code: "6300", region: "Самарская область", dative: "Самарской области", timeZone: "Europe/Samara" },
  { code: "6400", region: "Саратовская область", dative: "Саратовской области", timeZone: "Europe/Saratov" },
  { code: "6500", region: "Сахалинская область", dative: "Сахалинской области", timeZone: "Asia/Sakhalin" },
  { code: "6600", region: "Свердловская область", dative: "Свердловской области", timeZone: "Asia/Yekaterinburg" },
  { code: "6700", region: "Смоленская область", dative: "Смоленской области", timeZone: M },
  { code: "6800", region: "Тамбовская область", dative: "Тамбовской области", timeZone: M },
  { code: "6900", region: "Тверская область", dative: "Тверской области", timeZone: M },
  { code: "7000", region: "Томская область", dative: "Томской области", timeZone: "Asia/Tomsk" },
  { code: "7100", region: "Тульская область", dative: "Тульской области", timeZone: M },
  { code: "7200", region: "Тюменская область", dative: "Тюменской области", timeZone: "Asia/Yekaterinburg" },
  { code: "7300", region: "Ульяновская область", dative: "Ульяновской области", timeZone: "Europe/Ulyanovsk" },
  { code: "7400", region: "Челябинская область", dative: "Челябинской области", timeZone: "Asia/Yekaterinburg" },
  { code: "7500", region: "Забайкальский край", dative: "Забайкальскому краю", timeZone: "Asia/Chita" },
  { code: "7600", region: "Ярославская область", dative: "Ярославской области", timeZone: M },
  {
    code: "7700",
    region: "г. Москва и Московская область",
    dative: "г. Москве и Московской области",
    timeZone: M,
    alsoServes: ["50"],
  },
  {
    code: "7800",
    region: "г. Санкт-Петербург и Ленинградская область",
    dative: "Санкт-Петербургу и Ленинградской области",
    timeZone: M,
    alsoServes: ["47"],
  },
  {
    code: "7900",
    region: "Еврейская автономная область",
    dative: "Еврейской автономной области",
    timeZone: "Asia/Vladivostok",
  },
  {
    code: "8600",
    region: "Ханты-Мансийский автономный округ — Югра",
    dative: "Ханты-Мансийскому автономному округу — Югре",
    timeZone: "Asia/Yekaterinburg",
  },
  {
    code: "8700",
    region: "Чукотский автономный округ",
    dative: "Чукотскому автономному округу",
    timeZone: "Asia/Anadyr",
  },
  {
    code: "8900",
    region: "Ямало-Ненецкий автономный округ",
    dative: "Ямало-Ненецкому автономному округу",
    timeZone: "Asia/Yekaterinburg",
  },
  { code: "9000", region: "Запорожская область", dative: "Запорожской области", timeZone: M },
  { code: "9100", region: "Республика Крым", dative: "Республике Крым", timeZone: "Europe/Simferopol" },
  { code: "9200", region: "г. Севастополь", dative: "г. Севастополю", timeZone: "Europe/Simferopol" },
  { code: "9300", region: "Донецкая Народная Республика", dative: "Донецкой Народной Республике", timeZone: M },
  { code: "9400", region: "Луганская Народная Республика", dative: "Луганской Народной Республике", timeZone: M },
  { code: "9500", region: "Херсонская область", dative: "Херсонской области", timeZone: M },
];

const BRANCH_OF_REGION: ReadonlyMap<string, string> = new Map(
  REGIONAL_BRANCHES.flatMap((b) => [b.code.slice(0, 2), ...(b.alsoServes ?? [])].map((r) => [r, b.code] as const)),
);

/** The branch code (RR00) serving a region's two digits, or null when no branch serves it. */
export function branchOfRegion(region: string): string | null {
  return BRANCH_OF_REGION.get(region) ?? null;
}

export function officeName(b: RegionalBranch): string {
  return `Отделение Фонда пенсионного и социального страхования Российской Федерации по ${b.dative}`;
}

export function officeEmail(code: string): string {
  return `office${code}@sfr.example.ru`;
}
