// Proxies reach the regional branch (ОСФР) of the insurer's subject: the first four digits of a ФСС registration
// number are a branch (филиал) inside the region, not an office of their own. Each organisation keeps those four
// digits as its subdivision and is moved, with its proxies and any operators, from a phantom office (one the
// registry import used to invent, such as «Территориальный орган 0274») to its region's branch; the phantoms go.
import { sql, type Kysely } from "kysely";
import { TERRITORIAL_BODIES, officeEmail, officeName } from "../seed/territorial-bodies";
import { branchOfRegion } from "../../app/organizations/branches";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("organizations").addColumn("subdivision_code", "varchar(4)").execute();
  await db
    .updateTable("organizations")
    .set({ subdivision_code: sql`substr(regnum, 1, 4)` })
    .execute();
  await db.schema
    .createIndex("organizations_subdivision_idx")
    .on("organizations")
    .columns(["territorial_body_code", "subdivision_code"])
    .execute();
  const real = TERRITORIAL_BODIES.map((b) => b.code);
  const phantoms = (
    await db.selectFrom("territorial_bodies").select("code").where("code", "not in", real).execute()
  ).map((r) => r.code as string);
  if (phantoms.length === 0) return;
  // The branches themselves are written by the seed on every start; make sure the ones needed exist now.
  const moves = phantoms
    .map((from) => ({ from, to: branchOfRegion(from.slice(0, 2)) }))
    .filter((m): m is { from: string; to: string } => m.to !== null);
  for (const code of new Set(moves.map((m) => m.to))) {
    const b = TERRITORIAL_BODIES.find((t) => t.code === code)!;
    await db
      .insertInto("territorial_bodies")
      .values({ code, name: officeName(b), region: b.region, email: officeEmail(code), time_zone: b.timeZone })
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
  }
  for (const { from, to } of moves) await moveOffice(db, from, to);
}

/** Moves an office's organisations, proxies and operators to another office, and removes the office. */
export async function moveOffice(db: Kysely<any>, from: string, to: string): Promise<void> {
  await db
    .updateTable("organizations")
    .set({ territorial_body_code: to })
    .where("territorial_body_code", "=", from)
    .execute();
  await db.updateTable("proxies").set({ office_code: to }).where("office_code", "=", from).execute();
  await db.updateTable("users").set({ territorial_body_code: to }).where("territorial_body_code", "=", from).execute();
  await db.deleteFrom("sla_digests").where("office_code", "=", from).execute();
  await db.deleteFrom("territorial_bodies").where("code", "=", from).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("organizations_subdivision_idx").ifExists().execute();
  await db.schema.alterTable("organizations").dropColumn("subdivision_code").execute();
}
