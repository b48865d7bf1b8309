// Accounts, e-mail tokens, sessions, the mail outbox, the audit journal and rate-limit hits.
import { sql, type Kysely } from "kysely";
import { idColumn } from "./helpers";

export async function up(db: Kysely<any>): Promise<void> {
  await idColumn(db, db.schema.createTable("users"))
    .addColumn("role", "varchar(20)", (c) => c.notNull())
    .addColumn("surname", "varchar(100)", (c) => c.notNull())
    .addColumn("given_name", "varchar(100)", (c) => c.notNull())
    .addColumn("patronymic", "varchar(100)", (c) => c.notNull().defaultTo(""))
    .addColumn("email", "varchar(254)", (c) => c.notNull().unique())
    .addColumn("password_hash", "varchar(255)", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("territorial_body_code", "varchar(10)")
    .addColumn("failed_login_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", "varchar(30)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("confirmed_at", "varchar(30)")
    .addColumn("password_changed_at", "varchar(30)")
    .execute();

  await idColumn(db, db.schema.createTable("email_tokens"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "varchar(20)", (c) => c.notNull())
    .addColumn("token_hash", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .addColumn("used_at", "varchar(30)")
    .execute();
  await db.schema.createIndex("email_tokens_user_idx").on("email_tokens").columns(["user_id", "purpose"]).execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "varchar(64)", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("last_seen_at", "varchar(30)", (c) => c.notNull())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .addColumn("ip", "varchar(64)")
    .addColumn("user_agent", "varchar(400)")
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

  await idColumn(db, db.schema.createTable("outbox"))
    .addColumn("recipient", "varchar(254)", (c) => c.notNull())
    .addColumn("subject", "varchar(300)", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text", (c) => c.notNull())
    .addColumn("purpose", "varchar(40)", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "varchar(30)", (c) => c.notNull())
    .addColumn("claimed_until", "varchar(30)")
    .addColumn("last_error", "varchar(1000)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("sent_at", "varchar(30)")
    .execute();
  await db.schema.createIndex("outbox_due_idx").on("outbox").columns(["status", "next_attempt_at"]).execute();

  await idColumn(db, db.schema.createTable("audit_events"))
    .addColumn("at", "varchar(30)", (c) => c.notNull())
    .addColumn("actor_id", "integer")
    .addColumn("action", "varchar(60)", (c) => c.notNull())
    .addColumn("subject_type", "varchar(40)")
    .addColumn("subject_id", "varchar(64)")
    .addColumn("ip", "varchar(64)")
    .addColumn("details", "text")
    .execute();
  await db.schema
    .createIndex("audit_events_subject_idx")
    .on("audit_events")
    .columns(["subject_type", "subject_id"])
    .execute();
  await db.schema.createIndex("audit_events_actor_idx").on("audit_events").columns(["actor_id", "at"]).execute();

  await idColumn(db, db.schema.createTable("rate_limit_hits"))
    .addColumn("bucket", "varchar(300)", (c) => c.notNull())
    .addColumn("at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rate_limit_hits_idx").on("rate_limit_hits").columns(["bucket", "at"]).execute();
  void sql;
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["rate_limit_hits", "audit_events", "outbox", "sessions", "email_tokens", "users"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
