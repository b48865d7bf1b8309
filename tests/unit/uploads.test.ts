// The upload layer's storage: small files stay in memory, a large one streams to a temporary file, memory per
// request is bounded, and a file over the route's limit leaves nothing behind.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IN_MEMORY_FILE_BYTES,
  IN_MEMORY_REQUEST_BYTES,
  uploadRoute,
  type UploadResult,
} from "../../app/web/uploads.server";

describe("uploads: memory for small files, a temporary file for large ones", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-uploads-"));
  let server: http.Server;
  let url: string;
  const seen: Array<{ upload: UploadResult; files: Array<{ inMemory: boolean; bytes: Buffer; size: number }> }> = [];

  beforeAll(async () => {
    const app = express();
    app.use(uploadRoute(/^\/one$/, "file", 2 * 1024 * 1024, { tempDir: dir }));
    app.use(uploadRoute(/^\/many$/, "files", 2 * 1024 * 1024, { tempDir: dir, maxFiles: 100, maxBodyBytes: 64 << 20 }));
    app.post(["/one", "/many"], (_req, res) => {
      const upload = res.locals.upload as UploadResult;
      seen.push({
        upload,
        files: upload.files.map((f) => ({
          inMemory: Boolean(f.buffer),
          bytes: f.buffer ?? fs.readFileSync(f.path!),
          size: f.size,
        })),
      });
      res.json({ error: upload.error, files: upload.files.length });
    });
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const bytesOf = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) % 251));
  async function post(route: string, files: Buffer[]) {
    const form = new FormData();
    for (const [i, f] of files.entries())
      form.append(route === "/one" ? "file" : "files", new Blob([new Uint8Array(f)]), `f${i}.xml`);
    const res = await fetch(url + route, { method: "POST", body: form });
    return (await res.json()) as { error: string | null; files: number };
  }

  it("keeps a small file in memory and streams a large one to a temporary file, bytes intact", async () => {
    const small = bytesOf(26 * 1024, 1);
    expect(await post("/one", [small])).toEqual({ error: null, files: 1 });
    const first = seen.at(-1)!.files[0];
    expect(first.inMemory).toBe(true);
    expect(first.bytes.equals(small)).toBe(true);

    const large = bytesOf(IN_MEMORY_FILE_BYTES * 3 + 17, 2);
    expect(await post("/one", [large])).toEqual({ error: null, files: 1 });
    const second = seen.at(-1)!;
    expect(second.files[0].inMemory).toBe(false);
    expect(second.upload.files[0].path!.startsWith(dir)).toBe(true);
    expect(second.files[0].size).toBe(large.length);
    expect(second.files[0].bytes.equals(large)).toBe(true);
  });

  it("holds at most IN_MEMORY_REQUEST_BYTES of one request in memory; the rest go to temporary files", async () => {
    const each = IN_MEMORY_FILE_BYTES - 1024;
    const count = Math.ceil(IN_MEMORY_REQUEST_BYTES / each) + 3;
    const files = Array.from({ length: count }, (_, i) => bytesOf(each, i));
    expect(await post("/many", files)).toEqual({ error: null, files: count });
    const got = seen.at(-1)!.files;
    const inMemory = got.filter((f) => f.inMemory).reduce((a, f) => a + f.size, 0);
    expect(inMemory).toBeLessThanOrEqual(IN_MEMORY_REQUEST_BYTES);
    expect(got.some((f) => !f.inMemory)).toBe(true);
    got.forEach((f, i) => expect(f.bytes.equals(files[i])).toBe(true));
  });

  it("refuses a file over the route's limit and leaves no temporary file behind", async () => {
    const before = fs.readdirSync(dir).length;
    expect((await post("/one", [bytesOf(2 * 1024 * 1024 + 1, 3)])).error).toBe("too-large");
    await new Promise((r) => setTimeout(r, 100));
    expect(fs.readdirSync(dir).length).toBeLessThanOrEqual(before);
  });
});

describe("storeFile", () => {
  it("puts the file in its kind's folder by month, and makes the folder again if it was removed meanwhile", async () => {
    const { storeFile } = await import("../../app/web/stored-files.server");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-store-"));
    try {
      const now = new Date("2026-11-23T09:00:00Z");
      const first = await storeFile(dir, "reports", { bytes: Buffer.from("<a/>") }, now);
      expect(first.relative.startsWith(path.join("reports", "2026-11"))).toBe(true);
      expect(fs.readFileSync(first.absolute, "utf8")).toBe("<a/>");
      fs.rmSync(path.join(dir, "reports"), { recursive: true });
      const second = await storeFile(dir, "reports", { bytes: Buffer.from("<b/>") }, now);
      expect(fs.readFileSync(second.absolute, "utf8")).toBe("<b/>");
      const temp = path.join(dir, "upload.tmp");
      fs.writeFileSync(temp, "<c/>");
      fs.rmSync(path.join(dir, "reports"), { recursive: true });
      const moved = await storeFile(dir, "reports", { tempPath: temp }, now);
      expect(fs.readFileSync(moved.absolute, "utf8")).toBe("<c/>");
      expect(fs.existsSync(temp)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
