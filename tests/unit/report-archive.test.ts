// ZIP archives of reports: read as an accounting program exports them, and refused when they are bombs,
// lie about their sizes or climb out with `../`.
import { describe, expect, it } from "vitest";
import { ArchiveRefused, isZip, readArchive } from "../../app/reports/archive.server";
import { efs1Xml } from "../support/fss4";
import { zipOf } from "../support/zip";

async function refused(bytes: Buffer): Promise<string> {
  try {
    await readArchive(bytes);
  } catch (e) {
    if (e instanceof ArchiveRefused) return e.message;
    throw e;
  }
  throw new Error("not refused");
}

describe("report archives", () => {
  it("unpacks the XML files of a folder, by their names only; skips what is not a report", async () => {
    const a = efs1Xml({ number: "087-001-000001" });
    const b = efs1Xml({ number: "087-001-000002" });
    const zip = zipOf([
      { name: "Отчёты/ЕФС-1/первый.xml", bytes: a },
      { name: "второй.XML", bytes: b, cp866: true },
      { name: "Отчёты/", bytes: Buffer.alloc(0), store: true },
      { name: "__MACOSX/._первый.xml", bytes: Buffer.from("x") },
      { name: "опись.pdf", bytes: Buffer.from("%PDF-1.4") },
      { name: "вложенный.zip", bytes: zipOf([{ name: "x.xml", bytes: a }]) },
    ]);
    expect(isZip(zip)).toBe(true);
    const contents = await readArchive(zip);
    expect(contents.files.map((f) => f.name)).toEqual(["первый.xml", "второй.XML"]);
    expect(contents.files[0].bytes.equals(a)).toBe(true);
    expect(contents.files[1].bytes.equals(b)).toBe(true);
    expect(contents.skipped).toEqual([
      { name: "опись.pdf", reason: "не XML-файл: пропущен" },
      { name: "вложенный.zip", reason: "архив внутри архива не распаковывается: положите отчёты в один архив" },
    ]);
  });
  it.each([["../../etc/cron.d/evil.xml"], ["/etc/passwd.xml"], ["C:\\Windows\\evil.xml"], ["ok/../../evil.xml"]])(
    "refuses an archive with the path %s",
    async (name) => {
      const message = await refused(
        zipOf([
          { name: "good.xml", bytes: efs1Xml({ number: "087-001-000001" }) },
          { name, bytes: Buffer.from("<a/>") },
        ]),
      );
      expect(message).toContain("ведёт за пределы архива");
    },
  );
  it("refuses a ZIP bomb by its central directory, before inflating it", async () => {
    // 64 MiB of zeros deflate to about 64 KiB: a ratio of 1000.
    const bomb = zipOf([{ name: "bomb.xml", bytes: Buffer.alloc(64 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const started = Date.now();
    expect(await refused(bomb)).toMatch(/«bomb\.xml» в архиве распаковывается в 64 МБ \(сжат в \d+ раз\)/);
    expect(Date.now() - started).toBeLessThan(500);
  });
  it("refuses an entry that inflates to more than it declares", async () => {
    const liar = zipOf([{ name: "small.xml", bytes: Buffer.alloc(3 * 1024 * 1024, 0x61), declaredSize: 1000 }]);
    expect(await refused(liar)).toContain("«small.xml» в архиве повреждён");
  });
  it("refuses more than 500 entries and a broken archive", async () => {
    const many = zipOf(Array.from({ length: 501 }, (_, i) => ({ name: `${i}.xml`, bytes: Buffer.from("<a/>") })));
    expect(await refused(many)).toContain("В архиве 501 файлов");
    expect(await refused(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]))).toContain(
      "повреждён или не дописан",
    );
  });
});
