// Out-of-range numbers in URLs and forms — ids of 2³¹ and more (PostgreSQL's integer refuses them with an
// error), `?page=1e300` — answer 404, 400 or the first page on both databases, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import type { BrowserClient } from "../support/client";
import { representativeWithCertificate } from "../support/flow";
import { createActiveUser, signedInClient } from "../support/users";

const HUGE = ["2147483648", "99999999999999999999", "1e3", "-1", "0x10"];

describe.each(databaseKinds)("out-of-range input on %s", (kind) => {
  let app: TestApp;
  let rep: BrowserClient;
  let operator: BrowserClient;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 30 });
    rep = (await representativeWithCertificate(app)).client;
    const op = await createActiveUser(
      app.database.handle.db,
      { surname: "Граничная", givenName: "Ольга", patronymic: "" },
      "operator",
    );
    await app.database.handle.db
      .updateTable("users")
      .set({ territorial_body_code: "7700" })
      .where("id", "=", op.id)
      .execute();
    operator = await signedInClient(app.url, op.email);
    await rep.get("/profile/api-tokens");
    token = (await rep.post("/profile/api-tokens", { intent: "create", name: "Границы" })).html.match(
      /sedo_[A-Za-z0-9_-]{40,}/,
    )![0];
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(HUGE)("an id %s in a URL is «not found»", async (id) => {
    for (const path of [
      `/profile/representative/proxies/${id}/term`,
      `/profile/representative/proxies/${id}/poa`,
      `/profile/representative/proxies/${id}/withdraw`,
      `/profile/representative/proxies/${id}/file`,
      `/profile/representative/proxies/${id}/template`,
      `/reports/${id}/receipt`,
      `/reports/${id}/file`,
    ]) {
      expect((await rep.get(path)).status, path).toBe(404);
    }
    for (const path of [`/operator/proxies/${id}`, `/operator/proxies/${id}/file`, `/operator/reports/${id}/file`]) {
      expect((await operator.get(path)).status, path).toBe(404);
    }
    const api = await fetch(`${app.url}/api/v1/reports/${id}/receipt`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: string }).error).toBe("Квитанция не найдена.");
  });

  it("a page number that is not one shows the first page; lists filtered by a huge id are empty, not errors", async () => {
    for (const page of ["1e300", "99999999999999", "-5", "abc"]) {
      for (const path of [
        `/profile/representative?page=${page}`,
        `/reports?page=${page}`,
        `/profile/representative/search?name=ромашк&page=${page}`,
      ]) {
        expect((await rep.get(path)).status, path).toBe(200);
      }
      for (const path of [`/operator?page=${page}`, `/operator/reports?page=${page}`]) {
        expect((await operator.get(path)).status, path).toBe(200);
      }
    }
    expect((await rep.get("/reports?organization=2147483648")).status).toBe(200);
    const api = await fetch(`${app.url}/api/v1/reports?page=1e300`, { headers: { Authorization: `Bearer ${token}` } });
    expect(api.status).toBe(400);
  });

  it("out-of-range ids in forms are refused like unknown ones", async () => {
    await operator.get("/operator");
    const decided = await operator.post("/operator/proxies/1", { intent: "approve", version: "99999999999" });
    expect([404, 409]).toContain(decided.status);
    await rep.get("/profile/api-tokens");
    expect((await rep.post("/profile/api-tokens", { intent: "revoke", tokenId: "2147483648" })).status).toBeLessThan(
      500,
    );
    await rep.get("/profile/representative/search?name=ромашк");
    const added = await rep.post("/profile/representative/search", { organizationId: "2147483648" });
    expect(added.status).toBeLessThan(500);
  });
});
