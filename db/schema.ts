// The Database interface: one type a table, as the migrations create them.
// Timestamps are ISO-8601 UTC strings; calendar dates are YYYY-MM-DD strings.
import type { Generated } from "kysely";

export type Role = "representative" | "operator" | "admin";
export type UserStatus = "unconfirmed" | "active" | "locked";
export type TokenPurpose = "confirm" | "reset" | "invite";
export type OutboxStatus = "pending" | "sending" | "sent" | "failed";

export interface UsersTable {
  id: Generated<number>;
  role: Role;
  surname: string;
  given_name: string;
  patronymic: string;
  email: string;
  password_hash: string;
  status: UserStatus;
  territorial_body_code: string | null;
  /** An operator limited to some subdivisions of the branch: their four-digit codes joined by commas; null = all. */
  subdivision_codes: string | null;
  failed_login_count: Generated<number>;
  locked_until: string | null;
  created_at: string;
  confirmed_at: string | null;
  password_changed_at: string | null;
}

export interface EmailTokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: TokenPurpose;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's token: a copy of the database cannot be used to sign in. */
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  purpose: string;
  user_id: number | null;
  status: OutboxStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  ip: string | null;
  details: string | null;
  /** How many times the event happened in its minute (aggregated events); 1 for the others. */
  occurrences: Generated<number>;
}

/** Hits of one rate-limit bucket in one second (at: the second's start, ISO-8601 UTC). */
export interface RateLimitHitsTable {
  bucket: string;
  at: string;
  hits: number;
}

export interface CertificatesTable {
  id: Generated<number>;
  user_id: number;
  sha1: string;
  sha256: string;
  serial: string;
  issuer: string;
  issuer_cn: string | null;
  holder_surname: string;
  holder_given_name: string;
  holder_patronymic: string;
  /** The subject's fields as JSON: O, T, e-mail, ОГРН, ОГРНИП, ИНН ЮЛ … */
  subject: string;
  snils: string | null;
  inn: string | null;
  not_before: string;
  not_after: string;
  algorithm: string;
  der: Buffer;
  status: "current" | "replaced";
  uploaded_at: string;
  replaced_at: string | null;
  reminded_30_at: string | null;
  reminded_7_at: string | null;
  /** The chain it was accepted with, certificate's issuer first: JSON [{ id, sha1, name, test }]; null before 0011. */
  chain: string | null;
  verified_at: string | null;
  issuer_hash: string | null;
  /** CRL distribution points (JSON array of URLs). */
  crl_urls: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
  /** A CA of its chain left the trust list or was revoked: why, in Russian. */
  distrusted_at: string | null;
  distrust_reason: string | null;
  trust_notified_at: string | null;
}

export type TrustSource = "tsl" | "file" | "demo";

export interface TrustedCasTable {
  id: Generated<number>;
  sha1: string;
  sha256: string;
  subject_hash: string;
  issuer_hash: string;
  subject_key_id: string | null;
  authority_key_id: string | null;
  serial: string;
  name: string;
  subject: string;
  organization: string | null;
  self_signed: number;
  not_before: string;
  not_after: string;
  algorithm: string;
  der: Buffer;
  crl_urls: string;
  source: TrustSource;
  source_name: string;
  test: number;
  status: "active" | "removed";
  removed_reason: string | null;
  added_at: string;
  updated_at: string;
  removed_at: string | null;
}

export interface TrustImportsTable {
  id: Generated<number>;
  kind: "tsl" | "files";
  file_name: string;
  sha256: string;
  version: number | null;
  published_at: string | null;
  summary: string;
  actor_id: number | null;
  imported_at: string;
}

export interface CrlsTable {
  id: Generated<number>;
  issuer_hash: string;
  authority_key_id: string | null;
  issuer_name: string;
  number: string | null;
  this_update: string;
  next_update: string | null;
  entries: number;
  sha256: string;
  source: string;
  imported_at: string;
}

export interface RevokedSerialsTable {
  issuer_hash: string;
  serial: string;
  revoked_at: string;
  reason: string | null;
  crl_id: number;
}

export interface CrlSourcesTable {
  url: string;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
}

export interface TerritorialBodiesTable {
  code: string;
  name: string;
  region: string;
  email: string;
  time_zone: string;
  /** Letters about new proxies: one per proxy («each», the default) or the morning digest only («digest»). */
  notify_mode: Generated<"each" | "digest">;
}

export interface OrganizationsTable {
  id: Generated<number>;
  regnum: string;
  inn: string;
  kpp: string | null;
  ogrn: string;
  full_name: string;
  short_name: string;
  kind: "legal" | "ip";
  territorial_body_code: string;
  address: string;
  active: number;
  /** Lower-case names without quotes and legal forms, ё as е: what the trigram index covers. */
  search_name: string;
  /** The 12-digit СФР registration number (digits only; shown as XXX-XXX-XXXXXX), when known. */
  sfr_regnum: string | null;
  /** The first four digits of the ФСС number: the branch (филиал) inside the region that registered it. */
  subdivision_code: string | null;
}

