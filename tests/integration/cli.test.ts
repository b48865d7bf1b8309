// `npm run operator:create`: creates the operator, writes the invitation letter, refuses bad input.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { tempDir } from "../support/databases";
import { createDb } from "../../db/index.server";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");

describe("npm run operator:create", () => {
  it("creates an operator of the office and mails the link; refuses an unknown office and a taken address", async () => {
    const dir = tempDir();
    const env = {
      ...process.env,
      DATABASE_URL: path.join(dir, "db.sqlite"),
      MAIL_DIR: path.join(dir, "emails"),
      SMTP_URL: "",
      SESSION_SECRET: "x".repeat(40),
      APP_URL: "https://sedo.example.ru",
    };
    const cli = (...args: string[]) =>
      run(process.execPath, ["--import", "tsx", "scripts/operator-create.ts", ...args], { env, cwd: root });
    const ok = await cli(
      "--email",
      "Olga.P@sfr.example.ru",
      "--surname",
      "Петрова",
      "--given",
      "Ольга",
      "--office",
      "7700",
    );
    expect(ok.stdout).toContain("Создан сотрудник olga.p@sfr.example.ru");
    const files = fs.readdirSync(path.join(dir, "emails")).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(1);
    const letter = await simpleParser(fs.readFileSync(path.join(dir, "emails", files[0])));
    expect(letter.text).toMatch(/https:\/\/sedo\.example\.ru\/reset-password\/[A-Za-z0-9_-]{40,}/);
    const handle = createDb(env.DATABASE_URL);
    const user = await handle.db
      .selectFrom("users")
      .selectAll()
      .where("email", "=", "olga.p@sfr.example.ru")
      .executeTakeFirstOrThrow();
    await handle.close();
    expect([user.role, user.territorial_body_code, user.status]).toEqual(["operator", "7700", "unconfirmed"]);
    const unknown = await cli(
      "--email",
      "x@sfr.example.ru",
      "--surname",
      "Х",
      "--given",
      "Y",
      "--office",
      "1234",
    ).catch((e: { code: number; stderr: string }) => e);
    expect((unknown as { code: number }).code).toBe(2);
    expect((unknown as { stderr: string }).stderr).toContain("--office: Территориальный орган с кодом 1234 не найден");
    const taken = await cli(
      "--email",
      "olga.p@sfr.example.ru",
      "--surname",
      "Петрова",
      "--given",
      "Ольга",
      "--office",
      "7700",
    ).catch((e: { code: number; stderr: string }) => e);
    expect((taken as { stderr: string }).stderr).toContain("уже существует");
    fs.rmSync(dir, { recursive: true, force: true });
  }, 90_000);
});
