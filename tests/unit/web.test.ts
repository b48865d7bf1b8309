import { describe, expect, it } from "vitest";
import type { AppContext } from "../../app/web/context.server";
import { readUpload, UploadRefused, UPLOADS } from "../../app/web/upload-routes.server";
import { csrfTokenFor, csrfTokenMatches, isForeignOrigin, originHostMismatch } from "../../app/web/csrf.server";
import { parseCookies, sessionCookie } from "../../app/web/cookies.server";
import { formatDate, formatDateTime } from "../../app/web/format";
import { retryDelayMs } from "../../app/mail/outbox.server";
import { confirmationLetter, escapeHtml } from "../../app/mail/templates.server";

describe("CSRF", () => {
  it("binds the token to the visitor and the secret", () => {
    const a = csrfTokenFor("secret-1", "s:abc");
    expect(csrfTokenMatches(a, a)).toBe(true);
    expect(csrfTokenMatches(a, csrfTokenFor("secret-1", "s:abd"))).toBe(false);
    expect(csrfTokenMatches(a, csrfTokenFor("secret-2", "s:abc"))).toBe(false);
    expect(csrfTokenMatches(a, undefined)).toBe(false);
    expect(csrfTokenMatches(a, "")).toBe(false);
  });
  it("refuses foreign origins and cross-site fetches", () => {
    const app = "https://sedo.example";
    expect(isForeignOrigin({ origin: "https://sedo.example" }, app, app)).toBe(false);
    expect(isForeignOrigin({}, app, app)).toBe(false);
    expect(isForeignOrigin({ origin: "https://evil.example" }, app, app)).toBe(true);
    expect(isForeignOrigin({ origin: "null" }, app, app)).toBe(true);
    expect(isForeignOrigin({ secFetchSite: "cross-site" }, app, app)).toBe(true);
  });
});

describe("cookies", () => {
  it("session cookie is HttpOnly, SameSite=Lax, Secure only over https", () => {
    expect(sessionCookie("t", false)).toBe("sedo_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200");
    expect(sessionCookie("t", true)).toMatch(/; Secure$/);
  });
  it("parses a cookie header and ignores malformed values", () => {
    expect(parseCookies("a=1; b=%D0%AF; c=%E0%A4%A")).toEqual({ a: "1", b: "Я" });
  });
});

describe("formatting", () => {
  it("shows dates as ДД.ММ.ГГГГ in Moscow time", () => {
    expect(formatDate("2026-11-23T22:30:00Z")).toBe("24.11.2026");
    expect(formatDateTime("2026-11-23T09:05:00Z")).toBe("23.11.2026, 12:05");
  });
});

describe("mail", () => {
  it("backs off 30 s, 1 min, 2 min … up to an hour", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3600_000);
  });
  it("escapes names in the HTML letter", () => {
    const l = confirmationLetter({ givenName: "<b>", patronymic: "", link: "http://x/confirm/abc" });
    expect(l.html).toContain("&lt;b&gt;");
    expect(l.html).not.toContain("<b>!");
    expect(escapeHtml(`"'&`)).toBe("&quot;&#39;&amp;");
  });
});

import { flushHeldLines, heldLines, loggablePath } from "../../app/web/logging.server";
describe("logging", () => {
  it("writes the lines of one turn of the event loop together, in order, at the end of that turn", async () => {
    const writes: string[] = [];
    const log = heldLines((text) => writes.push(text));
    log("GET /login 200 1.0ms");
    log("GET / 200 1.1ms");
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(["GET /login 200 1.0ms\nGET / 200 1.1ms\n"]);
    log("POST /login 303 2.0ms");
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(["GET /login 200 1.0ms\nGET / 200 1.1ms\n", "POST /login 303 2.0ms\n"]);
  });

  it("writes what is still held at once when the process exits", () => {
    const writes: string[] = [];
    const log = heldLines((text) => writes.push(text));
    log("error id=1: boom");
    flushHeldLines(); // what process.on("exit") runs
    expect(writes).toEqual(["error id=1: boom\n"]);
    expect(process.listeners("exit")).toContain(flushHeldLines);
  });

  it("keeps one-time tokens and queries out of logged paths", () => {
    expect(loggablePath("/confirm/abcDEF123_-xyz?x=1")).toBe("/confirm/…");
    expect(loggablePath("/reset-password/abc.data")).toBe("/reset-password/…");
    expect(loggablePath("/profile?redirectTo=/x")).toBe("/profile");
  });
});

