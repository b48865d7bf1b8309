// A ZIP of report files, as accounting software exports a folder, read safely with yauzl: the number of
// entries, each entry's and the total unpacked size and the compression ratio are checked on the central
// directory before a byte is inflated, and the inflated bytes are counted against the declared size while
// reading (yauzl's own size check too). Names are only labels: folders are dropped, and a name that climbs
// out of the archive (`../`, `/etc/…`, `C:\…`) refuses the whole archive, as no honest export has one.
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { REPORT_MAX_BYTES } from "./limits";

export const ARCHIVE_MAX_ENTRIES = 500;
export const ARCHIVE_MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
/** XML compresses 5–20 times; far more than this on a large entry is a bomb, not a report. */
export const ARCHIVE_MAX_RATIO = 100;

export class ArchiveRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArchiveRefused";
  }
}

export interface ArchiveEntry {
  name: string;
  bytes: Buffer;
}

export interface ArchiveContents {
  files: ArchiveEntry[];
  /** Entries that are not reports (a PDF, a nested archive), with the reason they were left out. */
  skipped: Array<{ name: string; reason: string }>;
}

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
}

const MB = (n: number) => `${(n / 1024 / 1024).toLocaleString("ru-RU", { maximumFractionDigits: 1 })} МБ`;

function entryName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  // Bit 11: the name is UTF-8; otherwise Windows archivers write Russian names in CP866.
  return (entry.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString("utf8") : new TextDecoder("ibm866").decode(raw);
}

function climbsOut(name: string): boolean {
  return /^([/\\]|[A-Za-z]:)/.test(name) || name.split(/[/\\]/).includes("..");
}

const IGNORED = /(^|[/\\])(__MACOSX[/\\]|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

function open(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(
      bytes,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
      (error, zip) => (error || !zip ? reject(error ?? new Error("no archive")) : resolve(zip)),
    ),
  );
}

function entries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const all: Entry[] = [];
    zip.on("entry", (entry: Entry) => {
      all.push(entry);
      zip.readEntry();
    });
    zip.on("end", () => resolve(all));
    zip.on("error", reject);
    zip.readEntry();
  });
}

function inflate(zip: ZipFile, entry: Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error("no stream"));
      const chunks: Buffer[] = [];
      let seen = 0;
      stream.on("data", (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > entry.uncompressedSize) stream.destroy(new Error("more data than declared"));
        else chunks.push(chunk);
      });
      stream.on("error", reject);
      stream.on("end", () => resolve(Buffer.concat(chunks)));
    });
  });
}

/** What an archive is read for: report XMLs (the default) or the scans of powers of attorney. */
export interface ArchiveKind {
  accept: RegExp;
  notAccepted: string;
  maxEntryBytes: number;
  /** How an entry larger than maxEntryBytes is treated: it refuses the whole archive, or only itself. */
  oversized: "refuse-archive" | "skip";
  tooLargeWhat: string;
}

export const REPORT_ARCHIVE: ArchiveKind = {
  accept: /\.xml$/i,
  notAccepted: "не XML-файл: пропущен",
  maxEntryBytes: REPORT_MAX_BYTES,
  oversized: "refuse-archive",
  tooLargeWhat: "отчёт не бывает больше 5 МБ",
};

export async function readArchive(bytes: Buffer, kind: ArchiveKind = REPORT_ARCHIVE): Promise<ArchiveContents> {
  let zip: ZipFile;
  try {
    zip = await open(bytes);
  } catch {
    throw new ArchiveRefused(
      "Архив ZIP повреждён или не дописан: откройте его на компьютере и запакуйте файлы заново.",
    );
  }
  try {
    if (zip.entryCount > ARCHIVE_MAX_ENTRIES) {
      throw new ArchiveRefused(
        `В архиве ${zip.entryCount} файлов, а за один раз принимается не более ${ARCHIVE_MAX_ENTRIES}. Разделите его на части.`,
      );
    }
    let listed: Entry[];
    try {
      listed = await entries(zip);
    } catch {
      throw new ArchiveRefused("Оглавление архива ZIP повреждено: запакуйте файлы заново.");
    }
    const wanted: Array<{ entry: Entry; name: string }> = [];
    const skipped: ArchiveContents["skipped"] = [];
    let total = 0;
    for (const entry of listed) {
      const path = entryName(entry);
      if (climbsOut(path)) {
        throw new ArchiveRefused(
          `В архиве есть файл с путём «${path.slice(0, 120)}», который ведёт за пределы архива. Такой архив не принимается: запакуйте отчёты заново.`,
        );
      }
      if (/[/\\]$/.test(path) || IGNORED.test(path)) continue;
      const name = path.split(/[/\\]/).pop() ?? path;
      if (entry.isEncrypted()) {
        skipped.push({ name, reason: "файл в архиве зашифрован паролем: запакуйте его без пароля" });
        continue;
      }
      if (/\.zip$/i.test(name)) {
        skipped.push({ name, reason: "архив внутри архива не распаковывается: положите отчёты в один архив" });
        continue;
      }
      if (!kind.accept.test(name)) {
        skipped.push({ name, reason: kind.notAccepted });
        continue;
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      const bomb = entry.uncompressedSize > 1024 * 1024 && ratio > ARCHIVE_MAX_RATIO;
      if (entry.uncompressedSize > kind.maxEntryBytes && !bomb && kind.oversized === "skip") {
        skipped.push({ name, reason: `файл больше ${MB(kind.maxEntryBytes)} (${MB(entry.uncompressedSize)})` });
        continue;
      }
      if (entry.uncompressedSize > kind.maxEntryBytes || bomb) {
        throw new ArchiveRefused(
          `Файл «${name}» в архиве распаковывается в ${MB(entry.uncompressedSize)}${
            ratio > ARCHIVE_MAX_RATIO ? ` (сжат в ${Math.round(ratio)} раз)` : ""
          }: ${kind.tooLargeWhat}. Архив не принят.`,
        );
      }
      total += entry.uncompressedSize;
      if (total > ARCHIVE_MAX_UNPACKED_BYTES) {
        throw new ArchiveRefused(
          `Архив распаковывается больше чем в ${MB(ARCHIVE_MAX_UNPACKED_BYTES)}: разделите его на части.`,
        );
      }
      wanted.push({ entry, name });
    }
    const files: ArchiveEntry[] = [];
    for (const { entry, name } of wanted) {
      try {
        files.push({ name, bytes: await inflate(zip, entry) });
      } catch {
        throw new ArchiveRefused(
          `Файл «${name}» в архиве повреждён (распакованный размер не сходится с оглавлением). Архив не принят.`,
        );
      }
    }
    return { files, skipped };
  } finally {
    zip.close();
  }
}
