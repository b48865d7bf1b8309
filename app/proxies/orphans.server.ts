// Files under uploads/poa that no row refers to (a crash between moving the file into place and
// committing its row) are removed at start. Only files older than an hour, so an upload in flight on
// another process is never touched.
import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "../../db/index.server";

export async function sweepOrphanUploads(db: Db, uploadsDir: string, now = new Date()): Promise<string[]> {
  const root = path.join(uploadsDir, "poa");
  let names: string[];
  try {
    names = (await fs.readdir(root, { recursive: true })).map(String).filter((n) => n.endsWith(".pdf"));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (let i = 0; i < names.length; i += 500) {
    const slice = names.slice(i, i + 500).map((n) => path.join("poa", n));
    const known = new Set(
      (await db.selectFrom("files").select("stored_path").where("stored_path", "in", slice).execute()).map(
        (r) => r.stored_path,
      ),
    );
    for (const relative of slice) {
      if (known.has(relative)) continue;
      const absolute = path.join(uploadsDir, relative);
      const stat = await fs.stat(absolute);
      if (now.getTime() - stat.mtimeMs < 3600_000) continue;
      await fs.rm(absolute, { force: true });
      removed.push(relative);
    }
  }
  return removed;
}