import { PageStream } from "../../app/entry.server";
describe("streaming HTML", () => {
  it("drops the NUL padding React 18 leaves at a chunk's end, and nothing else", async () => {
    const t = new PageStream();
    const out: Buffer[] = [];
    t.on("data", (c: Buffer) => out.push(c));
    t.write(Buffer.concat([Buffer.from("Регистрационный "), Buffer.from([0, 0])]));
    t.write(Buffer.from("номер"));
    t.write(Buffer.from([0, 0, 0]));
    t.end(Buffer.from("<p>0</p>"));
    await new Promise((r) => t.on("end", r));
    expect(Buffer.concat(out).toString("utf8")).toBe("Регистрационный номер<p>0</p>");
  });

  it("passes on what React writes in one go as one chunk, in order, and each later write after it", async () => {
    const t = new PageStream();
    const out: string[] = [];
    t.on("data", (c: Buffer) => out.push(c.toString("utf8")));
    t.write("<html>");
    t.write("<body>");
    t.write("<main>");
    await new Promise((r) => setImmediate(r));
    t.write("</main>");
    t.end("</body></html>");
    await new Promise((r) => t.on("end", r));
    expect(out).toEqual(["<html><body><main>", "</main></body></html>"]);
  });

  it("takes a second end() quietly, as React gives one when the stream closes", async () => {
    const t = new PageStream();
    const errors: unknown[] = [];
    t.on("error", (e) => errors.push(e));
    t.resume();
    t.end("x");
    await new Promise((r) => t.on("close", r));
    const answer = await new Promise((r) => t.end((error?: unknown) => r(error ?? "no error")));
    expect(answer).toBe("no error");
    expect(errors).toEqual([]);
  });
});

describe("origin and host", () => {
  it("matches the Origin's host against X-Forwarded-Host (first value) or Host, as Remix does", () => {
    expect(originHostMismatch({ origin: "https://sedo.example.ru", host: "sedo.example.ru" })).toBe(false);
    expect(originHostMismatch({ origin: "https://sedo.example.ru", host: "10.0.0.5:3000" })).toBe(true);
    expect(
      originHostMismatch({
        origin: "https://sedo.example.ru",
        forwardedHost: "sedo.example.ru, proxy",
        host: "10.0.0.5:3000",
      }),
    ).toBe(false);
    expect(originHostMismatch({ host: "10.0.0.5:3000" })).toBe(false);
    expect(originHostMismatch({ origin: "not a url", host: "x" })).toBe(true);
  });
});

describe("readUpload", () => {
  const context = (upload: unknown, csrf = "token-token-token-token-token-token-abcd") =>
    ({ upload, csrfToken: csrf }) as unknown as AppContext;
  const refused = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof UploadRefused) return [e.status, e.reason];
      return ["thrown", (e as { init?: { status?: number } }).init?.status];
    }
    return null;
  };
  const csrf = "token-token-token-token-token-token-abcd";
  const file = { originalName: "a.xml", size: 3, buffer: Buffer.from("<a/>") };
  it("turns every upload error into one refusal with its status, the size before the token", () => {
    expect(refused(() => readUpload(context(undefined), UPLOADS.poa))).toEqual([400, "incomplete"]);
    expect(
      refused(() => readUpload(context({ fields: {}, files: [], file: null, error: "too-large" }), UPLOADS.poa)),
    ).toEqual([413, "too-large"]);
    expect(
      refused(() => readUpload(context({ fields: { csrf: "wrong" }, files: [file], file, error: null }), UPLOADS.poa)),
    ).toEqual(["thrown", 403]);
    expect(
      refused(() =>
        readUpload(context({ fields: { csrf }, files: [], file: null, error: "too-many-files" }), UPLOADS.reports),
      ),
    ).toEqual([413, "too-many"]);
    expect(
      refused(() => readUpload(context({ fields: { csrf }, files: [], file: null, error: null }), UPLOADS.poa)),
    ).toEqual([422, "missing"]);
    // The API has no CSRF token (a bearer token instead) and answers 400 for a missing file.
    expect(
      refused(() => readUpload(context({ fields: {}, files: [], file: null, error: null }), UPLOADS.apiReport)),
    ).toEqual([400, "missing"]);
    expect(
      readUpload(context({ fields: { csrf }, files: [], file: null, error: null }), UPLOADS.bulkList).files,
    ).toEqual([]);
    expect(readUpload(context({ fields: { csrf }, files: [file], file, error: null }), UPLOADS.poa).files).toEqual([
      file,
    ]);
  });
});

import { freshRandomBytes } from "../../server";
describe("random bytes for nonces and anonymous ids", () => {
  it("hands out bytes of the size asked, never the same twice, across the 4 KiB it draws at a time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const bytes = freshRandomBytes(i % 2 ? 16 : 18);
      expect(bytes.length).toBe(i % 2 ? 16 : 18);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(1000);
  });
});
