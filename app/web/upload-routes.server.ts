// Every upload the portal takes, declared once: the path (the page and its single-fetch data URL), the
// file field, the limits, who may send and whether the file goes to a temporary file. server.ts mounts
// the multer layer from this table; the routes read the result from context.upload.
import { CERTIFICATE_MAX_BYTES } from "../certificates/acceptance.server";
import { POA_MAX_BYTES } from "../proxies/poa-file.server";
import { BATCH_MAX_BODY_BYTES, BATCH_MAX_FILES, BATCH_FILE_MAX_BYTES, REPORT_MAX_BYTES } from "../reports/limits";

export interface UploadSpec {
  route: RegExp;
  field: string;
  maxFileBytes: number;
  /** A session (pages) or an API token (the API) must be known before a byte of the body is read. */
  sender: "session" | "token";
  maxFiles?: number;
  maxBodyBytes?: number;
  maxFieldBytes?: number;
  /** Stream to a temporary file beside the uploads (to be moved into place) instead of memory. */
  toTempFile?: boolean;
}

export const UPLOADS: UploadSpec[] = [
  {
    route: /^\/profile\/representative(\.data)?$/,
    field: "certificate",
    maxFileBytes: CERTIFICATE_MAX_BYTES,
    sender: "session",
  },
  {
    route: /^\/profile\/representative\/proxies\/\d+\/poa(\.data)?$/,
    field: "poa",
    maxFileBytes: POA_MAX_BYTES,
    sender: "session",
    toTempFile: true,
  },
  {
    route: /^\/profile\/representative\/bulk(\.data)?$/,
    field: "listFile",
    maxFileBytes: 1024 * 1024,
    maxFieldBytes: 256 * 1024,
    sender: "session",
  },
  // «Файлы отчётов»: several XML files or ZIP archives; the page's script sends them one by one to /reports/send.
  ...[/^\/reports(\.data)?$/, /^\/reports\/send$/].map((route) => ({
    route,
    field: "reports",
    maxFileBytes: BATCH_FILE_MAX_BYTES,
    maxFiles: BATCH_MAX_FILES,
    maxBodyBytes: BATCH_MAX_BODY_BYTES,
    sender: "session" as const,
  })),
  { route: /^\/api\/v1\/reports$/, field: "report", maxFileBytes: REPORT_MAX_BYTES, sender: "token" },
];
