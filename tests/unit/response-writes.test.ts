import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { writesByTurn } from "../../app/web/response-writes.server";

let server: http.Server | null = null;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(null)));
  server = null;
});

async function serve(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** The body's chunks as the client received them, each with the time since the request. */
function chunksOf(url: string): Promise<Array<{ text: string; ms: number }>> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const chunks: Array<{ text: string; ms: number }> = [];
      res.on("data", (c: Buffer) => chunks.push({ text: c.toString(), ms: Date.now() - started }));
      res.on("end", () => resolve(chunks));
      res.on("error", reject);
    });
  });
}

describe("writesByTurn", () => {
  it("keeps the socket corked for the rest of the turn, not only until the next tick", async () => {
    const seen: Record<string, number> = {};
    const url = await serve((_req, res) => {
      writesByTurn(res);
      res.write("a");
      // Node's own cork ends at the next tick, queued before this one.
      process.nextTick(() => {
        seen.nextTick = res.socket!.writableCorked;
        res.write("b");
        setImmediate(() => {
          seen.nextTurn = res.socket!.writableCorked;
          res.end("c");
        });
      });
    });
    const chunks = await chunksOf(url);
    expect(chunks.map((c) => c.text).join("")).toBe("abc");
    expect(seen.nextTick).toBeGreaterThan(0);
    expect(seen.nextTurn).toBe(0);
  });

  it("still streams: what one turn wrote reaches the client before a later turn writes more", async () => {
    const url = await serve((_req, res) => {
      writesByTurn(res);
      res.write("<p>первая часть</p>");
      setTimeout(() => res.end("<p>вторая часть</p>"), 300);
    });
    const chunks = await chunksOf(url);
    expect(chunks.map((c) => c.text).join("")).toBe("<p>первая часть</p><p>вторая часть</p>");
    expect(chunks[0].text).toBe("<p>первая часть</p>");
    expect(chunks[0].ms).toBeLessThan(250);
  });
});
