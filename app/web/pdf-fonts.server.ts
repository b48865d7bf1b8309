// DejaVu Sans (regular and bold) for the PDFs the portal makes: Cyrillic throughout.
import fontkit from "@pdf-lib/fontkit";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

let cached: { regular: Buffer; bold: Buffer } | undefined;

export function cyrillicFonts(): { regular: Buffer; bold: Buffer } {
  if (!cached) {
    const dir = path.join(path.dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
    cached = {
      regular: fs.readFileSync(path.join(dir, "DejaVuSans.ttf")),
      bold: fs.readFileSync(path.join(dir, "DejaVuSans-Bold.ttf")),
    };
  }
  return cached;
}

type FontkitFont = ReturnType<typeof fontkit.create>;
const parsed = new WeakMap<object, FontkitFont>();

/**
 * fontkit for `doc.registerFontkit`, keeping each parsed font for the next document: parsing DejaVu Sans
 * and its first layout (GSUB/GPOS tables) cost ~30 ms per font and document, most of a receipt's time.
 * Sharing is safe: pdf-lib reads a font and encodes its subsets synchronously, and every document makes
 * its own subset.
 */
export const cachingFontkit: typeof fontkit = {
  ...fontkit,
  create(data: Uint8Array, postscriptName?: string) {
    if (postscriptName) return fontkit.create(data, postscriptName);
    let font = parsed.get(data);
    if (!font) {
      font = fontkit.create(data);
      parsed.set(data, font);
    }
    return font;
  },
};
