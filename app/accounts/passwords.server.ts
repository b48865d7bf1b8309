// Password policy and hashing (argon2id with OWASP's minimum parameters). Passwords are never logged.
import { hash, verify } from "@node-rs/argon2";

const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** The policy's complaints about a password, in Russian; empty when it is acceptable. */
export function passwordPolicyViolations(password: string, email: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`не короче ${PASSWORD_MIN_LENGTH} символов`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`не длиннее ${PASSWORD_MAX_LENGTH} символов`);
  if (!/\p{Lu}/u.test(password)) problems.push("хотя бы одна заглавная буква");
  if (!/\p{Ll}/u.test(password)) problems.push("хотя бы одна строчная буква");
  if (!/\p{Nd}/u.test(password)) problems.push("хотя бы одна цифра");
  if (!/[^\p{L}\p{Nd}\s]/u.test(password)) problems.push("хотя бы один специальный символ (например, ! ? % # -)");
  const messages = problems.length ? [`Пароль должен содержать: ${problems.join(", ")}.`] : [];
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) {
    messages.push("Пароль не должен совпадать с адресом электронной почты.");
  }
  return messages;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so a reply's timing does not tell whether an address exists. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword("dummy-password-for-timing-Aa1!");
  await verifyPassword(await dummyHash, password);
}
