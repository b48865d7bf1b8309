// An audit row can stand for several occurrences of the same event in one minute (bad API tokens from one
// address): counted atomically, so parallel requests never lose one.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("audit_events")
    .addColumn("occurrences", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("audit_events").dropColumn("occurrences").execute();
}
