// DejaVu Sans (regular and bold) for the PDFs the portal makes: Cyrillic throughout.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

let cached: { regular: Buffer; bold: Buffer } | undefined;

export function cyrillicFonts(): { regular: Buffer; bold: Buffer } {
  if (!cached) {
    const dir = path.join(path.dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
    cached = { regular: fs.readFileSync(path.join(dir, "DejaVuSans.ttf")), bold: fs.readFileSync(path.join(dir, "DejaVuSans-Bold.ttf")) };
  }
  return cached;
}
