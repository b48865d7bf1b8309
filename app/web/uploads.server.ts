// The multer layer for upload routes. Limits are enforced while the body streams: a declared length
// over the limit is refused before reading a byte, a body without a length is cut off past the limit.
// The result (fields, file, or the upload error) goes to the Remix action through the load context.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import crypto from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import multer from "multer";

export type UploadError = "too-large" | "too-many-files" | "malformed";

export interface UploadedFile {
  /** The form field it came in (routes with several file inputs tell them apart by it). */
  field: string;
  originalName: string;
  size: number;
  /** In memory for small files (certificates, lists) … */
  buffer?: Buffer;
  /** … or a temporary file beside the uploads folder, to be moved into place atomically. */
  path?: string;
}

export interface UploadResult {
  fields: Record<string, string>;
  /** The first (or only) file. */
  file: UploadedFile | null;
  /** Every file of the field, in the order sent (routes that take several). */
  files: UploadedFile[];
  error: UploadError | null;
}

/** An unknown sender's body up to this size is drained before the answer; a larger one is never read. */
const DRAIN_BYTES = 64 * 1024;

/** Room for the form's other fields and the multipart boundaries around the file. */
const ENVELOPE_BYTES = 16 * 1024;

export interface UploadRouteOptions {
  /** A file larger than IN_MEMORY_FILE_BYTES goes to a temporary file in this folder (same file system as the
   * uploads, to be moved into place) instead of memory. */
  tempDir?: string;
  /** Largest text field, e.g. a pasted list. */
  maxFieldBytes?: number;
  /** How many files the field takes (default 1); a batch route takes several. */
  maxFiles?: number;
  /** Further file inputs of the form, one file each (the МЧД and its signature). */
  extraFileFields?: string[];
  /** The whole body's limit when several files come at once (default: one file plus the fields). */
  maxBodyBytes?: number;
  /**
   * Whether the request may upload at all (signed in, a valid API token). When not, the body is never
   * read: the route's own guard answers (sign-in redirect, 401) and the connection is closed after it.
   */
  authorize?: (req: Request, res: Response) => boolean | Promise<boolean>;
}

/**
 * Answer now and close the connection a moment after it. What the client is still sending is read and dropped
 * meanwhile: closing with unread bytes resets the connection, and the client would lose the answer
 * (EPIPE/ECONNRESET instead of the 401 or 413).
 */
function closeAfterAnswer(req: Request, res: Response): void {
  // Not «Connection: close»: Node would then end the socket as soon as the answer is written, with the
  // client's bytes unread, and the kernel's reset can discard the answer before the client reads it.
  res.once("finish", () => {
    req.unpipe();
    req.resume();
    setTimeout(() => req.destroy(), 1000).unref();
  });
}

/** A file up to this size stays in memory; a larger one streams to a temporary file as it comes. */
export const IN_MEMORY_FILE_BYTES = 256 * 1024;
/** … while the request holds less than this in memory altogether (a batch of many small files). */
export const IN_MEMORY_REQUEST_BYTES = 8 * 1024 * 1024;

/**
 * Multer's storage for routes that may take large files: a small file (a report of a few dozen KiB, the usual
 * case) is kept in memory — no temporary file to write, move and remove for each — and a file that grows past
 * IN_MEMORY_FILE_BYTES, or past what the request may still hold, is written to a temporary file in `dir` from
 * then on, so memory stays bounded whatever is sent.
 */
export function spillingStorage(dir: string): multer.StorageEngine {
  const held = new WeakMap<object, number>();
  return {
    _handleFile(req, file, cb) {
      const chunks: Buffer[] = [];
      let size = 0;
      let out: WriteStream | null = null;
      let target: string | null = null;
      let settled = false;
      const settle = (error: Error | null, info?: Partial<Express.Multer.File>) => {
        if (settled) return;
        settled = true;
        if (error && target) void fs.rm(target, { force: true });
        cb(error, info);
      };
      const room = () => Math.min(IN_MEMORY_FILE_BYTES, IN_MEMORY_REQUEST_BYTES - (held.get(req) ?? 0));
      file.stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (!out) {
          chunks.push(chunk);
          if (size <= room()) return;
          target = path.join(dir, crypto.randomBytes(16).toString("hex"));
          out = createWriteStream(target, { flags: "wx" });
          out.on("error", (error) => settle(error));
          chunk = Buffer.concat(chunks.splice(0));
        }
        if (!out.write(chunk)) {
          file.stream.pause();
          out.once("drain", () => file.stream.resume());
        }
      });
      file.stream.on("error", (error: Error) => {
        out?.destroy();
        settle(error);
      });
      file.stream.on("end", () => {
        if (out && target) {
          const written = target;
          out.end(() => settle(null, { path: written, size, destination: dir }));
          return;
        }
        held.set(req, (held.get(req) ?? 0) + size);
        settle(null, { buffer: Buffer.concat(chunks, size), size });
      });
    },
    _removeFile(_req, file, cb) {
      if (file.path) {
        fs.rm(file.path, { force: true }).then(() => cb(null), cb);
        return;
      }
      (file as { buffer?: Buffer }).buffer = undefined;
      cb(null);
    },
  };
}

