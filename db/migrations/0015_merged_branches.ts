// The fund runs one regional branch for г. Москва и Московская область, one for Санкт-Петербург и Ленинградская
// область and one for Архангельская область и Ненецкий автономный округ: the offices 5000, 4700 and 8300 that earlier
// versions seeded are merged into 7700, 7800 and 2900 with their organisations, proxies and operators. New branches
// (ДНР, ЛНР, Запорожская и Херсонская области) come from the seed. Operators may be limited to some subdivisions, and
// a proxy keeps the deadline a newly loaded calendar would give beside the one set, and the term last approved.
import type { Kysely } from "kysely";
import { TERRITORIAL_BODIES, officeEmail, officeName } from "../seed/territorial-bodies";
import { moveOffice } from "./0013_regional_branches";

const MERGED: Array<[from: string, to: string]> = [
  ["5000", "7700"],
  ["4700", "7800"],
  ["8300", "2900"],
];

export async function up(db: Kysely<any>): Promise<void> {
  // null: every subdivision of the branch; otherwise the four-digit codes joined by commas.
  await db.schema.alterTable("users").addColumn("subdivision_codes", "varchar(500)").execute();
  // A branch chooses one letter per new proxy or the morning digest only.
  await db.schema
    .alterTable("territorial_bodies")
    .addColumn("notify_mode", "varchar(10)", (c) => c.notNull().defaultTo("each"))
    .execute();
  // The approved term stays usable while a change of an approved proxy is in review.
  await db.schema.alterTable("proxies").addColumn("approved_valid_from", "varchar(10)").execute();
  await db.schema.alterTable("proxies").addColumn("approved_valid_to", "varchar(10)").execute();
  await db
    .updateTable("proxies")
    .set((eb) => ({ approved_valid_from: eb.ref("valid_from"), approved_valid_to: eb.ref("valid_to") }))
    .where("status", "=", "approved")
    .execute();
  // A calendar loaded later gives another deadline than the one set: kept beside it for the operators to see.
  await db.schema.alterTable("proxies").addColumn("calendar_due_at", "varchar(40)").execute();
  await db.schema.alterTable("proxies").addColumn("calendar_changed_at", "varchar(40)").execute();
  for (const [from, to] of MERGED) {
    const present = await db
      .selectFrom("territorial_bodies")
      .select("code")
      .where("code", "=", from)
      .executeTakeFirst();
    if (!present) continue;
    const b = TERRITORIAL_BODIES.find((t) => t.code === to)!;
    await db
      .insertInto("territorial_bodies")
      .values({ code: to, name: officeName(b), region: b.region, email: officeEmail(to), time_zone: b.timeZone })
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
    await db.updateTable("territorial_bodies").set({ region: b.region }).where("code", "=", to).execute();
    await moveOffice(db, from, to);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("proxies").dropColumn("calendar_changed_at").execute();
  await db.schema.alterTable("proxies").dropColumn("approved_valid_to").execute();
  await db.schema.alterTable("proxies").dropColumn("approved_valid_from").execute();
  await db.schema.alterTable("proxies").dropColumn("calendar_due_at").execute();
  await db.schema.alterTable("users").dropColumn("subdivision_codes").execute();
  await db.schema.alterTable("territorial_bodies").dropColumn("notify_mode").execute();
}
