// The authorisation matrix: every route × {anonymous, representative, operator of this office,
// operator of another office, admin} → the expected status. 302 = sent to «Вход»; 404 for another
// office's proxy (objects are scoped to their office, so a guessed id finds nothing).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { BrowserClient } from "../support/client";
import { createActiveUser, signedInClient } from "../support/users";
import { registryWith, representativeWithCertificate, submittedProxy } from "../support/flow";

type Role = "anonymous" | "representative" | "operatorHere" | "operatorElsewhere" | "admin";
const ROLES: Role[] = ["anonymous", "representative", "operatorHere", "operatorElsewhere", "admin"];

describe("authorisation matrix", () => {
  let app: TestApp;
  let clients: Record<Role, BrowserClient>;
  let proxyId: number;
  beforeAll(async () => {
    app = await startTestApp("sqlite", { registrySize: 20 });
    const ids = await registryWith(app, [
      {
        regnum: "7700700001",
        inn: "7707083893",
        kpp: "770701001",
        ogrn: "1027700132195",
        fullName: "ООО «Ромашка»",
        shortName: "ООО «Ромашка»",
        address: "г. Москва",
      },
    ]);
    const rep = await representativeWithCertificate(app);
    proxyId = (await submittedProxy(app, rep, ids["7700700001"])).id;
    const db = app.database.handle.db;
    const here = await createActiveUser(db, { surname: "Здешняя", givenName: "Ольга", patronymic: "" }, "operator");
    const elsewhere = await createActiveUser(
      db,
      { surname: "Дальняя", givenName: "Ирина", patronymic: "" },
      "operator",
    );
    await db.updateTable("users").set({ territorial_body_code: "7700" }).where("id", "=", here.id).execute();
    await db.updateTable("users").set({ territorial_body_code: "2500" }).where("id", "=", elsewhere.id).execute();
    const admin = await createActiveUser(db, { surname: "Админова", givenName: "Анна", patronymic: "" }, "admin");
    clients = {
      anonymous: new BrowserClient(app.url),
      representative: rep.client,
      operatorHere: await signedInClient(app.url, here.email),
      operatorElsewhere: await signedInClient(app.url, elsewhere.email),
      admin: await signedInClient(app.url, admin.email),
    };
  });
  afterAll(async () => {
    await app?.close();
  });

  const expected: Array<[string, Record<Role, number>]> = [
    ["/profile", { anonymous: 302, representative: 200, operatorHere: 200, operatorElsewhere: 200, admin: 200 }],
    [
      "/profile/password",
      { anonymous: 302, representative: 200, operatorHere: 200, operatorElsewhere: 200, admin: 200 },
    ],
    [
      "/profile/representative",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/proxies/:id/mchd",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    // No МЧД was uploaded for this proxy: nothing to download, even for its representative.
    [
      "/profile/representative/proxies/:id/mchd/xml",
      { anonymous: 302, representative: 404, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/proxies/:id/mchd-draft",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/search",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/bulk",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/term",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/poa-batch",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/proxies/:id/term",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/proxies/:id/poa",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/proxies/:id/withdraw",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/proxies/:id/file",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/profile/representative/proxies/:id/template",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    ["/operator", { anonymous: 302, representative: 403, operatorHere: 200, operatorElsewhere: 200, admin: 403 }],
    [
      "/operator/queue.csv",
      { anonymous: 302, representative: 403, operatorHere: 200, operatorElsewhere: 200, admin: 403 },
    ],
    [
      "/operator/queue.xlsx",
      { anonymous: 302, representative: 403, operatorHere: 200, operatorElsewhere: 200, admin: 403 },
    ],
    [
      "/operator/proxies/:id",
      { anonymous: 302, representative: 403, operatorHere: 200, operatorElsewhere: 404, admin: 403 },
    ],
    [
      "/operator/proxies/:id/file",
      { anonymous: 302, representative: 403, operatorHere: 200, operatorElsewhere: 404, admin: 403 },
    ],
    [
      "/admin/operators",
      { anonymous: 302, representative: 403, operatorHere: 403, operatorElsewhere: 403, admin: 200 },
    ],
    [
      "/admin/certification-authorities",
      { anonymous: 302, representative: 403, operatorHere: 403, operatorElsewhere: 403, admin: 200 },
    ],
    ["/admin/offices", { anonymous: 302, representative: 403, operatorHere: 403, operatorElsewhere: 403, admin: 200 }],
    [
      "/operator/reports",
      { anonymous: 302, representative: 403, operatorHere: 200, operatorElsewhere: 200, admin: 403 },
    ],
    ["/reports", { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 }],
    [
      "/reports/summary",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/reports/summary.csv",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/reports/summary.xlsx",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    // The page script's endpoint takes POST only.
    ["/reports/send", { anonymous: 302, representative: 405, operatorHere: 403, operatorElsewhere: 403, admin: 403 }],
    [
      "/profile/api-tokens",
      { anonymous: 302, representative: 200, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    // The API takes a bearer token only: a session cookie, whoever's, is not enough.
    ["/api/v1/proxies", { anonymous: 401, representative: 401, operatorHere: 401, operatorElsewhere: 401, admin: 401 }],
    ["/api/v1/reports", { anonymous: 401, representative: 401, operatorHere: 401, operatorElsewhere: 401, admin: 401 }],
    [
      "/api/v1/reports/1/receipt",
      { anonymous: 401, representative: 401, operatorHere: 401, operatorElsewhere: 401, admin: 401 },
    ],
    [
      "/reports/1/receipt",
      { anonymous: 302, representative: 404, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    ["/reports/1/file", { anonymous: 302, representative: 404, operatorHere: 403, operatorElsewhere: 403, admin: 403 }],
    // The test's proxy rests on no МЧД: nothing to download, even in its branch.
    [
      "/operator/proxies/:id/signature",
      { anonymous: 302, representative: 403, operatorHere: 404, operatorElsewhere: 404, admin: 403 },
    ],
    [
      "/operator/reports/1/file",
      { anonymous: 302, representative: 403, operatorHere: 404, operatorElsewhere: 404, admin: 403 },
    ],
  ];

  it.each(expected)("GET %s", async (route, statuses) => {
    const path = route.replace(":id", String(proxyId));
    for (const role of ROLES) {
      const res = await clients[role].get(path);
      expect(res.status, `${role} → ${path}`).toBe(statuses[role]);
    }
  });

  const posts: Array<[string, Record<string, string>, Record<Role, number>]> = [
    // One term for ticked proxies, before the withdrawal below: the representative's own proxy with a bad term → 422.
    [
      "/profile/representative/term",
      { id: ":id", validFrom: "2026-12-01", validTo: "2026-01-01" },
      { anonymous: 302, representative: 422, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    // Not multipart: the upload layer refuses it as malformed (400) once the sender is known.
    [
      "/reports/send",
      {},
      { anonymous: 302, representative: 400, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/operator/proxies/:id",
      { intent: "reject", version: "0", reason: "x" },
      { anonymous: 302, representative: 403, operatorHere: 409, operatorElsewhere: 404, admin: 403 },
    ],
    [
      "/profile/representative/proxies/:id/withdraw",
      {},
      { anonymous: 302, representative: 302, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/admin/operators",
      { email: "x@y.ru", surname: "Икс", givenName: "Игрек", office: "7700" },
      { anonymous: 302, representative: 403, operatorHere: 403, operatorElsewhere: 403, admin: 302 },
    ],
    [
      "/profile/representative/proxies/:id/mchd",
      {},
      { anonymous: 302, representative: 400, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    // Not multipart: the upload layer refuses it as malformed (400) once the representative is known.
    [
      "/profile/representative/poa-batch",
      {},
      { anonymous: 302, representative: 400, operatorHere: 403, operatorElsewhere: 403, admin: 403 },
    ],
    [
      "/admin/offices",
      { office: "7700", mode: "each" },
      { anonymous: 302, representative: 403, operatorHere: 403, operatorElsewhere: 403, admin: 302 },
    ],
    // Administrators only, and only they get their body read: the others are answered before the upload layer.
    [
      "/admin/certification-authorities",
      { intent: "remove", id: "1" },
      { anonymous: 302, representative: 403, operatorHere: 403, operatorElsewhere: 403, admin: 400 },
    ],
  ];

  // Routes anyone may open (the sign-in and registration pages, the links in letters, the 404 page).
  const PUBLIC = [
    "/",
    "/login",
    "/register",
    "/forgot-password",
    "/resend-confirmation",
    "/reset-password/:token",
    "/confirm/:token",
    "/logout",
    "/*",
  ];

  it("covers every route of the build: a new route must be added to this matrix", async () => {
    const { loadBuild } = await import("../../server");
    const routes = (await loadBuild()).routes;
    const full = (id: string): string => {
      const r = routes[id];
      if (!r) return "";
      const parent = r.parentId ? full(r.parentId) : "";
      return r.path ? `${parent.replace(/\/$/, "")}/${r.path}` : parent;
    };
    const declared = new Set([
      ...PUBLIC,
      ...[...expected.map(([route]) => route), ...posts.map(([route]) => route)].map((route) =>
        route.replace(/\/\d+(?=\/|$)/g, "/:id").replace(/\/mchd\/(xml|sig)$/, "/mchd/:part"),
      ),
    ]);
    const built = Object.keys(routes)
      .filter((id) => id !== "root" && routes[id]?.path !== undefined && routes[id]?.path !== "")
      .map(full);
    expect(built.length).toBeGreaterThanOrEqual(35);
    const missing = built.filter((route) => !declared.has(route));
    expect(missing, "routes with no row in the authorisation matrix").toEqual([]);
  });

  it.each(posts)("POST %s", async (route, rawFields, statuses) => {
    const path = route.replace(":id", String(proxyId));
    const fields = Object.fromEntries(
      Object.entries(rawFields).map(([k, v]) => [k, v === ":id" ? String(proxyId) : v]),
    );
    // The representative's withdrawal changes state for the others: it runs last.
    for (const role of [...ROLES.filter((r) => r !== "representative"), "representative" as const]) {
      await clients[role].get("/");
      const res = await clients[role].post(path, fields);
      expect(res.status, `${role} → POST ${path}`).toBe(statuses[role]);
    }
  });

  it("writes every 403 to the audit journal", async () => {
    const denied = await app.database.handle.db
      .selectFrom("audit_events")
      .select(["actor_id", "subject_id"])
      .where("action", "=", "access.denied")
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(20);
    expect(denied.every((d) => d.actor_id !== null && d.subject_id)).toBe(true);
  });
});
