import { describe, expect, it } from "vitest";
import { hashPassword, passwordPolicyViolations, verifyPassword } from "../../app/accounts/passwords.server";
import { normaliseEmail, normalisePersonName, registrationSchema } from "../../app/accounts/registration.server";
import { safeRedirectTarget } from "../../app/accounts/guards.server";
import { sha256Hex } from "../../app/accounts/tokens.server";

describe("password policy", () => {
  it("accepts a password with every class", () => {
    expect(passwordPolicyViolations("Sekret-2026!", "a@b.ru")).toEqual([]);
    expect(passwordPolicyViolations("Пароль-2026!", "a@b.ru")).toEqual([]); // Cyrillic letters count
  });
  it.each([
    ["Aa1!", "не короче 8"],
    ["aaaaaa1!", "заглавная"],
    ["AAAAAA1!", "строчная"],
    ["Aaaaaaa!", "цифра"],
    ["Aaaaaaa1", "специальный символ"],
  ])("refuses %s (%s)", (password, message) => {
    expect(passwordPolicyViolations(password, "a@b.ru").join(" ")).toContain(message);
  });
  it("refuses a password equal to the e-mail, in any case", () => {
    expect(passwordPolicyViolations("Ivanova-1@Example.ru", "ivanova-1@example.ru").join(" ")).toContain(
      "не должен совпадать",
    );
  });
  it("hashes with argon2id and verifies", async () => {
    const h = await hashPassword("Sekret-2026!");
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, "Sekret-2026!")).toBe(true);
    expect(await verifyPassword(h, "sekret-2026!")).toBe(false);
    expect(await verifyPassword("garbage", "x")).toBe(false);
  });
});

describe("normalisation", () => {
  it("trims and folds e-mail case", () => {
    expect(normaliseEmail("  Ivanova@Example.RU ")).toBe("ivanova@example.ru");
  });
  it("collapses spaces in names", () => {
    expect(normalisePersonName("  Мария   Петровна ")).toBe("Мария Петровна");
  });
  it("registration schema accepts hyphenated names and no patronymic", () => {
    const r = registrationSchema.safeParse({
      surname: "Римский-Корсакова",
      givenName: "Анна",
      patronymic: "",
      email: "a@b.ru",
      password: "Sekret-2026!",
      passwordConfirm: "Sekret-2026!",
    });
    expect(r.success).toBe(true);
  });
});

describe("redirect targets", () => {
  it.each([
    ["/profile", "/profile"],
    ["/profile?tab=1", "/profile?tab=1"],
    ["//evil.example", "/profile"],
    ["https://evil.example", "/profile"],
    ["/\\evil.example", "/profile"],
    // Browsers drop tabs and line breaks from URLs: these are //evil.example to them.
    ["/\t/evil.example", "/profile"],
    ["/\n/evil.example", "/profile"],
    ["/\r\n/evil.example", "/profile"],
    ["/%09/evil.example", "/%09/evil.example"],
    ["/reports?year=2026#x", "/reports?year=2026#x"],
    ["/\u3000/evil.example", "/%E3%80%80/evil.example"],
    ["/profile\nSet-Cookie: x=1", "/profileSet-Cookie:%20x=1"],
    ["javascript:alert(1)", "/profile"],
    [null, "/profile"],
  ])("%j → %s", (given, expected) => {
    expect(safeRedirectTarget(given, "http://127.0.0.1:3000")).toBe(expected);
  });
});

describe("token hashing", () => {
  it("is SHA-256 hex", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("an operator's subdivisions", () => {
  it("reads four-digit codes of the branch's regions, sorted and without repeats; empty is every subdivision", async () => {
    const { parseSubdivisions } = await import("../../app/accounts/operators.server");
    expect(parseSubdivisions("7702, 5003;7702 7701", "7700")).toEqual(["5003", "7701", "7702"]);
    expect(parseSubdivisions("  ", "7700")).toBeNull();
    expect(parseSubdivisions("0274", "0200")).toEqual(["0274"]);
    expect(parseSubdivisions("770", "7700")).toEqual({
      error: "Код подразделения — 4 цифры (первые цифры рег. номера ФСС), а указано «770».",
    });
    expect(parseSubdivisions("1601", "7700")).toEqual({
      error: "Подразделение 1601 относится не к отделению 7700: сотрудник видит только заявки своего отделения.",
    });
  });
});
