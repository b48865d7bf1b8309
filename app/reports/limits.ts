// Size limit of a 4-ФСС file, shared by the server (multer, the reader) and the browser (FileField).
export const REPORT_MAX_BYTES = 5 * 1024 * 1024;
export const REPORT_TOO_LARGE = "Файл больше 5 МБ: это не похоже на отчёт 4-ФСС.";
