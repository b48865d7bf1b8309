// Machine-readable powers of attorney (МЧД): a proxy's document is a PDF scan or an МЧД (its XML is the proxy's
// document file, its detached signature a second file); what was read from it is kept for the operator's card,
// and the check in the ФНС register (by the operator, or automatically where the portal can reach it).
import type { Kysely } from "kysely";

const COLUMNS = [
  ["poa_kind", "varchar(10)"],
  ["mchd_number", "varchar(36)"],
  ["mchd", "text"],
  ["mchd_signature_file_id", "integer"],
  ["registry_checked_at", "varchar(30)"],
  ["registry_checked_by", "integer"],
  ["registry_status", "varchar(20)"],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type] of COLUMNS) await db.schema.alterTable("proxies").addColumn(name, type).execute();
  await db.updateTable("proxies").set({ poa_kind: "pdf" }).where("poa_file_id", "is not", null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of COLUMNS) await db.schema.alterTable("proxies").dropColumn(name).execute();
}
