// Files the portal keeps under UPLOADS_DIR: every stored kind is one entry of STORED_KINDS. An upload is
// written by storeFile() (a random name in the kind's folder by month, never the uploader's name) and its row
// names it; a file the portal makes again from a row whenever it is missing (a receipt) is kept by keepMadeFile()
// at the path the row's id gives (madeFilePath). The sweep removes what no row refers to (a crash between
// writing the file and committing its row, a process killed during intake) and temporary uploads nobody moved
// into place. Only files older than an hour are removed, so an upload in flight on another process sharing the
// folder is never touched. No file here is served by its path: routes read them after checking who asks.
import crypto from "node:crypto";
import fsSync from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "../../db/index.server";

export const ORPHAN_AGE_MS = 3600_000;

export type StoredKindName = "poa" | "mchd" | "mchd-sig" | "reports" | "receipts";

interface StoredKind {
  name: StoredKindName;
  /** The folder under UPLOADS_DIR and the files' extension. */
  dir: string;
  ext: string;
  /** Of these paths (relative to UPLOADS_DIR), the ones a row refers to. */
  known: (db: Db, paths: string[]) => Promise<Array<string | null>>;
}

export const STORED_KINDS: StoredKind[] = [
  {
    name: "poa",
    dir: "poa",
    ext: ".pdf",
    known: async (db, paths) =>
      (await db.selectFrom("files").select("stored_path").where("stored_path", "in", paths).execute()).map(
        (r) => r.stored_path,
      ),
  },
  ...(["mchd", "mchd-sig"] as const).map((name) => ({
    name,
    dir: name,
    ext: name === "mchd" ? ".xml" : ".sig",
    known: async (db: Db, paths: string[]) =>
      (await db.selectFrom("files").select("stored_path").where("stored_path", "in", paths).execute()).map(
        (r) => r.stored_path,
      ),
  })),
  {
    name: "reports",
    dir: "reports",
    ext: ".xml",
    known: async (db, paths) =>
      (await db.selectFrom("report_submissions").select("stored_path").where("stored_path", "in", paths).execute()).map(
        (r) => r.stored_path,
      ),
  },
  {
    // Receipt PDFs of accepted submissions, receipts/<id / 1000>/<id>.pdf (see madeFilePath).
    name: "receipts",
    dir: "receipts",
    ext: ".pdf",
    known: async (db, paths) => {
      // A temporary file (<id>.<random>.pdf) has no id of its own: unknown, so swept once an hour old.
      const idOf = (p: string) => Number(/^(\d+)\.pdf$/.exec(path.basename(p))?.[1] ?? NaN);
      const ids = paths.map(idOf).filter((id) => Number.isSafeInteger(id));
      if (!ids.length) return [];
      const accepted = new Set(
        (
          await db
            .selectFrom("report_submissions")
            .select("id")
            .where("id", "in", ids)
            .where("status", "=", "accepted")
            .execute()
        ).map((r) => r.id),
      );
      return paths.filter((p) => accepted.has(idOf(p)) && p === madeFilePath("", "receipts", idOf(p)));
    },
  },
];

/**
 * Where the file made from row `id` of that kind is kept: a folder per thousand ids, so none grows past a
 * thousand files. Relative to UPLOADS_DIR when uploadsDir is "".
 */
export function madeFilePath(uploadsDir: string, kind: "receipts", id: number): string {
  const spec = STORED_KINDS.find((k) => k.name === kind)!;
  return path.join(uploadsDir, spec.dir, String(Math.floor(id / 1000)), `${id}${spec.ext}`);
}

/**
 * Keeps a made file at its path: written beside it under a temporary name, then renamed over it, so a reader
 * never sees half a file and two processes making the same file at once leave one whole copy (the same row gives
 * the same bytes). Synchronous: it runs in a worker thread of the intake's pool, off the event loop.
 */
