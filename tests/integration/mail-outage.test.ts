// An SMTP outage delays the letter but loses none, and it arrives exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { BrowserClient } from "../support/client";
import { linkIn } from "../support/smtp";

describe.each(databaseKinds)("outbox through an SMTP outage on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("keeps the letter while SMTP is down and delivers it once when it is back", async () => {
    const port = app.smtp.port;
    await app.smtp.stop();
    const email = `outage.${Date.now()}@example.ru`;
    const page = await new BrowserClient(app.url).submit("/register", {
      surname: "Фёдоров",
      givenName: "Илья",
      patronymic: "",
      email,
      password: "Outage-2026!",
      passwordConfirm: "Outage-2026!",
    });
    expect(page.status).toBe(200); // the account is made even though mail is down

    const failed = await app.deliverMail();
    expect(failed).toEqual({ sent: 0, failed: 1 });
    const row = await app.database.handle.db
      .selectFrom("outbox")
      .selectAll()
      .where("recipient", "=", email)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeTruthy();

    await app.smtp.start(port);
    // Not yet due: the back-off holds the retry.
    expect(await app.deliverMail()).toEqual({ sent: 0, failed: 0 });
    app.clock.advance(31_000);
    expect(await app.deliverMail()).toEqual({ sent: 1, failed: 0 });
    app.clock.advance(3600_000);
    expect(await app.deliverMail()).toEqual({ sent: 0, failed: 0 });

    const letters = app.smtp.to(email);
    expect(letters).toHaveLength(1);
    expect(linkIn(letters[0], "/confirm/")).toContain("/confirm/");
  });
});
