// Qualified means chained to an accredited CA: the trust list (CA certificates from the Минцифры list or from
// files), the revocation lists read from them, and on each representative's certificate the chain it was
// accepted with and whether it has since been revoked or lost its CA.
import type { Kysely } from "kysely";
import { idColumn, isPostgres } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  const blob = isPostgres(db) ? "bytea" : "blob";
  await idColumn(db, db.schema.createTable("trusted_cas"))
    .addColumn("sha1", "varchar(40)", (c) => c.notNull().unique())
    .addColumn("sha256", "varchar(64)", (c) => c.notNull())
    .addColumn("subject_hash", "varchar(64)", (c) => c.notNull())
    .addColumn("issuer_hash", "varchar(64)", (c) => c.notNull())
    .addColumn("subject_key_id", "varchar(128)")
    .addColumn("authority_key_id", "varchar(128)")
    .addColumn("serial", "varchar(128)", (c) => c.notNull())
    .addColumn("name", "varchar(500)", (c) => c.notNull())
    .addColumn("subject", "varchar(2000)", (c) => c.notNull())
    .addColumn("organization", "varchar(1000)")
    .addColumn("self_signed", "integer", (c) => c.notNull())
    .addColumn("not_before", "varchar(30)", (c) => c.notNull())
    .addColumn("not_after", "varchar(30)", (c) => c.notNull())
    .addColumn("algorithm", "varchar(20)", (c) => c.notNull())
    .addColumn("der", blob, (c) => c.notNull())
    .addColumn("crl_urls", "text", (c) => c.notNull())
    .addColumn("source", "varchar(10)", (c) => c.notNull())
    .addColumn("source_name", "varchar(500)", (c) => c.notNull())
    .addColumn("test", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "varchar(10)", (c) => c.notNull())
    .addColumn("removed_reason", "varchar(500)")
    .addColumn("added_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("removed_at", "varchar(30)")
    .execute();
  await db.schema.createIndex("trusted_cas_subject_idx").on("trusted_cas").column("subject_hash").execute();

  await idColumn(db, db.schema.createTable("trust_imports"))
    .addColumn("kind", "varchar(10)", (c) => c.notNull())
    .addColumn("file_name", "varchar(500)", (c) => c.notNull())
    .addColumn("sha256", "varchar(64)", (c) => c.notNull())
    .addColumn("version", "integer")
    .addColumn("published_at", "varchar(40)")
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("actor_id", "integer")
    .addColumn("imported_at", "varchar(30)", (c) => c.notNull())
    .execute();

  await idColumn(db, db.schema.createTable("crls"))
    .addColumn("issuer_hash", "varchar(64)", (c) => c.notNull())
    .addColumn("authority_key_id", "varchar(128)")
    .addColumn("issuer_name", "varchar(500)", (c) => c.notNull())
    .addColumn("number", "varchar(100)")
    .addColumn("this_update", "varchar(30)", (c) => c.notNull())
    .addColumn("next_update", "varchar(30)")
    .addColumn("entries", "integer", (c) => c.notNull())
    .addColumn("sha256", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("source", "varchar(2000)", (c) => c.notNull())
    .addColumn("imported_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("crls_issuer_idx").on("crls").columns(["issuer_hash", "this_update"]).execute();

  await db.schema
    .createTable("revoked_serials")
    .addColumn("issuer_hash", "varchar(64)", (c) => c.notNull())
    .addColumn("serial", "varchar(128)", (c) => c.notNull())
    .addColumn("revoked_at", "varchar(30)", (c) => c.notNull())
    .addColumn("reason", "varchar(40)")
    .addColumn("crl_id", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("revoked_serials_pk", ["issuer_hash", "serial"])
    .execute();

  await db.schema
    .createTable("crl_sources")
    .addColumn("url", "varchar(2000)", (c) => c.primaryKey())
    .addColumn("last_attempt_at", "varchar(30)")
    .addColumn("last_success_at", "varchar(30)")
    .addColumn("last_error", "varchar(1000)")
    .execute();

  for (const [name, type] of [
    ["chain", "text"],
    ["verified_at", "varchar(30)"],
    ["issuer_hash", "varchar(64)"],
    ["crl_urls", "text"],
    ["revoked_at", "varchar(30)"],
    ["revocation_reason", "varchar(40)"],
    ["distrusted_at", "varchar(30)"],
    ["distrust_reason", "varchar(1000)"],
    ["trust_notified_at", "varchar(30)"],
  ] as const) {
    await db.schema.alterTable("certificates").addColumn(name, type).execute();
  }
  await db.schema
    .createIndex("certificates_issuer_idx")
    .on("certificates")
    .columns(["issuer_hash", "serial"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("certificates_issuer_idx").ifExists().execute();
  for (const name of [
    "chain",
    "verified_at",
    "issuer_hash",
    "crl_urls",
    "revoked_at",
    "revocation_reason",
    "distrusted_at",
    "distrust_reason",
    "trust_notified_at",
  ]) {
    await db.schema.alterTable("certificates").dropColumn(name).execute();
  }
  for (const table of ["crl_sources", "revoked_serials", "crls", "trust_imports", "trusted_cas"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