export function keepMadeFile(absolute: string, bytes: Uint8Array): void {
  const folder = path.dirname(absolute);
  const ext = path.extname(absolute);
  // A temporary name that ends like the kind's files, so the sweep finds (and, unknown, removes) one a crash left.
  const temporary = path.join(folder, `${path.basename(absolute, ext)}.${crypto.randomBytes(6).toString("hex")}${ext}`);
  if (!madeFolders.has(folder)) {
    fsSync.mkdirSync(folder, { recursive: true });
    madeFolders.add(folder);
  }
  try {
    fsSync.writeFileSync(temporary, bytes, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    fsSync.mkdirSync(folder, { recursive: true }); // the folder was removed since
    fsSync.writeFileSync(temporary, bytes, { flag: "wx" });
  }
  try {
    fsSync.renameSync(temporary, absolute);
  } catch (error) {
    fsSync.rmSync(temporary, { force: true });
    throw error;
  }
}

/** A made file's bytes, or null when it is not there (never made, or removed): the caller makes it again. */
export async function readMadeFile(absolute: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * Writes a file of that kind under a random name (or moves a temporary upload there, atomically on the same
 * file system) and returns its path relative to UPLOADS_DIR, for the row that records it. The caller removes
 * it with removeStoredFile() if the row is not committed.
 */
export async function storeFile(
  uploadsDir: string,
  kind: StoredKindName,
  source: { bytes: Uint8Array } | { tempPath: string },
  now: Date,
): Promise<{ relative: string; absolute: string }> {
  const spec = STORED_KINDS.find((k) => k.name === kind);
  if (!spec) throw new Error(`unknown stored kind ${kind}`);
  const relative = path.join(
    spec.dir,
    now.toISOString().slice(0, 7),
    `${crypto.randomBytes(16).toString("hex")}${spec.ext}`,
  );
  const absolute = path.join(uploadsDir, relative);
  const folder = path.dirname(absolute);
  const put = () =>
    "tempPath" in source ? fs.rename(source.tempPath, absolute) : fs.writeFile(absolute, source.bytes, { flag: "wx" });
  if (!madeFolders.has(folder)) {
    await fs.mkdir(folder, { recursive: true });
    madeFolders.add(folder);
  }
  try {
    await put();
  } catch (error) {
    // The folder was removed since (by hand, or a cleanup of empty folders): made again, the file put once more
    // (a temporary file that is itself gone fails the second time with its own error).
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await fs.mkdir(folder, { recursive: true });
    await put();
  }
  return { relative, absolute };
}

/** Folders storeFile made in this process (one a kind and month): not asked for again on every file. */
const madeFolders = new Set<string>();

export async function removeStoredFile(absolute: string): Promise<void> {
  await fs.rm(absolute, { force: true });
}

/** Temporary uploads live here, one folder a process. */
export const INCOMING_DIR = ".incoming";

async function filesUnder(root: string, ext?: string): Promise<string[]> {
  try {
    return (await fs.readdir(root, { recursive: true })).map(String).filter((n) => !ext || n.endsWith(ext));
  } catch {
    return [];
  }
}

async function olderThanAnHour(absolute: string, now: Date): Promise<boolean> {
  try {
    return now.getTime() - (await fs.stat(absolute)).mtimeMs >= ORPHAN_AGE_MS;
  } catch {
    return false;
  }
}

export async function sweepOrphanUploads(db: Db, uploadsDir: string, now = new Date()): Promise<string[]> {
  const removed: string[] = [];
  for (const kind of STORED_KINDS) {
    const names = await filesUnder(path.join(uploadsDir, kind.dir), kind.ext);
    for (let i = 0; i < names.length; i += 500) {
      const slice = names.slice(i, i + 500).map((n) => path.join(kind.dir, n));
      const known = new Set(await kind.known(db, slice));
      for (const relative of slice) {
        if (known.has(relative)) continue;
        const absolute = path.join(uploadsDir, relative);
        if (!(await olderThanAnHour(absolute, now))) continue;
        await fs.rm(absolute, { force: true });
        removed.push(relative);
      }
    }
  }
  // Temporary uploads: files an hour old, then the folders of processes that have left nothing behind.
  const incoming = path.join(uploadsDir, INCOMING_DIR);
  const entries = (await filesUnder(incoming)).sort((a, b) => b.length - a.length);
  for (const name of entries) {
    const absolute = path.join(incoming, name);
    const stat = await fs.stat(absolute).catch(() => null);
    if (!stat || !(await olderThanAnHour(absolute, now))) continue;
    if (stat.isDirectory()) await fs.rmdir(absolute).catch(() => undefined);
    else {
      await fs.rm(absolute, { force: true });
      removed.push(path.join(INCOMING_DIR, name));
    }
  }
  return removed;
}
