// The reports' side of a request: the intake context, and the upload of «Файлы отчётов» turned into a
// batch and its result lines — one path for the page's form and for its script's /reports/send.
import { readUpload, UploadRefused, UPLOADS } from "../web/upload-routes.server";
import type { AppContext } from "../web/context.server";
import { submitReports, type IntakeContext } from "./intake.server";
import { resultLines, type ResultLine } from "./results";

export function intakeOf(context: AppContext): IntakeContext {
  return {
    db: context.db,
    dbKind: context.dbKind,
    clock: context.clock,
    uploadsDir: context.config.uploadsDir,
    appUrl: context.config.appUrl,
    ip: context.ip,
  };
}

export interface SentFiles {
  status: 200 | 400 | 413 | 422;
  error: string | null;
  lines: ResultLine[] | null;
}

/** Sends every file of the upload (XML or ZIP); 200 when at least one report was accepted, else 422. */
export async function sendUploadedReports(context: AppContext, representativeId: number): Promise<SentFiles> {
  let upload;
  try {
    // The form and its script's /reports/send are declared alike: one spec reads both.
    upload = readUpload(context, UPLOADS.reports);
  } catch (error) {
    if (error instanceof UploadRefused) return { status: error.status, error: error.message, lines: null };
    throw error;
  }
  const organizationId = /^\d{1,9}$/.test(upload.fields.organization ?? "")
    ? Number(upload.fields.organization)
    : undefined;
  const rows = await submitReports(
    intakeOf(context),
    representativeId,
    upload.files.map((f) => ({
      name: f.originalName,
      content: f.path ? { path: f.path, size: f.size } : { bytes: f.buffer ?? Buffer.alloc(0) },
    })),
    { organizationId, via: "web" },
  );
  const lines = resultLines(rows);
  const anyAccepted = lines.some((l) => l.outcome === "accepted" || l.outcome === "duplicate");
  return { status: anyAccepted ? 200 : 422, error: null, lines };
}
