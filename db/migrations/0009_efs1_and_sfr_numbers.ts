// ЕФС-1 beside 4-ФСС: an organisation keeps both numbers (the 10-digit ФСС number and the 12-digit СФР
// number, digits only), and a submission records its form, the СФР number the file gave, the correction
// number, the filling date, the parts it carries and the rule that refused it. Existing submissions are 4-ФСС.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("organizations").addColumn("sfr_regnum", "varchar(12)").execute();
  await db.schema
    .createIndex("organizations_sfr_regnum_unique")
    .on("organizations")
    .column("sfr_regnum")
    .unique()
    .execute();
  for (const [name, type] of [
    ["form", "varchar(10)"],
    ["sfr_regnum", "varchar(12)"],
    ["filled_on", "varchar(10)"],
    ["parts", "varchar(500)"],
    ["refusal_rule", "varchar(40)"],
  ] as const) {
    await db.schema.alterTable("report_submissions").addColumn(name, type).execute();
  }
  await db.schema
    .alterTable("report_submissions")
    .addColumn("correction", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.updateTable("report_submissions").set({ form: "4-FSS" }).execute();
  // The summary and the correction rule read a representative's (or an organisation's) submissions by period.
  await db.schema
    .createIndex("report_submissions_period_idx")
    .on("report_submissions")
    .columns(["representative_id", "year", "period", "organization_id"])
    .execute();
  await db.schema
    .createIndex("report_submissions_org_period_idx")
    .on("report_submissions")
    .columns(["organization_id", "form", "year", "period"])
    .where(sql.ref("status"), "=", "accepted")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("report_submissions_org_period_idx").ifExists().execute();
  await db.schema.dropIndex("report_submissions_period_idx").ifExists().execute();
  for (const name of ["correction", "refusal_rule", "parts", "filled_on", "sfr_regnum", "form"]) {
    await db.schema.alterTable("report_submissions").dropColumn(name).execute();
  }
  await db.schema.dropIndex("organizations_sfr_regnum_unique").ifExists().execute();
  await db.schema.alterTable("organizations").dropColumn("sfr_regnum").execute();
}
