// Every upload the portal takes, declared once: the path (the page and its single-fetch data URL), the file
// field, the limits, who may send, whether the file goes to a temporary file, and what to say when it goes
// wrong. server.ts mounts the multer layer from this table; a route reads its upload with readUpload(), which
// turns every upload error into one UploadRefused that knows its status and its Russian message.
import { CERTIFICATE_MAX_BYTES } from "../certificates/acceptance.server";
import { TRUST_FILE_MAX_BYTES, TRUST_UPLOAD_MAX_FILES } from "../certificates/trust-words";
import { POA_MAX_BYTES, POA_MESSAGES } from "../proxies/poa-file.server";
import { MCHD_MAX_BYTES } from "../proxies/mchd-words";
import {
  BATCH_FILE_MAX_BYTES,
  BATCH_MAX_BODY_BYTES,
  BATCH_MAX_FILES,
  BATCH_TOO_LARGE,
  REPORT_MAX_BYTES,
  REPORT_TOO_LARGE,
} from "../reports/limits";
import type { AppContext } from "./context.server";
import { assertFormToken } from "./forms.server";
import type { UploadedFile } from "./uploads.server";

export interface UploadSpec {
  route: RegExp;
  field: string;
  maxFileBytes: number;
  /** A session (pages) or an API token (the API) must be known before a byte of the body is read. */
  sender: "session" | "token";
  /** Only a session of this role may send (its body is never read for anyone else). */
  role?: "admin";
  maxFiles?: number;
  /** Further file inputs, one file each. */
  extraFileFields?: string[];
  maxBodyBytes?: number;
  maxFieldBytes?: number;
  /** A file over IN_MEMORY_FILE_BYTES streams to a temporary file beside the uploads (to be moved into place)
   * instead of memory. */
  toTempFile?: boolean;
  /** Whether a submission without a file is refused (a pasted list needs none). */
  fileRequired: boolean;
  messages: { incomplete: string; tooLarge: string; tooMany: string; missing: string };
}

const reportsPage = (route: RegExp): UploadSpec => ({
  route,
  field: "reports",
  maxFileBytes: BATCH_FILE_MAX_BYTES,
  maxFiles: BATCH_MAX_FILES,
  maxBodyBytes: BATCH_MAX_BODY_BYTES,
  sender: "session",
  // Streamed to temporary files: the reader's worker reads them itself, and an accepted one is moved into place.
  toTempFile: true,
  fileRequired: true,
  messages: {
    incomplete: "Форма отправлена не полностью. Обновите страницу и повторите.",
    tooLarge: BATCH_TOO_LARGE,
    tooMany: `За один раз принимается не более ${BATCH_MAX_FILES} файлов: отправьте их частями.`,
    missing: "Выберите файлы отчётов (XML) или архив ZIP.",
  },
});

export type UploadName =
  "certificate" | "poa" | "poaBatch" | "bulkList" | "reports" | "reportsScript" | "apiReport" | "trustFiles" | "mchd";

/** «Загрузить доверенности пакетом»: PDFs of at most 2 MiB each, or ZIP archives of them. */
export const POA_BATCH_MAX_FILES = 200;
export const POA_BATCH_MAX_FILE_BYTES = 50 * 1024 * 1024;
export const POA_BATCH_MAX_BODY_BYTES = 100 * 1024 * 1024;

