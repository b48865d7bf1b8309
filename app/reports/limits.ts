// Size limits of report files, shared by the server (multer, the readers) and the browser (the file field).
export const REPORT_MAX_BYTES = 5 * 1024 * 1024;
export const REPORT_TOO_LARGE = "Файл больше 5 МБ: это не похоже на отчёт ЕФС-1 или 4-ФСС.";

/** «Файлы отчётов»: up to this many files a submission, each XML up to 5 MB or a ZIP up to 20 MB. */
export const BATCH_MAX_FILES = 500;
export const BATCH_FILE_MAX_BYTES = 20 * 1024 * 1024;
export const BATCH_MAX_BODY_BYTES = 60 * 1024 * 1024;
export const BATCH_TOO_LARGE =
  "Файлы слишком велики: XML-отчёт — не более 5 МБ, архив ZIP — не более 20 МБ, всего за раз — не более 60 МБ и 500 файлов. Отправьте их частями.";
