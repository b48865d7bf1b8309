// Security headers: each sent once (a download's own nosniff is not doubled), signed-in pages never cached,
// HSTS when the portal is served over https.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { BrowserClient } from "../support/client";
import { registryWith, representativeWithCertificate, submittedProxy } from "../support/flow";

describe("security headers", () => {
  let app: TestApp;
  let secure: TestApp;
  beforeAll(async () => {
    app = await startTestApp("sqlite", { registrySize: 0 });
    secure = await startTestApp("sqlite", { env: { APP_URL: "https://sedo.example.ru" } });
  });
  afterAll(async () => {
    await app?.close();
    await secure?.close();
  });

  it("sends each header once, no-store on signed-in pages and downloads, anonymous pages left to the defaults", async () => {
    const anonymous = await new BrowserClient(app.url).get("/login");
    expect(anonymous.headers.get("x-content-type-options")).toBe("nosniff");
    expect(anonymous.headers.get("content-security-policy")).toContain("frame-ancestors 'self'");
    expect(anonymous.headers.get("strict-transport-security")).toBeNull();
    expect(anonymous.headers.get("cache-control")).toBeNull();
    const ids = await registryWith(app, [
      {
        regnum: "7700800001",
        inn: "7707083893",
        kpp: "770701001",
        ogrn: "1027700132195",
        fullName: "ООО «Заголовки»",
        shortName: "ООО «Заголовки»",
        address: "г. Москва",
      },
    ]);
    const rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids["7700800001"]);
    for (const path of ["/profile", "/profile/representative", "/profile/api-tokens", "/reports"]) {
      const page = await rep.client.get(path);
      expect([page.status, page.headers.get("cache-control")], path).toEqual([200, "private, no-store"]);
    }
    const download = await rep.client.get(`/profile/representative/proxies/${proxy.id}/file`);
    expect(download.status).toBe(200);
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(download.headers.get("cache-control")).toBe("private, no-store");
  });

  it("answers a form whose Origin is APP_URL but whose Host a proxy rewrote with a clear 403, not a 500", async () => {
    const client = new BrowserClient(app.url);
    await client.get("/login");
    const body = new URLSearchParams({ csrf: client.csrf, email: "x@example.ru", password: "x" }).toString();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: app.config.port,
          path: "/login",
          method: "POST",
          headers: {
            Host: "portal.internal:8080",
            Origin: app.url,
            Cookie: `sedo_anon=${client.cookie("sedo_anon")}`,
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("прокси должен передавать заголовок Host без изменений");
    expect(app.logs.some((l) => l.startsWith("error id="))).toBe(false);
  });

  it("allows only the scripts that carry this request's nonce: every script of the page has it, no 'unsafe-inline'", async () => {
    const first = await new BrowserClient(app.url).get("/login");
    const second = await new BrowserClient(app.url).get("/login");
    const policy = first.headers.get("content-security-policy")!;
    const scriptSrc = policy.split(";").find((d) => d.trim().startsWith("script-src"))!;
    expect(scriptSrc).not.toContain("unsafe-inline");
    const nonce = scriptSrc.match(/'nonce-([A-Za-z0-9+/=]{22,})'/)![1];
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    const scripts = [...first.html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(1);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("sends HSTS when APP_URL is https", async () => {
    // APP_URL names the public https address; the test talks to the process itself on loopback.
    const res = await new BrowserClient(`http://127.0.0.1:${secure.config.port}`).get("/login");
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });
});
