import { describe, expect, it } from "vitest";
import { matchPoaFiles, numbersInName } from "../../app/proxies/poa-batch.server";

const proxies = [
  { id: 1, regnum: "7701000001", sfr_regnum: "087001000001", inn: "7707083893", short_name: "ООО «Один»" },
  { id: 2, regnum: "7701000002", sfr_regnum: null, inn: "7736050003", short_name: "ООО «Два»" },
  // Two subdivisions of one organisation: the same ИНН, different registration numbers.
  { id: 3, regnum: "7701000003", sfr_regnum: null, inn: "7702070139", short_name: "ПАО «Три», филиал 1" },
  { id: 4, regnum: "7701000004", sfr_regnum: null, inn: "7702070139", short_name: "ПАО «Три», филиал 2" },
];

describe("matching a batch of scans to organisations by the file name", () => {
  it("reads 10- and 12-digit runs and the dashed СФР number, ignoring longer runs and the extension", () => {
    expect(numbersInName("7701000001.pdf")).toEqual(["7701000001"]);
    expect(numbersInName("Доверенность 087-001-000001 от 2026.pdf")).toEqual(["087001000001"]);
    expect(numbersInName("скан_77010000011234.pdf")).toEqual([]);
    expect(numbersInName("ИНН 770708389312.pdf")).toEqual(["770708389312"]);
  });
  it("matches by рег. номер, СФР number and a unique ИНН; refuses a shared ИНН, two organisations in one name and a second file", () => {
    const m = matchPoaFiles(
      [
        "7701000001.pdf",
        "087-001-000001 копия.pdf",
        "ИНН 7736050003.pdf",
        "7702070139.pdf",
        "7701000003 и 7701000002.pdf",
        "без номера.pdf",
        "7701000004.pdf",
      ],
      proxies,
    );
    expect(m.map((x) => (x.proxy ? `${x.proxy.id} ${x.by}` : x.reason))).toEqual([
      "1 regnum",
      "для ООО «Один» (7701000001) в пакете уже есть файл «7701000001.pdf»",
      "2 inn",
      "ИНН 7702070139 у нескольких ваших организаций (обособленные подразделения): назовите файл по рег. номеру",
      "имя файла подходит к нескольким организациям: ПАО «Три», филиал 1 (7701000003), ООО «Два» (7701000002)",
      "в имени файла нет рег. номера или ИНН: назовите файл, например, 7701000001.pdf",
      "4 regnum",
    ]);
  });
});
