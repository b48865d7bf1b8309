// Compression: pages and JSON go out brotli- or gzip-compressed as they stream; the build's scripts and styles
// were compressed once at build and are sent as .br or .gz with the right headers; files people download are not.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../app/accounts/tokens.server";
import { startTestApp, type TestApp } from "../support/app";
import { createActiveUser } from "../support/users";
import { insertBareProxies } from "../support/flow";

/** A raw GET (fetch would inflate the body and hide the encoding). */
function rawGet(
  url: string,
  acceptEncoding: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "Accept-Encoding": acceptEncoding, ...headers } }, (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
      })
      .on("error", reject);
  });
}

describe("compression", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp("sqlite", { registrySize: 40 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("compresses pages with brotli or gzip as the browser accepts, and not for a client that accepts neither", async () => {
    const br = await rawGet(`${app.url}/login`, "gzip, deflate, br");
    expect([br.status, br.headers["content-encoding"]]).toEqual([200, "br"]);
    const gz = await rawGet(`${app.url}/login`, "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    const plain = await rawGet(`${app.url}/login`, "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(br.bytes).toBeLessThan(plain.bytes / 2);
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
  });

  it("sends the build's scripts precompressed, immutable, with their own content type", async () => {
    const page = await (await fetch(`${app.url}/login`)).text();
    const script = page.match(/\/build\/[^"]+\.js/)![0];
    const br = await rawGet(`${app.url}${script}`, "br, gzip");
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toMatch(/javascript/);
    expect(br.headers["cache-control"]).toContain("immutable");
    const gz = await rawGet(`${app.url}${script}`, "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    // The other public files are served too (a page's path is not looked up on disk).
    const icon = await fetch(`${app.url}/favicon.svg`);
    expect([icon.status, icon.headers.get("content-type")]).toEqual([200, "image/svg+xml"]);
  });

  it("compresses a long API answer, and leaves one that fits in a packet as it is, with its length", async () => {
    const db = app.database.handle.db;
    const rep = await createActiveUser(db, { surname: "Сжатова", givenName: "Анна", patronymic: "Ивановна" });
    const token = "sedo_" + "z".repeat(43);
    await db
      .insertInto("api_tokens")
      .values({
        user_id: rep.id,
        name: "учёт",
        token_hash: sha256Hex(token),
        prefix: token.slice(0, 12),
        created_at: "2026-11-01T00:00:00.000Z",
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    const orgs = await db.selectFrom("organizations").select("id").limit(30).execute();
    await insertBareProxies(
      db,
      rep.id,
      orgs.map((o) => o.id),
    );
    const long = await rawGet(`${app.url}/api/v1/proxies`, "br, gzip", { Authorization: `Bearer ${token}` });
    expect(long.status).toBe(200);
    expect(long.headers["content-encoding"]).toBe("br");
    const short = await rawGet(`${app.url}/api/v1/proxies`, "br, gzip");
    expect(short.status).toBe(401);
    expect(short.headers["content-encoding"]).toBeUndefined();
    expect(Number(short.headers["content-length"])).toBe(short.bytes);
    expect(short.bytes).toBeLessThan(1400);
  });
});
