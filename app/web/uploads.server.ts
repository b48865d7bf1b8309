// The multer layer for upload routes. Limits are enforced while the body streams: a declared length
// over the limit is refused before reading a byte, a body without a length is cut off past the limit.
// The result (fields, file, or the upload error) goes to the Remix action through the load context.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import fs from "node:fs/promises";
import multer from "multer";

export type UploadError = "too-large" | "too-many-files" | "malformed";

export interface UploadedFile {
  originalName: string;
  size: number;
  /** In memory for small files (certificates, lists) … */
  buffer?: Buffer;
  /** … or a temporary file beside the uploads folder, to be moved into place atomically. */
  path?: string;
}

export interface UploadResult {
  fields: Record<string, string>;
  file: UploadedFile | null;
  error: UploadError | null;
}

/** Room for the form's other fields and the multipart boundaries around the file. */
const ENVELOPE_BYTES = 16 * 1024;

export interface UploadRouteOptions {
  /** Store the file in this folder (same file system as the uploads) instead of memory. */
  tempDir?: string;
  /** Largest text field, e.g. a pasted list. */
  maxFieldBytes?: number;
  /**
   * Whether the request may upload at all (signed in, a valid API token). When not, the body is never
   * read: the route's own guard answers (sign-in redirect, 401) and the connection is closed after it.
   */
  authorize?: (req: Request, res: Response) => boolean | Promise<boolean>;
}

export function uploadRoute(
  route: RegExp,
  fileField: string,
  maxFileBytes: number,
  options: UploadRouteOptions = {},
): RequestHandler {
  const parse = multer({
    storage: options.tempDir ? multer.diskStorage({ destination: options.tempDir }) : multer.memoryStorage(),
    // Browsers send Cyrillic file names as UTF-8.
    defParamCharset: "utf8",
    limits: { fileSize: maxFileBytes, files: 1, fields: 10, fieldSize: options.maxFieldBytes ?? 4096, parts: 12 },
  }).single(fileField);
  const maxBody = maxFileBytes + (options.maxFieldBytes ?? 0) + ENVELOPE_BYTES;

  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "POST" || !route.test(req.path)) return next();
    const done = (upload: UploadResult) => {
      res.locals.upload = upload;
      next();
    };
    try {
      if (options.authorize && !(await options.authorize(req, res))) {
        res.setHeader("Connection", "close");
        return done({ fields: {}, file: null, error: null });
      }
    } catch (error) {
      return next(error);
    }
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
      for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>))
        if (typeof v === "string") fields[k] = v;
      if (error) {
        const code = (error as { code?: string }).code;
        const kind: UploadError =
          code === "LIMIT_FILE_SIZE"
            ? "too-large"
            : code === "LIMIT_FILE_COUNT" || code === "LIMIT_UNEXPECTED_FILE"
              ? "too-many-files"
              : "malformed";
        if (kind === "too-large") res.setHeader("Connection", "close");
        if (req.file?.path) void fs.rm(req.file.path, { force: true });
        return done({ fields, file: null, error: kind });
      }
      const f = req.file;
      // A temporary file nobody moved into place is removed once the response is sent.
      if (f?.path) res.on("finish", () => void fs.rm(f.path, { force: true }));
      done({
        fields,
        file: f ? { originalName: f.originalname, size: f.size, buffer: f.buffer, path: f.path } : null,
        error: null,
      });
    });
  };
}
