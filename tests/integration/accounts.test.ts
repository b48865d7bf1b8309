// Accounts through the HTTP app: registration, confirmation, sign-in, lockout, reset, sessions, CSRF.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../app/accounts/tokens.server";
import { signIn as signInAccount } from "../../app/accounts/sign-in.server";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { BrowserClient, textOf } from "../support/client";
import { linkIn } from "../support/smtp";

const PASSWORD = "Sekret-2026!";
let seq = 0;
function uniqueEmail(tag: string) {
  seq += 1;
  return `${tag}.${seq}.${Date.now()}@example.ru`;
}

function registration(email: string, overrides: Record<string, string> = {}) {
  return {
    surname: "Иванова",
    givenName: "Мария",
    patronymic: "Петровна",
    email,
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    ...overrides,
  };
}

describe.each(databaseKinds)("accounts over HTTP on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(async () => {
    await app?.close();
  });

  const db = () => app.database.handle.db;
  const userByEmail = (email: string) =>
    db().selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();

  async function registerAndConfirm(email: string, client = new BrowserClient(app.url)) {
    const page = await client.submit("/register", registration(email));
    expect(page.status).toBe(200);
    await app.deliverMail();
    const link = linkIn(app.smtp.lastTo(email), "/confirm/");
    const confirmed = await client.get(link);
    expect(confirmed.status).toBe(200);
    return client;
  }

  async function signIn(email: string, password = PASSWORD, client = new BrowserClient(app.url)) {
    const page = await client.submit("/login", { email, password });
    return { client, page };
  }

  it("registration form has the labelled fields of UI.md", async () => {
    const page = await new BrowserClient(app.url).get("/register");
    for (const label of ["Фамилия", "Имя", "Отчество", "Электронная почта", "Пароль", "Повторите пароль"]) {
      expect(page.html).toContain(`>${label}</label>`);
    }
    expect(page.html).toContain(">Зарегистрироваться</button>");
  });

  it("registers, sends a Russian letter with a one-time link stored only as a hash, and confirms", async () => {
    const email = uniqueEmail("reg");
    const client = new BrowserClient(app.url);
    const page = await client.submit("/register", registration(`  ${email.toUpperCase()} `));
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain("Письмо отправлено");
    expect(textOf(page.html)).toContain(email);

    const user = await userByEmail(email);
    expect(user?.status).toBe("unconfirmed");
    expect(user?.password_hash).toMatch(/^\$argon2id\$/);
    expect(user?.password_hash).not.toContain(PASSWORD);

    expect(app.smtp.to(email)).toHaveLength(0); // nothing is sent inside the request: the outbox does it
    await app.deliverMail();
    const letter = app.smtp.lastTo(email);
    expect(letter.subject).toContain("Подтверждение адреса");
    expect(letter.text).toContain("Здравствуйте, Мария Петровна!");
    expect(letter.html).toContain("Подтвердить адрес");
    const link = linkIn(letter, "/confirm/");
    expect(link.startsWith(`${app.url}/confirm/`)).toBe(true);
    const token = link.split("/confirm/")[1];
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    const stored = await db().selectFrom("email_tokens").selectAll().where("user_id", "=", user!.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toBe(sha256Hex(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const confirmed = await client.get(link);
    expect(confirmed.status).toBe(200);
    expect(textOf(confirmed.html)).toContain("Адрес подтверждён");
    expect((await userByEmail(email))?.status).toBe("active");

    const again = await new BrowserClient(app.url).get(link);
    expect(again.status).toBe(410);
    expect(textOf(again.html)).toContain("Эта ссылка уже использована");
    expect(again.html).toContain("Отправить письмо повторно");

    const events = await db()
      .selectFrom("audit_events")
      .select(["action", "ip"])
      .where("actor_id", "=", user!.id)
      .execute();
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["account.registered", "account.confirmed"]));
    expect(events.every((e) => e.ip)).toBe(true);
  });

  it("refuses each password-policy breach with a message and writes nothing", async () => {
    const email = uniqueEmail("policy");
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ password: "Aa1!aaa", passwordConfirm: "Aa1!aaa" }, "password", "не короче 8 символов"],
      [{ password: "aaaa1111!", passwordConfirm: "aaaa1111!" }, "password", "заглавная буква"],
      [{ password: "AAAA1111!", passwordConfirm: "AAAA1111!" }, "password", "строчная буква"],
      [{ password: "Aaaaaaaa!", passwordConfirm: "Aaaaaaaa!" }, "password", "цифра"],
      [{ password: "Aaaaaaaa1", passwordConfirm: "Aaaaaaaa1" }, "password", "специальный символ"],
      [
        {
          email: "Policy.Mail1@Example.ru",
          password: "Policy.Mail1@Example.ru",
          passwordConfirm: "Policy.Mail1@Example.ru",
        },
        "password",
        "не должен совпадать с адресом",
      ],
      [{ passwordConfirm: "Другой-2026!" }, "passwordConfirm", "Пароли не совпадают"],
      [{ surname: "  " }, "surname", "Укажите фамилию"],
      [{ givenName: "" }, "givenName", "Укажите имя"],
      [{ surname: "Иванова<script>" }, "surname", "только буквы"],
      [{ email: "not-an-email" }, "email", "Адрес электронной почты указан неверно"],
    ];
    const client = new BrowserClient(app.url);
    await client.get("/register");
    for (const [overrides, , message] of cases) {
      const page = await client.post("/register", registration(email, overrides));
      expect(page.status, message).toBe(422);
      expect(textOf(page.html)).toContain(message);
    }
    const count = await db()
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("email", "in", [email, "policy.mail1@example.ru"])
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it("accepts an empty patronymic", async () => {
    const email = uniqueEmail("nopatronymic");
    const page = await new BrowserClient(app.url).submit("/register", registration(email, { patronymic: "" }));
    expect(page.status).toBe(200);
    expect((await userByEmail(email))?.patronymic).toBe("");
  });

  it("a second registration of the same address (any case, spaces) looks like any other, makes no second account, and tells the owner", async () => {
    const email = uniqueEmail("dup");
    await new BrowserClient(app.url).submit("/register", registration(email));
    await app.deliverMail();
    const before = app.smtp.to(email).length;
    const second = await new BrowserClient(app.url).submit(
      "/register",
      registration(` ${email.toUpperCase()}  `, { surname: "Петрова" }),
    );
    // The same answer as for a new address: a stranger cannot tell which addresses have accounts.
    expect(second.status).toBe(200);
    expect(textOf(second.html)).toContain("Письмо отправлено");
    expect(textOf(second.html)).not.toContain("уже зарегистрирован");
    const rows = await db().selectFrom("users").select("surname").where("email", "=", email).execute();
    expect(rows).toEqual([{ surname: "Иванова" }]);
    await app.deliverMail();
    const letter = app.smtp.lastTo(email);
    expect(letter.subject).toBe("Попытка регистрации с вашим адресом — СЭДО-шлюз");
    expect(letter.text).toContain("в ней ничего не изменилось");
    // At most three such letters an hour to one address, however many attempts.
    for (let i = 0; i < 4; i++) await new BrowserClient(app.url).submit("/register", registration(email));
    await app.deliverMail();
    expect(app.smtp.to(email).filter((l) => l.subject.startsWith("Попытка регистрации"))).toHaveLength(3);
    expect(app.smtp.to(email).length).toBe(before + 3);
  });

  it("unknown and expired confirmation links get a clear page; resending is limited per address", async () => {
    const unknown = await new BrowserClient(app.url).get("/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect(unknown.status).toBe(410);
    expect(textOf(unknown.html)).toContain("Ссылка не найдена");

    const email = uniqueEmail("expired");
    const client = new BrowserClient(app.url);
    await client.submit("/register", registration(email));
    await app.deliverMail();
    const link = linkIn(app.smtp.lastTo(email), "/confirm/");
    app.clock.advance(24 * 3600_000 + 60_000);
    const expired = await client.get(link);
    expect(expired.status).toBe(410);
    expect(textOf(expired.html)).toContain("Срок действия ссылки истёк");
    expect((await userByEmail(email))?.status).toBe("unconfirmed");

    const before = app.smtp.to(email).length;
    for (let i = 0; i < 3; i++) {
      const page = await client.submit("/resend-confirmation", { email });
      expect(page.status).toBe(200);
      expect(textOf(page.html)).toContain("мы отправили на него новое письмо");
    }
    const limited = await client.submit("/resend-confirmation", { email });
    expect(limited.status).toBe(429);
    expect(textOf(limited.html)).toContain("Подождите час");
    await app.deliverMail();
    expect(app.smtp.to(email).length - before).toBe(3);

    // The newest link works.
    const fresh = linkIn(app.smtp.lastTo(email), "/confirm/");
    expect((await client.get(fresh)).status).toBe(200);
    expect((await userByEmail(email))?.status).toBe("active");

    // An unknown address gets the same reply and no letter.
    const stranger = uniqueEmail("stranger");
    const reply = await client.submit("/resend-confirmation", { email: stranger });
    expect(reply.status).toBe(200);
    await app.deliverMail();
    expect(app.smtp.to(stranger)).toHaveLength(0);
  });

  it("an unconfirmed account cannot sign in and is offered a new letter", async () => {
    const email = uniqueEmail("unconfirmed");
    await new BrowserClient(app.url).submit("/register", registration(email));
    const { client, page } = await signIn(email);
    expect(page.status).toBe(403);
    expect(textOf(page.html)).toContain("Адрес электронной почты ещё не подтверждён");
    expect(page.html).toContain("Отправить письмо повторно");
    expect(client.cookie("sedo_session")).toBeUndefined();
  });

  it("signs in with a new session id, an HttpOnly SameSite=Lax cookie, and signs out on the server", async () => {
    const email = uniqueEmail("signin");
    await registerAndConfirm(email);
    const client = new BrowserClient(app.url);
    // A session cookie planted before sign-in (fixation) is never kept.
    client.setCookie("sedo_session", "planted-session-token-0123456789abcdef");
    const { page } = await signIn(email, PASSWORD, client);
    expect(page.status).toBe(302);
    expect(page.location).toBe("/profile");
    const setCookie = page.headers.getSetCookie().find((c) => c.startsWith("sedo_session="))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/); // served over http here
    const token = client.cookie("sedo_session")!;
    expect(token).not.toBe("planted-session-token-0123456789abcdef");
    const row = await db().selectFrom("sessions").selectAll().where("id", "=", sha256Hex(token)).executeTakeFirst();
    expect(row).toBeTruthy();

    const profile = await client.get("/profile");
    expect(profile.status).toBe(200);
    expect(textOf(profile.html)).toContain("Иванова Мария Петровна");
    expect(textOf(profile.html)).toContain(email);
    expect(profile.html).toContain(">Профиль</a>");
    expect(profile.html).toContain(">Выйти</button>");

    // A second sign-in gives another session id.
    const second = await signIn(email);
    expect(second.client.cookie("sedo_session")).not.toBe(token);

    const out = await client.post("/logout", {});
    expect(out.status).toBe(302);
    expect(
      await db().selectFrom("sessions").selectAll().where("id", "=", sha256Hex(token)).executeTakeFirst(),
    ).toBeUndefined();
    const home = await client.get("/");
    expect(textOf(home.html)).toContain("Вы вышли из портала");
    // The old cookie, replayed, no longer opens the profile.
    const replay = new BrowserClient(app.url);
    replay.setCookie("sedo_session", token);
    const denied = await replay.get("/profile");
    expect(denied.status).toBe(302);
    expect(denied.location).toMatch(/^\/login\?redirectTo=%2Fprofile/);

    const actions = (
      await db().selectFrom("audit_events").select("action").where("subject_id", "=", String(row!.user_id)).execute()
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["login.succeeded", "logout"]));
  });

  it("after sign-in goes only to a path of the portal: tab, line breaks and U+3000 in redirectTo lead home, never away or to a 500", async () => {
    const email = uniqueEmail("redirect");
    await registerAndConfirm(email);
    for (const [redirectTo, location] of [
      ["/\t/evil.example", "/profile"],
      ["/\n/evil.example", "/profile"],
      ["/\r/evil.example", "/profile"],
      ["/\u3000/evil.example", "/%E3%80%80/evil.example"],
      ["https://evil.example/", "/profile"],
      ["/reports?year=2026", "/reports?year=2026"],
    ]) {
      const client = new BrowserClient(app.url);
      const form = await client.get(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
      expect(form.status).toBe(200);
      expect(form.html).not.toMatch(/name="redirectTo" value="[^"]*\/\/evil/);
      const signedIn = await client.post("/login", { email, password: PASSWORD, redirectTo });
      expect([signedIn.status, signedIn.location], JSON.stringify(redirectTo)).toEqual([302, location]);
    }
  });

  it("locks the account for 15 minutes after three wrong passwords, refusing even the right one", async () => {
    const email = uniqueEmail("lock");
    await registerAndConfirm(email);
    const client = new BrowserClient(app.url);
    const first = await signIn(email, "Wrong-2026!", client);
    expect(first.page.status).toBe(401);
    expect(textOf(first.page.html)).toContain("Неверный адрес электронной почты или пароль");
    await signIn(email, "Wrong-2026!", client);
    const third = await signIn(email, "Wrong-2026!", client);
    expect(third.page.status).toBe(423);
    expect(textOf(third.page.html)).toContain("Вход заблокирован на 15 минут");

    const during = await signIn(email, PASSWORD, client);
    expect(during.page.status).toBe(423);
    expect(client.cookie("sedo_session")).toBeUndefined();

    app.clock.advance(14 * 60_000);
    expect((await signIn(email)).page.status).toBe(423);
    app.clock.advance(61_000);
    const after = await signIn(email);
    expect(after.page.status).toBe(302);

    const user = await userByEmail(email);
    const events = await db()
      .selectFrom("audit_events")
      .select(["action", "ip", "at"])
      .where("actor_id", "=", user!.id)
      .orderBy("id")
      .execute();
    const actions = events.map((e) => e.action);
    expect(actions.filter((a) => a === "login.failed")).toHaveLength(3);
    expect(actions).toContain("account.locked");
    expect(actions.filter((a) => a === "login.refused_locked")).toHaveLength(2);
    expect(actions[actions.length - 1]).toBe("login.succeeded");
    expect(events.every((e) => e.ip && e.at)).toBe(true);
    expect(JSON.stringify(events)).not.toContain("Wrong-2026!");
  });

  it("answers three wrong sign-ins the same whether the address has an account or not", async () => {
    const known = uniqueEmail("known-lock");
    await registerAndConfirm(known);
    const unknown = uniqueEmail("nobody");
    for (const email of [known, unknown]) {
      const statuses: number[] = [];
      const client = new BrowserClient(app.url);
      for (let i = 0; i < 3; i++) statuses.push((await signIn(email, "Wrong-2026!", client)).page.status);
      const last = await signIn(email, "Wrong-2026!", client);
      expect([...statuses, last.page.status], email).toEqual([401, 401, 423, 423]);
      expect(textOf(last.page.html)).toContain("Вход заблокирован на 15 минут после трёх неверных паролей подряд");
    }
  });

  it("a right password resets the count of wrong ones", async () => {
    const email = uniqueEmail("reset-count");
    await registerAndConfirm(email);
    await signIn(email, "Wrong-2026!");
    await signIn(email, "Wrong-2026!");
    expect((await signIn(email)).page.status).toBe(302);
    await signIn(email, "Wrong-2026!");
    expect((await signIn(email, "Wrong-2026!")).page.status).toBe(401);
  });

  it("verifies no more than three wrong passwords however many attempts arrive at once", async () => {
    const email = uniqueEmail("parallel");
    await registerAndConfirm(email);
    const db = app.database.handle.db;
    const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    // 20 wrong attempts at once, each from its own address (no per-IP limit): exactly three are verified.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signInAccount(db, app.clock, { email, password: `Wrong-${i}-2026!`, ip: `10.0.0.${i + 1}`, userAgent: null }),
      ),
    );
    const verifiedWrong = await db
      .selectFrom("audit_events")
      .select("id")
      .where("action", "=", "login.failed")
      .where("subject_id", "=", String(user.id))
      .execute();
    expect(verifiedWrong).toHaveLength(3);
    expect(results.filter((r) => r.outcome === "invalid")).toHaveLength(2);
    expect(results.filter((r) => r.outcome === "locked")).toHaveLength(18);
    // Locked now: even the right password is refused until the lock ends.
    expect((await signIn(email)).page.status).toBe(423);
    app.clock.advance(15 * 60_000 + 1000);
    expect((await signIn(email)).page.status).toBe(302);
  });

  it("ends a session after 30 minutes without activity and after 12 hours in any case", async () => {
    const email = uniqueEmail("idle");
    await registerAndConfirm(email);
    const { client } = await signIn(email);
    app.clock.advance(29 * 60_000);
    expect((await client.get("/profile")).status).toBe(200);
    app.clock.advance(29 * 60_000);
    expect((await client.get("/profile")).status).toBe(200); // activity keeps it alive
    app.clock.advance(30 * 60_000 + 1000);
    const idle = await client.get("/profile");
    expect(idle.status).toBe(302);
    expect(idle.location).toContain("expired=1");

    const { client: busy } = await signIn(email);
    for (let i = 0; i < 12 * 3; i++) {
      app.clock.advance(20 * 60_000);
      const page = await busy.get("/profile");
      if (i < 12 * 3 - 1) expect(page.status, `after ${(i + 1) * 20} minutes`).toBe(200);
      else expect(page.status).toBe(302); // 12 hours reached
    }
  });

  it("password reset never reveals whether an address is registered and ends every other session", async () => {
    const email = uniqueEmail("forgot");
    await registerAndConfirm(email);
    const { client: other } = await signIn(email);
    expect((await other.get("/profile")).status).toBe(200);

    const known = await new BrowserClient(app.url).submit("/forgot-password", { email });
    const stranger = uniqueEmail("nobody");
    const unknown = await new BrowserClient(app.url).submit("/forgot-password", { email: stranger });
    expect(known.status).toBe(unknown.status);
    expect(textOf(known.html).replace(email, "X")).toBe(textOf(unknown.html).replace(stranger, "X"));
    await app.deliverMail();
    expect(app.smtp.to(stranger)).toHaveLength(0);
    const letter = app.smtp.lastTo(email);
    expect(letter.subject).toContain("Восстановление пароля");
    const link = linkIn(letter, "/reset-password/");

    const resetter = new BrowserClient(app.url);
    const form = await resetter.get(link);
    expect(form.html).toContain(">Новый пароль</label>");
    expect(form.html).toContain(">Сохранить пароль</button>");
    const weak = await resetter.post(new URL(link).pathname, { password: "short", passwordConfirm: "short" });
    expect(weak.status).toBe(422);
    const done = await resetter.post(new URL(link).pathname, {
      password: "Novyi-Parol-7?",
      passwordConfirm: "Novyi-Parol-7?",
    });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/login");

    expect((await other.get("/profile")).status).toBe(302); // the other session ended
    expect((await signIn(email)).page.status).toBe(401); // old password gone
    expect((await signIn(email, "Novyi-Parol-7?")).page.status).toBe(302);
    const reused = await resetter.get(link);
    expect(reused.status).toBe(410);
    expect(textOf(reused.html)).toContain("уже использована");

    const user = await userByEmail(email);
    const actions = (
      await db().selectFrom("audit_events").select("action").where("actor_id", "=", user!.id).execute()
    ).map((e) => e.action);
    expect(actions).toContain("password.changed");
    await app.deliverMail();
    expect(app.smtp.lastTo(email).subject).toContain("Пароль изменён");
  });

  it("a reset link expires after one hour", async () => {
    const email = uniqueEmail("reset-expiry");
    await registerAndConfirm(email);
    await new BrowserClient(app.url).submit("/forgot-password", { email });
    await app.deliverMail();
    const link = linkIn(app.smtp.lastTo(email), "/reset-password/");
    app.clock.advance(3600_000 + 1000);
    const page = await new BrowserClient(app.url).get(link);
    expect(page.status).toBe(410);
    expect(textOf(page.html)).toContain("Срок действия ссылки истёк");
  });

  it("changing the password on the profile keeps this session and ends the others", async () => {
    const email = uniqueEmail("change");
    await registerAndConfirm(email);
    const { client: here } = await signIn(email);
    const { client: there } = await signIn(email);
    await here.get("/profile/password");
    const wrong = await here.post("/profile/password", {
      currentPassword: "nope",
      password: "Drugoi-Parol-8#",
      passwordConfirm: "Drugoi-Parol-8#",
    });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.html)).toContain("Текущий пароль указан неверно");
    const ok = await here.post("/profile/password", {
      currentPassword: PASSWORD,
      password: "Drugoi-Parol-8#",
      passwordConfirm: "Drugoi-Parol-8#",
    });
    expect(ok.status).toBe(302);
    expect((await here.get("/profile")).status).toBe(200);
    expect((await there.get("/profile")).status).toBe(302);
  });

  it("refuses state-changing requests without the CSRF token or from a foreign origin, writing nothing", async () => {
    const email = uniqueEmail("csrf");
    const client = new BrowserClient(app.url);
    await client.get("/register");
    const noToken = await client.post("/register", { ...registration(email), csrf: "" });
    expect(noToken.status).toBe(403);
    expect(textOf(noToken.html)).toContain("Страница устарела");
    const foreign = await client.post("/register", registration(email), { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    // A token of another visitor does not fit this one.
    const other = new BrowserClient(app.url);
    await other.get("/register");
    const stolen = await client.post("/register", { ...registration(email), csrf: other.csrf });
    expect(stolen.status).toBe(403);
    expect(await userByEmail(email)).toBeUndefined();

    await registerAndConfirm(email);
    const { client: signedIn } = await signIn(email);
    await signedIn.get("/profile");
    const logoutWithoutToken = await signedIn.post("/logout", { csrf: "x" });
    expect(logoutWithoutToken.status).toBe(403);
    expect((await signedIn.get("/profile")).status).toBe(200);
  });

  it("a filled honeypot is refused", async () => {
    const email = uniqueEmail("bot");
    const page = await new BrowserClient(app.url).submit("/register", {
      ...registration(email),
      website: "http://spam",
    });
    expect(page.status).toBe(400);
    expect(await userByEmail(email)).toBeUndefined();
  });

  it("shows friendly 404 pages and sends anonymous visitors of the profile to sign in", async () => {
    const client = new BrowserClient(app.url);
    const missing = await client.get("/no-such-page");
    expect(missing.status).toBe(404);
    expect(textOf(missing.html)).toContain("Страница не найдена");
    const profile = await client.get("/profile");
    expect(profile.status).toBe(302);
    expect(profile.location).toBe("/login?redirectTo=%2Fprofile");
    const home = await client.get("/");
    expect(home.html).toContain(">Регистрация</a>");
    expect(home.html).toContain(">Вход</a>");
  });

  it("does not log tokens or passwords", async () => {
    const email = uniqueEmail("logs");
    await registerAndConfirm(email);
    const joined = app.logs.join("\n");
    expect(joined).not.toContain(PASSWORD);
    expect(joined).not.toMatch(/\/confirm\/[A-Za-z0-9_-]{20,}/);
  });
});
