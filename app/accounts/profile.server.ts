// What the Профиль page shows about the signed-in account.
import type { Db } from "../../db/index.server";

export async function accountProfile(db: Db, userId: number) {
  const user = await db
    .selectFrom("users")
    .select([
      "surname",
      "given_name",
      "patronymic",
      "email",
      "role",
      "created_at",
      "confirmed_at",
      "password_changed_at",
    ])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const lastSignIn = await db
    .selectFrom("audit_events")
    .select(["at", "ip"])
    .where("actor_id", "=", userId)
    .where("action", "=", "login.succeeded")
    .orderBy("id", "desc")
    .offset(1)
    .limit(1)
    .executeTakeFirst();
  return {
    surname: user.surname,
    givenName: user.given_name,
    patronymic: user.patronymic,
    email: user.email,
    role: user.role,
    createdAt: user.created_at,
    confirmedAt: user.confirmed_at,
    passwordChangedAt: user.password_changed_at,
    previousSignIn: lastSignIn ?? null,
  };
}
