// The representative's steps through the HTTP app, shared by the integration tests.
import fs from "node:fs";
import path from "node:path";
import type { TestApp } from "./app";
import { BrowserClient, uploadForm } from "./client";
import { createActiveUser, signedInClient } from "./users";
import { upsertOrganizations, type RegistryEntry } from "../../app/organizations/registry.server";
import type { Db } from "../../db/index.server";

export const IVANOVA = { surname: "Иванова", givenName: "Мария", patronymic: "Петровна" };
const IVANOVA_SHA1 = "973BFD10377C988B7726682263C87C20E14022DE";
export const fixture = (...parts: string[]) => fs.readFileSync(path.resolve(__dirname, "../fixtures", ...parts));

/** A signed-in representative whose certificate (ivanova-gost256) is accepted. */
export async function representativeWithCertificate(
  app: TestApp,
): Promise<{ id: number; email: string; client: BrowserClient }> {
  const db = app.database.handle.db;
  await db.deleteFrom("certificates").where("sha1", "=", IVANOVA_SHA1).execute();
  const user = await createActiveUser(db, IVANOVA);
  const client = await signedInClient(app.url, user.email);
  await client.get("/profile/representative");
  const res = await uploadForm(
    client,
    "/profile/representative",
    {},
    { field: "certificate", name: "c.cer", bytes: fixture("certs", "ivanova-gost256.cer") },
  );
  if (res.status !== 302) throw new Error(`certificate upload failed: ${res.status}`);
  return { ...user, client };
}

export async function addOrganizations(app: TestApp, client: BrowserClient, organizationIds: number[]) {
  await client.get("/profile/representative/search?name=" + encodeURIComponent("ромашк"));
  const body = new URLSearchParams({ csrf: client.csrf });
  for (const id of organizationIds) body.append("organizationId", String(id));
  return client.request("/profile/representative/search", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
  });
}

export async function setTerm(client: BrowserClient, proxyId: number, validFrom: string, validTo: string) {
  await client.get(`/profile/representative/proxies/${proxyId}/term`);
  return client.post(`/profile/representative/proxies/${proxyId}/term`, { validFrom, validTo });
}

export async function uploadPoa(client: BrowserClient, proxyId: number, bytes: Buffer, name = "доверенность.pdf") {
  await client.get(`/profile/representative/proxies/${proxyId}/poa`);
  return uploadForm(
    client,
    `/profile/representative/proxies/${proxyId}/poa`,
    {},
    { field: "poa", name, bytes, type: "application/pdf" },
  );
}

export function liveProxy(app: TestApp, representativeId: number, organizationId: number) {
  return app.database.handle.db
    .selectFrom("proxies")
    .selectAll()
    .where("representative_id", "=", representativeId)
    .where("organization_id", "=", organizationId)
    .where("status", "!=", "withdrawn")
    .executeTakeFirstOrThrow();
}

/** Adds organisations to the registry and returns their ids by registration number. */
export async function registryWith(app: TestApp, entries: RegistryEntry[]): Promise<Record<string, number>> {
  const db = app.database.handle.db;
  await upsertOrganizations(db, entries);
  const rows = await db
    .selectFrom("organizations")
    .select(["id", "regnum"])
    .where(
      "regnum",
      "in",
      entries.map((e) => e.regnum),
    )
    .execute();
  return Object.fromEntries(rows.map((r) => [r.regnum, r.id]));
}

/** Submits a proxy for review (term + PDF) and returns it. */
export async function submittedProxy(
  app: TestApp,
  rep: { id: number; client: BrowserClient },
  organizationId: number,
  term: [string, string] = ["2026-11-01", "2027-10-31"],
) {
  await addOrganizations(app, rep.client, [organizationId]);
  const proxy = await liveProxy(app, rep.id, organizationId);
  await setTerm(rep.client, proxy.id, term[0], term[1]);
  await uploadPoa(rep.client, proxy.id, fixture("pdf", "poa-valid-1page.pdf"));
  return liveProxy(app, rep.id, organizationId);
}

/** Proxies «Не заполнено» straight in the database, as a bulk load would (the triggers fill the organisation's copy). */
export async function insertBareProxies(db: Db, representativeId: number, organizationIds: number[]): Promise<void> {
  await db
    .insertInto("proxies")
    .values(
      organizationIds.map((organizationId) => ({
        representative_id: representativeId,
        organization_id: organizationId,
        status: "not_filled" as const,
        created_at: "2026-11-01T00:00:00.000Z",
        valid_from: null,
        valid_to: null,
        poa_file_id: null,
        submitted_at: null,
        sla_due_at: null,
        decided_at: null,
        decided_by: null,
        rejection_reason: null,
        paper_copy_received_at: null,
        withdrawn_at: null,
      })),
    )
    .execute();
}
