// Compression: pages and JSON go out brotli- or gzip-compressed as they stream; the build's scripts and styles
// were compressed once at build and are sent as .br or .gz with the right headers; files people download are not.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

/** A raw GET (fetch would inflate the body and hide the encoding). */
function rawGet(
  url: string,
  acceptEncoding: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "Accept-Encoding": acceptEncoding } }, (res) => {
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
    app = await startTestApp("sqlite", { registrySize: 0 });
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
  });
});
