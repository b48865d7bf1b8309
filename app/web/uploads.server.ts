// The multer layer for upload routes. Limits are enforced while the body streams: a declared length
// over the limit is refused before reading a byte, a body without a length is cut off past the limit.
// The result (fields, file, or the upload error) goes to the Remix action through the load context.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import multer from "multer";

export type UploadError = "too-large" | "too-many-files" | "malformed";

export interface UploadedFile {
  originalName: string;
  size: number;
  buffer: Buffer;
}

export interface UploadResult {
  fields: Record<string, string>;
  file: UploadedFile | null;
  error: UploadError | null;
}

/** Room for the form's other fields and the multipart boundaries around the file. */
const ENVELOPE_BYTES = 16 * 1024;

export function uploadRoute(paths: string[], fileField: string, maxFileBytes: number): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxFileBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
  }).single(fileField);
  const maxBody = maxFileBytes + ENVELOPE_BYTES;

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "POST" || !paths.includes(req.path)) return next();
    const done = (upload: UploadResult) => {
      res.locals.upload = upload;
      next();
    };
    if (!(req.headers["content-type"] ?? "").startsWith("multipart/form-data")) {
      return done({ fields: {}, file: null, error: "malformed" });
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBody) {
      // Never read it: answer and close the connection.
      res.setHeader("Connection", "close");
      return done({ fields: {}, file: null, error: "too-large" });
    }
    if (!req.headers["content-length"]) {
      let seen = 0;
      req.on("data", (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > maxBody) req.destroy(new Error("upload over the limit"));
      });
    }
    parse(req, res, (error: unknown) => {
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === "string") fields[k] = v;
      if (error) {
        const code = (error as { code?: string }).code;
        const kind: UploadError =
          code === "LIMIT_FILE_SIZE" ? "too-large" : code === "LIMIT_FILE_COUNT" || code === "LIMIT_UNEXPECTED_FILE" ? "too-many-files" : "malformed";
        if (kind === "too-large") res.setHeader("Connection", "close");
        return done({ fields, file: null, error: kind });
      }
      const f = req.file;
      done({ fields, file: f ? { originalName: f.originalname, size: f.size, buffer: f.buffer } : null, error: null });
    });
  };
}
