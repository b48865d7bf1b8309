// Accounts made directly in the database for tests that are not about registration.
import { hashPassword } from "../../app/accounts/passwords.server";
import type { Db } from "../../db/index.server";
import { BrowserClient } from "./client";

export const TEST_PASSWORD = "Sekret-2026!";
let counter = 0;

export async function createActiveUser(
  db: Db,
  name: { surname: string; givenName: string; patronymic: string },
  role: "representative" | "operator" | "admin" = "representative",
): Promise<{ id: number; email: string }> {
  counter += 1;
  const email = `user${counter}.${Date.now()}@example.ru`;
  const at = "2026-01-01T00:00:00.000Z";
  const row = await db
    .insertInto("users")
    .values({
      role,
      surname: name.surname,
      given_name: name.givenName,
      patronymic: name.patronymic,
      email,
      password_hash: await hashPassword(TEST_PASSWORD),
      status: "active",
      territorial_body_code: null,
      locked_until: null,
      created_at: at,
      confirmed_at: at,
      password_changed_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, email };
}

export async function signedInClient(baseUrl: string, email: string): Promise<BrowserClient> {
  const client = new BrowserClient(baseUrl);
  const page = await client.submit("/login", { email, password: TEST_PASSWORD });
  if (page.status !== 302) throw new Error(`sign-in failed with ${page.status}`);
  return client;
}
