// Demo data for the embedded default: seeded once, on the first start of an empty SQLite database.
import type { Db } from "../index.server";
import type { Clock } from "../../app/clock.server";
import { hashPassword } from "../../app/accounts/passwords.server";
import { seedRegistry } from "./registry.server";

export const DEMO_REPRESENTATIVE = {
  email: "demo@sedo-gateway.local",
  password: "Demo-2026!",
  surname: "Иванова",
  givenName: "Мария",
  patronymic: "Петровна",
};

export const DEMO_OPERATOR = {
  email: "operator@sedo-gateway.local",
  password: "Demo-2026!",
  surname: "Сотрудникова",
  givenName: "Ольга",
  patronymic: "Ивановна",
  office: "7700",
};
export const DEMO_ADMIN = {
  email: "admin@sedo-gateway.local",
  password: "Demo-2026!",
  surname: "Администраторов",
  givenName: "Павел",
  patronymic: "",
};

/** Seeds the demo registry and accounts when the database has no users yet; returns whether it did. */
export async function seedDemoData(db: Db, clock: Clock): Promise<boolean> {
  const any = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  if (any) return false;
  await seedRegistry(db);
  const now = clock.now().toISOString();
  await db
    .insertInto("users")
    .values({
      role: "representative",
      surname: DEMO_REPRESENTATIVE.surname,
      given_name: DEMO_REPRESENTATIVE.givenName,
      patronymic: DEMO_REPRESENTATIVE.patronymic,
      email: DEMO_REPRESENTATIVE.email,
      password_hash: await hashPassword(DEMO_REPRESENTATIVE.password),
      status: "active",
      territorial_body_code: null,
      locked_until: null,
      created_at: now,
      confirmed_at: now,
      password_changed_at: now,
    })
    .execute();
  for (const [role, p, office] of [
    ["operator", DEMO_OPERATOR, DEMO_OPERATOR.office],
    ["admin", DEMO_ADMIN, null],
  ] as const) {
    await db
      .insertInto("users")
      .values({
        role,
        surname: p.surname,
        given_name: p.givenName,
        patronymic: p.patronymic,
        email: p.email,
        password_hash: await hashPassword(p.password),
        status: "active",
        territorial_body_code: office,
        locked_until: null,
        created_at: now,
        confirmed_at: now,
        password_changed_at: now,
      })
      .execute();
  }
  return true;
}

/** Whether this database holds the demo accounts (seeded by seedDemoData). */
export async function hasDemoAccounts(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where("email", "=", DEMO_REPRESENTATIVE.email)
    .executeTakeFirst();
  return Boolean(row);
}
