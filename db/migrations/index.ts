// The migrations in order, imported statically so the built server and the scripts run the same set
// (FileMigrationProvider would import .ts files at run time).
import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001_accounts";
import * as m0002 from "./0002_certificates";
import * as m0003 from "./0003_registry_and_proxies";
import * as m0004 from "./0004_review";
import * as m0005 from "./0005_api_tokens";
import * as m0006 from "./0006_reports";
import * as m0007 from "./0007_outbox_attachments";
import * as m0008 from "./0008_report_duplicates";
import * as m0009 from "./0009_efs1_and_sfr_numbers";
import * as m0010 from "./0010_audit_occurrences";
import * as m0011 from "./0011_trust_list";
import * as m0012 from "./0012_mchd";
import * as m0013 from "./0013_regional_branches";
import * as m0014 from "./0014_calendar_years";
import * as m0015 from "./0015_merged_branches";
import * as m0016 from "./0016_report_receipts";
import * as m0017 from "./0017_search_common_names";
import * as m0018 from "./0018_proxy_organization_copy";
import * as m0019 from "./0019_receipt_files";
import * as m0020 from "./0020_rate_limit_seconds";

export const migrations: Record<string, Migration> = {
  "0001_accounts": m0001,
  "0002_certificates": m0002,
  "0003_registry_and_proxies": m0003,
  "0004_review": m0004,
  "0005_api_tokens": m0005,
  "0006_reports": m0006,
  "0007_outbox_attachments": m0007,
  "0008_report_duplicates": m0008,
  "0009_efs1_and_sfr_numbers": m0009,
  "0010_audit_occurrences": m0010,
  "0011_trust_list": m0011,
  "0012_mchd": m0012,
  "0013_regional_branches": m0013,
  "0014_calendar_years": m0014,
  "0015_merged_branches": m0015,
  "0016_report_receipts": m0016,
  "0017_search_common_names": m0017,
  "0018_proxy_organization_copy": m0018,
  "0019_receipt_files": m0019,
  "0020_rate_limit_seconds": m0020,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
