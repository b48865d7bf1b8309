// Reading a submitted form: the CSRF token and the honeypot are checked here, once, for every action.
import { data } from "@remix-run/node";
import type { AppContext } from "./context.server";
import { CSRF_FIELD, csrfTokenMatches } from "./csrf.server";

export const HONEYPOT_FIELD = "website";

export class FormRejected extends Error {}

/**
 * The form of a state-changing request. Throws a 403 page when the CSRF token is missing or wrong,
 * and a 400 when the honeypot (a field people never see) was filled in by a bot.
 */
export async function readForm(request: Request, context: AppContext): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw data(
      { formError: "Не удалось прочитать отправленную форму. Обновите страницу и попробуйте снова." },
      { status: 400 },
    );
  }
  assertFormToken(form.get(CSRF_FIELD), context);
  const honeypot = form.get(HONEYPOT_FIELD);
  if (typeof honeypot === "string" && honeypot !== "") {
    throw data({ formError: "Форма заполнена автоматически и не принята." }, { status: 400 });
  }
  return form;
}

export function assertFormToken(token: unknown, context: AppContext): void {
  if (!csrfTokenMatches(context.csrfToken, token)) {
    throw data(
      { formError: "Страница устарела или форма отправлена не с портала. Обновите страницу и повторите действие." },
      { status: 403 },
    );
  }
}

export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
