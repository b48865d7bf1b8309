// Errors that are ours: a friendly 500 page with a request id, and the id in the log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { startTestApp, type TestApp } from "../support/app";
import { BrowserClient, textOf } from "../support/client";

describe("friendly 500", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp("sqlite");
  });
  afterAll(async () => {
    await app?.close();
  });

  it("shows the request id when the database fails under a request", async () => {
    await sql`DROP TABLE sessions`.execute(app.database.handle.db);
    const client = new BrowserClient(app.url);
    client.setCookie("sedo_session", "a-session-token-of-sufficient-length-000");
    const page = await client.get("/profile");
    expect(page.status).toBe(500);
    expect(textOf(page.html)).toContain("Ошибка на портале");
    const id = page.headers.get("x-request-id")!;
    expect(page.html).toContain(id);
    expect(app.logs.some((l) => l.startsWith(`error id=${id}`))).toBe(true);
  });
});
