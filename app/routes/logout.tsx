// «Выйти»: ends the session on the server and clears the cookie.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { recordAuditEvent } from "~/audit/journal.server";
import { endSessionByToken } from "~/accounts/sessions.server";
import { clearedSessionCookie, flashCookie } from "~/web/cookies.server";
import { readForm } from "~/web/forms.server";

export async function loader() {
  throw redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request, context);
  if (context.session) {
    await endSessionByToken(context.db, context.sessionToken);
    await recordAuditEvent(context.db, context.clock, {
      action: "logout",
      actorId: context.session.user.id,
      subjectType: "user",
      subjectId: context.session.user.id,
      ip: context.ip,
    });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", clearedSessionCookie(context.config.secureCookies));
  headers.append("Set-Cookie", flashCookie("Вы вышли из портала.", context.config.secureCookies));
  throw redirect("/", { headers });
}
