// Seeds the fund's regional offices and a generated registry of organisations into the embedded default.
import type { Db } from "../index.server";
import { generateRegistry } from "../../app/organizations/generator";
import { upsertOrganizations, type RegistryEntry } from "../../app/organizations/registry.server";
import { TERRITORIAL_BODIES, officeEmail, officeName } from "./territorial-bodies";

export const DEMO_REGISTRY_SIZE = 20_000;

export async function seedTerritorialBodies(db: Db): Promise<void> {
  await db
    .insertInto("territorial_bodies")
    .values(
      TERRITORIAL_BODIES.map((b) => ({
        code: b.code,
        name: officeName(b),
        region: b.region,
        email: officeEmail(b.code),
        time_zone: b.timeZone,
      })),
    )
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();
}

/** Inserts a generated registry in batches inside transactions; returns the number of organisations. */
export async function seedRegistry(db: Db, count = DEMO_REGISTRY_SIZE, seed = 1): Promise<number> {
  await seedTerritorialBodies(db);
  const offices = TERRITORIAL_BODIES.map((b) => ({ code: b.code, region: b.region }));
  let batch: RegistryEntry[] = [];
  let total = 0;
  const flush = async () => {
    const rows = batch;
    batch = [];
    await db.transaction().execute((trx) => upsertOrganizations(trx, rows));
    total += rows.length;
  };
  for (const entry of generateRegistry(count, offices, seed)) {
    batch.push(entry);
    if (batch.length === 500) await flush();
  }
  if (batch.length) await flush();
  return total;
}
