// Personal API tokens and GET /api/v1/proxies through the HTTP app.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { textOf } from "../support/client";
import { createActiveUser, signedInClient } from "../support/users";
import { registryWith, representativeWithCertificate, submittedProxy } from "../support/flow";
import { sha256Hex } from "../../app/accounts/tokens.server";
import { assertDocumented } from "../support/openapi";

describe.each(databaseKinds)("API tokens and /api/v1/proxies on %s", (kind) => {
  let app: TestApp;
  let ids: Record<string, number>;
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 20 });
    ids = await registryWith(app, [
      {
        regnum: "7700600001",
        inn: "7707083893",
        kpp: "770701001",
        ogrn: "1027700132195",
        fullName: "Общество с ограниченной ответственностью «Ромашка»",
        shortName: "ООО «Ромашка»",
        address: "г. Москва",
      },
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });
  const api = (token?: string) =>
    fetch(`${app.url}/api/v1/proxies`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it("writes bad-token calls to the journal as one row a minute per address and path, counting them", async () => {
    const before = await app.database.handle.db
      .selectFrom("audit_events")
      .select("id")
      .where("action", "=", "api.denied")
      .execute();
    for (let round = 0; round < 30; round++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => api("sedo_" + "z".repeat(43))));
      for (const a of answers) expect(a.status).toBe(401);
    }
    const rows = await app.database.handle.db
      .selectFrom("audit_events")
      .select(["occurrences", "subject_id"])
      .where("action", "=", "api.denied")
      .where("id", "not in", before.length ? before.map((b) => b.id) : [0])
      .execute();
    // Parallel first calls may open a second row; never one per call.
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(3);
    expect(rows.every((r) => r.subject_id === "/api/v1/proxies")).toBe(true);
    expect(rows.reduce((n, r) => n + r.occurrences, 0)).toBe(300);
  });

  it("a token created on the profile is shown once, stored hashed, lists the proxies, and stops working when revoked", async () => {
    const rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids["7700600001"]);
    await rep.client.get("/profile/api-tokens");
    const noName = await rep.client.post("/profile/api-tokens", { intent: "create", name: " " });
    expect(noName.status).toBe(422);
    expect(textOf(noName.html)).toContain("Назовите токен");
    const created = await rep.client.post("/profile/api-tokens", { intent: "create", name: "1С: Зарплата и кадры" });
    expect(created.status).toBe(200);
    const token = created.html.match(/sedo_[A-Za-z0-9_-]{40,}/)![0];
    const row = await app.database.handle.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("user_id", "=", rep.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect((await rep.client.get("/profile/api-tokens")).html).not.toContain(token); // shown once

    const res = await api(token);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { proxies: Array<Record<string, unknown>> };
    assertDocumented("get", "/proxies", 200, body);
    expect(body.proxies).toEqual([
      expect.objectContaining({
        registrationNumber: "7700600001",
        inn: "7707083893",
        name: "ООО «Ромашка»",
        status: "in_review",
        statusText: "На проверке",
        validFrom: "2026-11-01",
        validTo: "2027-10-31",
        reviewDueAt: proxy.sla_due_at,
      }),
    ]);
    const used = await app.database.handle.db
      .selectFrom("api_tokens")
      .select("last_used_at")
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();

    // Another representative's token sees only their own (empty) list.
    const other = await createActiveUser(app.database.handle.db, {
      surname: "Другая",
      givenName: "Ольга",
      patronymic: "",
    });
    const otherClient = await signedInClient(app.url, other.email);
    await otherClient.get("/profile/api-tokens");
    const otherToken = (await otherClient.post("/profile/api-tokens", { intent: "create", name: "Учёт" })).html.match(
      /sedo_[A-Za-z0-9_-]{40,}/,
    )![0];
    expect(((await (await api(otherToken)).json()) as { proxies: unknown[] }).proxies).toEqual([]);
    // Nobody else can revoke it.
    expect((await otherClient.post("/profile/api-tokens", { intent: "revoke", tokenId: String(row.id) })).status).toBe(
      404,
    );

    expect((await rep.client.post("/profile/api-tokens", { intent: "revoke", tokenId: String(row.id) })).status).toBe(
      200,
    );
    const revoked = await api(token);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: string }).error).toContain("отозван");
  });

  it("refuses requests without a token, with a malformed one, or with the session cookie alone", async () => {
    const missing = await api();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    const missingBody = (await missing.json()) as { error: string };
    assertDocumented("get", "/proxies", 401, missingBody);
    expect(missingBody.error).toContain("Authorization: Bearer");
    expect((await api("sedo_" + "x".repeat(43))).status).toBe(401);
    expect((await api("not-a-token")).status).toBe(401);
    const rep = await representativeWithCertificate(app);
    const withCookie = await fetch(`${app.url}/api/v1/proxies`, {
      headers: { Cookie: `sedo_session=${rep.client.cookie("sedo_session")}` },
    });
    expect(withCookie.status).toBe(401);
  });

  it("the tokens page is for representatives only", async () => {
    const operator = await createActiveUser(
      app.database.handle.db,
      { surname: "Операторова", givenName: "Анна", patronymic: "" },
      "operator",
    );
    await app.database.handle.db
      .updateTable("users")
      .set({ territorial_body_code: "7700" })
      .where("id", "=", operator.id)
      .execute();
    const client = await signedInClient(app.url, operator.email);
    expect((await client.get("/profile/api-tokens")).status).toBe(403);
  });
});

describe.each(databaseKinds)("API rate limit on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 5, env: { API_REQUESTS_PER_MINUTE: "5" } });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function tokenOf(client: Awaited<ReturnType<typeof signedInClient>>, name: string): Promise<string> {
    await client.get("/profile/api-tokens");
    return (await client.post("/profile/api-tokens", { intent: "create", name })).html.match(
      /sedo_[A-Za-z0-9_-]{40,}/,
    )![0];
  }
  const get = (token: string) => fetch(`${app.url}/api/v1/proxies`, { headers: { Authorization: `Bearer ${token}` } });

  it("counts a representative's tokens together, answers 429 with Retry-After past the limit, and lets others through", async () => {
    const rep = await representativeWithCertificate(app);
    const first = await tokenOf(rep.client, "Первая программа");
    const second = await tokenOf(rep.client, "Вторая программа");
    for (let i = 0; i < 3; i++) expect((await get(first)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await get(second)).status).toBe(200);
    const over = await get(first);
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toBe("60");
    const body = await over.json();
    assertDocumented("get", "/proxies", 429, body);
    expect((body as { error: string }).error).toBe(
      "Слишком много запросов: не больше 5 в минуту. Повторите через минуту.",
    );
    expect((await get(second)).status).toBe(429);
    // Another representative is not affected.
    const other = await representativeWithCertificate(app);
    expect((await get(await tokenOf(other.client, "Учёт"))).status).toBe(200);
    // A minute later the window has moved on.
    app.clock.advance(61_000);
    expect((await get(first)).status).toBe(200);
  });
});