function received(req: Request): Express.Multer.File[] {
  if (Array.isArray(req.files)) return req.files;
  if (req.files) return Object.values(req.files).flat();
  return req.file ? [req.file] : [];
}

export function uploadRoute(
  route: RegExp,
  fileField: string,
  maxFileBytes: number,
  options: UploadRouteOptions = {},
): RequestHandler {
  const extra = options.extraFileFields ?? [];
  const maxFiles = (options.maxFiles ?? 1) + extra.length;
  const upload = multer({
    storage: options.tempDir ? spillingStorage(options.tempDir) : multer.memoryStorage(),
    // Browsers send Cyrillic file names as UTF-8.
    defParamCharset: "utf8",
    limits: {
      fileSize: maxFileBytes,
      files: maxFiles,
      fields: 10,
      fieldSize: options.maxFieldBytes ?? 4096,
      parts: maxFiles + 11,
    },
  });
  const parse = extra.length
    ? upload.fields([
        { name: fileField, maxCount: options.maxFiles ?? 1 },
        ...extra.map((name) => ({ name, maxCount: 1 })),
      ])
    : maxFiles > 1
      ? upload.array(fileField, maxFiles)
      : upload.single(fileField);
  const maxBody = options.maxBodyBytes ?? maxFileBytes + (options.maxFieldBytes ?? 0) + ENVELOPE_BYTES;

  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "POST" || !route.test(req.path)) return next();
    let answered = false;
    const done = (upload: UploadResult) => {
      if (answered) return;
      answered = true;
      res.locals.upload = upload;
      next();
    };
    try {
      if (options.authorize && !(await options.authorize(req, res))) {
        const refused = { fields: {}, file: null, files: [], error: null };
        const declared = Number(req.headers["content-length"]);
        if (req.headers["content-length"] && Number.isFinite(declared) && declared <= DRAIN_BYTES) {
          // A small body is read and dropped, so the client gets the answer (302, 401), not a reset.
          req.resume();
          req.once("end", () => done(refused));
          req.once("error", () => done(refused));
          return;
        }
        // A large or unmeasured body is not read: answer and close the connection.
        closeAfterAnswer(req, res);
        return done(refused);
      }
    } catch (error) {
      return next(error);
    }
    if (!(req.headers["content-type"] ?? "").startsWith("multipart/form-data")) {
      return done({ fields: {}, file: null, files: [], error: "malformed" });
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBody) {
      // Never read it: answer, and tell the client the connection ends with the answer (it declared the size,
      // so it knows the body was not taken).
      res.setHeader("Connection", "close");
      closeAfterAnswer(req, res);
      return done({ fields: {}, file: null, files: [], error: "too-large" });
    }
    if (!req.headers["content-length"]) {
      // A body without a declared length (chunked) is counted as it comes; past the limit it is no longer
      // read: the route answers 413 and the connection is closed once the answer is out.
      let seen = 0;
      const count = (chunk: Buffer) => {
        seen += chunk.length;
        if (seen <= maxBody) return;
        req.off("data", count);
        req.unpipe();
        req.pause();
        closeAfterAnswer(req, res);
        done({ fields: {}, file: null, files: [], error: "too-large" });
      };
      req.on("data", count);
    }
    parse(req, res, (error: unknown) => {
      // Already answered (an over-limit chunked body): whatever multer says afterwards is of no use.
      if (answered) return;
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
        if (kind === "too-large") closeAfterAnswer(req, res);
        for (const f of received(req)) if (f.path) void fs.rm(f.path, { force: true });
        return done({ fields, file: null, files: [], error: kind });
      }
      const files = received(req).map((f) => ({
        field: f.fieldname,
        originalName: f.originalname,
        size: f.size,
        buffer: f.buffer,
        path: f.path,
      }));
      // A temporary file nobody moved into place is removed once the response is sent.
      for (const { path } of files) if (path) res.on("finish", () => void fs.rm(path, { force: true }));
      done({ fields, file: files[0] ?? null, files, error: null });
    });
  };
}