export const UPLOADS: Record<UploadName, UploadSpec> = {
  certificate: {
    route: /^\/profile\/representative(\.data)?$/,
    field: "certificate",
    maxFileBytes: CERTIFICATE_MAX_BYTES,
    sender: "session",
    fileRequired: true,
    messages: {
      incomplete: "Форма отправлена не полностью. Выберите файл сертификата и повторите.",
      tooLarge: "Файл больше 64 КБ — это не файл сертификата. Выберите файл .cer.",
      tooMany: "Выберите один файл сертификата.",
      missing: "Выберите файл сертификата (.cer).",
    },
  },
  poa: {
    route: /^\/profile\/representative\/proxies\/\d+\/poa(\.data)?$/,
    field: "poa",
    maxFileBytes: POA_MAX_BYTES,
    sender: "session",
    toTempFile: true,
    fileRequired: true,
    messages: {
      incomplete: "Форма отправлена не полностью. Выберите файл и повторите.",
      tooLarge: POA_MESSAGES["too-large"],
      tooMany: "Выберите один файл.",
      missing: "Выберите файл доверенности (PDF).",
    },
  },
  poaBatch: {
    route: /^\/profile\/representative\/poa-batch(\.data)?$/,
    field: "files",
    maxFileBytes: POA_BATCH_MAX_FILE_BYTES,
    maxFiles: POA_BATCH_MAX_FILES,
    maxBodyBytes: POA_BATCH_MAX_BODY_BYTES,
    sender: "session",
    toTempFile: true,
    fileRequired: true,
    messages: {
      incomplete: "Форма отправлена не полностью. Выберите файлы и повторите.",
      tooLarge: "Пакет больше 100 МБ (или архив больше 50 МБ): отправьте его частями.",
      tooMany: `За один раз принимается не более ${POA_BATCH_MAX_FILES} файлов: отправьте их частями или одним архивом ZIP.`,
      missing: "Выберите файлы доверенностей (PDF) или архив ZIP.",
    },
  },
  bulkList: {
    route: /^\/profile\/representative\/bulk(\.data)?$/,
    field: "listFile",
    maxFileBytes: 1024 * 1024,
    maxFieldBytes: 256 * 1024,
    sender: "session",
    fileRequired: false,
    messages: {
      incomplete: "Форма отправлена не полностью. Повторите.",
      tooLarge: "Файл списка больше 1 МБ. Разделите список на части.",
      tooMany: "Выберите один файл со списком.",
      missing: "Вставьте список или выберите файл.",
    },
  },
  // «Файлы отчётов»: several XML files or ZIP archives; the page's script sends them one by one to /reports/send.
  reports: reportsPage(/^\/reports(\.data)?$/),
  reportsScript: reportsPage(/^\/reports\/send$/),
  // «Удостоверяющие центры»: the Минцифры list (tens of MB), CA certificates and CRLs; administrators only.
  trustFiles: {
    route: /^\/admin\/certification-authorities(\.data)?$/,
    field: "files",
    maxFileBytes: TRUST_FILE_MAX_BYTES,
    maxFiles: TRUST_UPLOAD_MAX_FILES,
    maxBodyBytes: TRUST_FILE_MAX_BYTES + 8 * 1024 * 1024,
    sender: "session",
    role: "admin",
    toTempFile: true,
    // The same form takes «Исключить» (no file); the route asks for files when importing.
    fileRequired: false,
    messages: {
      incomplete: "Форма отправлена не полностью. Выберите файлы и повторите.",
      tooLarge: `Файлы больше ${TRUST_FILE_MAX_BYTES / 1024 / 1024} МБ не принимаются: список УЦ Минцифры меньше.`,
      tooMany: `За один раз принимается не более ${TRUST_UPLOAD_MAX_FILES} файлов.`,
      missing: "Выберите файлы: список УЦ (XML), сертификаты УЦ (.cer, .pem) или списки отзыва (.crl).",
    },
  },
  // «Загрузить МЧД»: the XML and its detached signature, two inputs of one form.
  mchd: {
    route: /^\/profile\/representative\/proxies\/\d+\/mchd(\.data)?$/,
    field: "mchd",
    extraFileFields: ["signature"],
    maxFileBytes: MCHD_MAX_BYTES,
    sender: "session",
    fileRequired: true,
    messages: {
      incomplete: "Форма отправлена не полностью. Выберите файлы и повторите.",
      tooLarge: "Файл МЧД больше 1 МБ, а файл подписи — больше 256 КБ не бывает: проверьте, те ли файлы выбраны.",
      tooMany: "Выберите один файл МЧД и один файл подписи.",
      missing: "Выберите файл МЧД (XML) и файл подписи (.sig).",
    },
  },
  apiReport: {
    route: /^\/api\/v1\/reports$/,
    field: "report",
    maxFileBytes: REPORT_MAX_BYTES,
    sender: "token",
    toTempFile: true,
    fileRequired: true,
    messages: {
      incomplete: "Ожидается multipart/form-data с файлом отчёта в поле report.",
      tooLarge: REPORT_TOO_LARGE,
      tooMany: "Передайте один файл в поле report.",
      missing: "Нет файла отчёта в поле report.",
    },
  },
};

/** An upload that cannot be used, with the answer it gets. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413 | 422,
    message: string,
    readonly reason: "incomplete" | "too-large" | "too-many" | "missing",
  ) {
    super(message);
    this.name = "UploadRefused";
  }
}

export interface ReadUpload {
  fields: Record<string, string>;
  file: UploadedFile | null;
  files: UploadedFile[];
}

/**
 * The route's upload, with the form's CSRF token checked for pages. An oversized body was never read, so it is
 * refused before the token is looked at (there is none to look at). Throws UploadRefused.
 */
export function readUpload(context: AppContext, spec: UploadSpec): ReadUpload {
  const upload = context.upload;
  const api = spec.sender === "token";
  if (!upload || upload.error === "malformed") throw new UploadRefused(400, spec.messages.incomplete, "incomplete");
  if (upload.error === "too-large") throw new UploadRefused(413, spec.messages.tooLarge, "too-large");
  if (!api) assertFormToken(upload.fields.csrf, context);
  if (upload.error === "too-many-files") {
    throw new UploadRefused(
      api ? 400 : spec.maxFiles && spec.maxFiles > 1 ? 413 : 422,
      spec.messages.tooMany,
      "too-many",
    );
  }
  if (spec.fileRequired && !upload.files.length) {
    throw new UploadRefused(api ? 400 : 422, spec.messages.missing, "missing");
  }
  return { fields: upload.fields, file: upload.file, files: upload.files };
}
