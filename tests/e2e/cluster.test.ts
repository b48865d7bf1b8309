// WEB_CONCURRENCY=2: two server processes share the port and the database; a session made through one is known
// to the other, and the scheduled jobs run in one of them only.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type RunningPortal } from "./support";

describe("two server processes", () => {
  let portal: RunningPortal;
  beforeAll(async () => {
    portal = await startPortal({ env: { WEB_CONCURRENCY: "2" } });
  });
  afterAll(async () => {
    await portal?.stop();
  });

  it("serve the same port and share sign-ins", async () => {
    expect(portal.output()).toContain("2 server processes");
    const login = await fetch(`${portal.url}/login`);
    const cookies = login.headers.getSetCookie().map((c) => c.split(";")[0]);
    const csrf = (await login.text()).match(/name="csrf" value="([^"]+)"/)![1];
    const res = await fetch(`${portal.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: portal.url,
        Cookie: cookies.join("; "),
      },
      body: new URLSearchParams({ csrf, email: "demo@sedo-gateway.local", password: "Demo-2026!" }),
    });
    expect(res.status).toBe(302);
    const session = res.headers.getSetCookie().map((c) => c.split(";")[0]);
    // Many requests with that session, each on a connection of its own (the primary hands connections out in
    // turn): whichever process answers knows it.
    const get = () =>
      new Promise<number>((resolve, reject) =>
        http
          .get(`${portal.url}/profile`, { agent: false, headers: { Cookie: session.join("; ") } }, (r) => {
            r.resume();
            r.on("end", () => resolve(r.statusCode ?? 0));
          })
          .on("error", reject),
      );
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push(await get());
    expect(new Set(statuses)).toEqual(new Set([200]));
    // Both processes answered some of them (the request log names the process).
    const pids = new Set([...portal.output().matchAll(/GET \/profile 200 .* pid=(\d+)/g)].map((m) => m[1]));
    expect(pids.size).toBe(2);
  });
});
