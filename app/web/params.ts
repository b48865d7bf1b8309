// Numbers from the URL, validated once: a record id must be a positive integer that fits the database's
// integer column (PostgreSQL refuses 2³¹ and above with an error, not an empty result), a page number a small
// positive integer (`?page=1e300` is not one). Out of range means «not found» or «the first page», never a 500.
// Shared by the server and the browser.
export const MAX_RECORD_ID = 2_147_483_647;

/** The id of a record, or 0 — an id no record has, so the route answers as for any unknown one (404). */
export function idParam(raw: string | null | undefined): number {
  if (!raw || !/^[1-9]\d{0,9}$/.test(raw)) return 0;
  const id = Number(raw);
  return id <= MAX_RECORD_ID ? id : 0;
}

/** A page number: 1 when absent or not a positive integer of at most six digits. */
export function pageParam(raw: string | null | undefined): number {
  return raw && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}
