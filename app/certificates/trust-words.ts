// What the trust list's import says about each line, and its size limit: shared by the server, the CLI and the
// admin page (which renders them in the browser too, so this module is not *.server).
export type LineOutcome = "added" | "kept" | "updated" | "removed" | "restored" | "refused";

export const OUTCOME_WORDS: Record<LineOutcome, string> = {
  added: "добавлен",
  kept: "уже есть",
  updated: "обновлён",
  removed: "исключён",
  restored: "возвращён в список",
  refused: "отказ",
};

export const TRUST_FILE_MAX_BYTES = 128 * 1024 * 1024;
export const TRUST_UPLOAD_MAX_FILES = 50;
