import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../app/config.server";
import { tempDir } from "../support/databases";

const secret = "x".repeat(40);

describe("loadConfig", () => {
  it("applies the embedded defaults", () => {
    const c = loadConfig({ SESSION_SECRET: secret });
    expect(c.port).toBe(3000);
    expect(c.appUrl).toBe("http://localhost:3000");
    expect(c.databaseKind).toBe("sqlite");
    expect(c.databaseUrl).toBe("db/portal.sqlite");
    expect(c.uploadsDir).toBe(path.resolve("uploads"));
    expect(c.mailDir).toBe(path.resolve("emails"));
    expect(c.smtpUrl).toBeUndefined();
    expect(c.secureCookies).toBe(false);
    expect(c.apiRequestsPerMinute).toBe(600);
  });

  it("recognises PostgreSQL, https and SMTP settings", () => {
    const c = loadConfig({
      SESSION_SECRET: secret,
      DATABASE_URL: "postgres://u@h/db",
      APP_URL: "https://sedo.example/",
      SMTP_URL: "smtp://mail:25",
    });
    expect(c.databaseKind).toBe("postgres");
    expect(c.appUrl).toBe("https://sedo.example");
    expect(c.secureCookies).toBe(true);
    expect(c.smtpUrl).toBe("smtp://mail:25");
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["APP_URL", "ftp://x"],
    ["SMTP_URL", "http://mail"],
    ["SESSION_SECRET", "short"],
    ["SEED_DEMO", "maybe"],
    ["API_REQUESTS_PER_MINUTE", "0"],
    ["API_REQUESTS_PER_MINUTE", "lots"],
  ])("names the bad variable %s=%s", (name, value) => {
    expect(() => loadConfig({ SESSION_SECRET: secret, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ SESSION_SECRET: secret, [name]: value })).toThrow(new RegExp(`${name}=`));
  });

  it("without SESSION_SECRET makes one secret beside the database and keeps it", () => {
    const dir = tempDir();
    const dbFile = path.join(dir, "sub", "portal.sqlite");
    const first = loadConfig({ DATABASE_URL: dbFile }).sessionSecret;
    const second = loadConfig({ DATABASE_URL: dbFile }).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    const file = path.join(dir, "sub", "session-secret");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATABASE_URL: path.join(tempDir(), "other.sqlite") }).sessionSecret).not.toBe(first);
  });
});