export interface FilesTable {
  id: Generated<number>;
  kind: "poa" | "mchd" | "mchd-sig";
  owner_id: number;
  sha256: string;
  size: number;
  pages: number | null;
  original_name: string;
  stored_path: string;
  created_at: string;
}

export type ProxyStatus = "not_filled" | "in_review" | "approved" | "rejected" | "expired" | "withdrawn";

export interface ProxiesTable {
  id: Generated<number>;
  representative_id: number;
  organization_id: number;
  status: ProxyStatus;
  valid_from: string | null;
  valid_to: string | null;
  poa_file_id: number | null;
  submitted_at: string | null;
  sla_due_at: string | null;
  decided_at: string | null;
  decided_by: number | null;
  rejection_reason: string | null;
  paper_copy_received_at: string | null;
  version: Generated<number>;
  created_at: string;
  withdrawn_at: string | null;
  /** The organisation's territorial office, copied at creation: the operators' queue is by office. */
  office_code: string | null;
  /** The organisation's search name, ИНН and registration number, kept by triggers (migration 0018): the
   * representative's list sorts and filters on the proxies alone. */
  organization_search_name: Generated<string>;
  organization_inn: Generated<string>;
  organization_regnum: Generated<string>;
  /** The term the office last approved; kept while a change of the approved proxy is in review, cleared otherwise. */
  approved_valid_from: string | null;
  approved_valid_to: string | null;
  /** The deadline a calendar loaded after submission gives, when it differs from sla_due_at (which stays). */
  calendar_due_at: string | null;
  calendar_changed_at: string | null;
  expiry_reminded_30_at: string | null;
  expiry_reminded_7_at: string | null;
  /** The proxy's document: a PDF scan or a machine-readable МЧД (its XML in poa_file_id). */
  poa_kind: "pdf" | "mchd" | null;
  mchd_number: string | null;
  /** What was read from the МЧД and its signer, JSON (MchdRecord). */
  mchd: string | null;
  mchd_signature_file_id: number | null;
  /** «Проверена в реестре ФНС»: when, by whom (null: the automatic check), with what answer. */
  registry_checked_at: string | null;
  registry_checked_by: number | null;
  registry_status: string | null;
}

export interface SlaDigestsTable {
  office_code: string;
  digest_date: string;
  sent_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  /** The first characters, shown in the list so a person can tell tokens apart. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ReportSubmissionsTable {
  id: Generated<number>;
  representative_id: number;
  organization_id: number | null;
  proxy_id: number | null;
  regnum: string | null;
  period: string | null;
  year: number | null;
  status: "accepted" | "rejected";
  reason: string | null;
  receipt_number: string | null;
  received_at: string;
  sha256: string;
  size: number;
  original_name: string;
  stored_path: string | null;
  via: "web" | "api";
  /** "4-FSS" | "EFS-1"; null only when the file could not be read. */
  form: string | null;
  sfr_regnum: string | null;
  correction: Generated<number>;
  filled_on: string | null;
  parts: string | null;
  refusal_rule: string | null;
}

export interface OutboxAttachmentsTable {
  id: Generated<number>;
  outbox_id: number;
  filename: string;
  content_type: string;
  content: Buffer;
  /** Made when the letter is sent: "report-receipt" (generated_ref: the submission); content is then empty. */
  generated: string | null;
  generated_ref: number | null;
}

export interface CalendarYearsTable {
  id: Generated<number>;
  year: number;
  region: string | null;
  non_working: string;
  working_weekends: string;
  draft: number;
  source: string;
  loaded_by: string;
  loaded_at: string;
}

export interface Database {
  calendar_years: CalendarYearsTable;
  trusted_cas: TrustedCasTable;
  trust_imports: TrustImportsTable;
  crls: CrlsTable;
  revoked_serials: RevokedSerialsTable;
  crl_sources: CrlSourcesTable;
  outbox_attachments: OutboxAttachmentsTable;
  report_submissions: ReportSubmissionsTable;
  api_tokens: ApiTokensTable;
  sla_digests: SlaDigestsTable;
  territorial_bodies: TerritorialBodiesTable;
  organizations: OrganizationsTable;
  files: FilesTable;
  proxies: ProxiesTable;
  certificates: CertificatesTable;
  users: UsersTable;
  email_tokens: EmailTokensTable;
  sessions: SessionsTable;
  outbox: OutboxTable;
  audit_events: AuditEventsTable;
  rate_limit_hits: RateLimitHitsTable;
}
