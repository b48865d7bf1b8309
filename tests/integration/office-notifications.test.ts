// How a branch hears of new proxies, on each database: by default a letter per proxy linking to its card; a branch
// an administrator put on «только утренняя сводка» gets none of those, and its morning digest lists what came in
// since its last digest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { textOf } from "../support/client";
import { createActiveUser, signedInClient } from "../support/users";
import { registryWith, representativeWithCertificate, submittedProxy } from "../support/flow";
import { sendSlaDigests } from "../../app/review/jobs.server";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";

const org = (regnum: string, n: number) => ({
  regnum,
  inn: withInnCheckDigit(String(250090000 + n)),
  kpp: "250001001",
  ogrn: withOgrnCheckDigit(String(102250090000 + n)),
  fullName: `ООО «Письмо ${n}»`,
  shortName: `ООО «Письмо ${n}»`,
  address: "адрес",
});

describe.each(databaseKinds)("letters to the branch about new proxies on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    // Monday 23 November 2026, 19:00 in Владивосток.
    app = await startTestApp(kind, { registrySize: 0, start: "2026-11-23T09:00:00.000Z" });
  });
  afterAll(async () => {
    await app?.close();
  });
  const db = () => app.database.handle.db;

  it("«только утренняя сводка»: no letter per proxy, the next working morning's digest lists the new ones with links", async () => {
    const admin = await createActiveUser(db(), { surname: "Админова", givenName: "А", patronymic: "" }, "admin");
    const client = await signedInClient(app.url, admin.email);
    const bad = await client.submit("/admin/offices", { office: "2500", mode: "weekly" });
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain("Выберите, как сообщать о новых заявках.");
    const saved = await client.submit("/admin/offices", { office: "2500", mode: "digest" });
    expect(saved.status).toBe(302);
    expect(textOf((await client.get("/admin/offices")).html)).toContain("Только утренняя сводка: 2500.");

    const ids = await registryWith(app, [org("2501000001", 1), org("7701000009", 2)]);
    const rep = await representativeWithCertificate(app);
    const primorye = await submittedProxy(app, rep, ids["2501000001"]);
    const moscow = await submittedProxy(app, rep, ids["7701000009"]);
    const letters = await db().selectFrom("outbox").selectAll().where("purpose", "=", "proxy-submitted").execute();
    expect(letters.map((l) => l.recipient)).toEqual(["office7700@sfr.example.ru"]);
    expect(letters[0].text_body).toContain(`${app.url}/operator/proxies/${moscow.id}`);

    // Tuesday 24 November, 09:30 in Владивосток: the digest names the new proxy and links to its card.
    app.clock.set("2026-11-23T23:30:00.000Z");
    expect(await sendSlaDigests(db(), app.clock, app.url)).toContain("2500");
    const digest = await db()
      .selectFrom("outbox")
      .selectAll()
      .where("purpose", "=", "sla-digest")
      .where("recipient", "=", "office2500@sfr.example.ru")
      .executeTakeFirstOrThrow();
    expect(digest.text_body).toContain("Новых после прошлой сводки: 1.");
    expect(digest.text_body).toContain(`${app.url}/operator/proxies/${primorye.id}`);
    // A branch on letters per proxy has nothing due this morning: no digest for it.
    expect(
      await db()
        .selectFrom("outbox")
        .select("id")
        .where("purpose", "=", "sla-digest")
        .where("recipient", "=", "office7700@sfr.example.ru")
        .execute(),
    ).toEqual([]);
  });
});
