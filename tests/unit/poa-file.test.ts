// POA PDFs with active or hidden content anywhere in them — not only at the top of an object — are refused;
// clean scans stay accepted; a file that is something else before its %PDF- is not a PDF.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PDFDocument, PDFName, PDFString, type PDFDict } from "pdf-lib";
import { inspectPoaPdf, PoaRefused } from "../../app/proxies/poa-file.server";

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, "../fixtures/pdf", name));

async function crafted(change: (doc: PDFDocument) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.load(fixture("poa-valid-1page.pdf"));
  change(doc);
  return doc.save({ useObjectStreams: false });
}

async function problem(bytes: Uint8Array): Promise<string | null> {
  try {
    await inspectPoaPdf(bytes);
    return null;
  } catch (e) {
    if (e instanceof PoaRefused) return e.problem;
    throw e;
  }
}

const js = (doc: PDFDocument) => doc.context.obj({ S: "JavaScript", JS: PDFString.of("app.alert(1)") });

describe("POA PDF inspection", () => {
  it("accepts the clean scans of the fixtures", async () => {
    expect(await inspectPoaPdf(fixture("poa-valid-1page.pdf"))).toEqual({ pages: 1 });
    expect(await inspectPoaPdf(fixture("poa-valid-3pages.pdf"))).toEqual({ pages: 3 });
  });

  it.each([
    [
      "a page's /AA with /O → /S /JavaScript",
      (doc: PDFDocument) => doc.getPage(0).node.set(PDFName.of("AA"), doc.context.obj({ O: js(doc) })),
    ],
    [
      "an /OpenAction whose /Next runs JavaScript",
      (doc: PDFDocument) =>
        doc.catalog.set(
          PDFName.of("OpenAction"),
          doc.context.obj({ S: "GoTo", D: [doc.getPage(0).ref, "Fit"], Next: js(doc) }),
        ),
    ],
    [
      "a link annotation that launches a program",
      (doc: PDFDocument) =>
        doc.getPage(0).node.set(
          PDFName.of("Annots"),
          doc.context.obj([
            doc.context.register(
              doc.context.obj({
                Type: "Annot",
                Subtype: "Link",
                Rect: [0, 0, 100, 100],
                A: { S: "Launch", F: PDFString.of("cmd.exe") },
              }),
            ),
          ]),
        ),
    ],
    [
      "an embedded .exe in the name tree",
      (doc: PDFDocument) => {
        const file = doc.context.register(doc.context.flateStream("MZ fake exe", { Type: "EmbeddedFile" }));
        const spec = doc.context.register(
          doc.context.obj({ Type: "Filespec", F: PDFString.of("evil.exe"), EF: { F: file } }),
        );
        doc.catalog.set(
          PDFName.of("Names"),
          doc.context.obj({ EmbeddedFiles: { Names: [PDFString.of("evil.exe"), spec] } }),
        );
      },
    ],
    [
      "an XFA form",
      (doc: PDFDocument) =>
        doc.catalog.set(
          PDFName.of("AcroForm"),
          doc.context.obj({ Fields: [], XFA: doc.context.register(doc.context.flateStream("<xdp/>")) }),
        ),
    ],
    [
      "rich media three levels down",
      (doc: PDFDocument) =>
        (doc.getPage(0).node as PDFDict).set(
          PDFName.of("Resources2"),
          doc.context.obj({ A: { B: { C: { Subtype: "RichMedia" } } } }),
        ),
    ],
  ])("refuses %s", async (_name, change) => {
    expect(await problem(await crafted(change))).toBe("active-content");
  });

  it("refuses a polyglot: something else first, %PDF- later", async () => {
    const pdf = fixture("poa-valid-1page.pdf");
    expect(await problem(Buffer.concat([Buffer.from("GIF89a\x01\x00\x01\x00"), pdf]))).toBe("not-pdf");
  });
});
