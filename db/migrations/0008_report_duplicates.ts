// One accepted submission per representative, organisation and file content: the same file sent again
// (a double click, accounting software retrying after a timeout) gets the first receipt back instead of a
// second acceptance. The index also settles two identical submissions racing each other.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("report_submissions_accepted_file_unique")
    .on("report_submissions")
    .columns(["representative_id", "organization_id", "sha256"])
    .unique()
    .where(sql.ref("status"), "=", "accepted")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("report_submissions_accepted_file_unique").ifExists().execute();
}
