// POST /reports/send: the «Отчёты» page's script sends each file here on its own and gets its result lines
// as JSON, to fill «Результаты отправки» and the progress bar. The same checks as the form: the session,
// the CSRF token, the upload limits.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireRepresentative } from "~/accounts/guards.server";
import { sendUploadedReports } from "~/reports/context.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRepresentative(request, context);
  return Response.json(
    { error: "Отправьте файлы методом POST со страницы «Отчёты»." },
    { status: 405, headers: { Allow: "POST" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  let sent;
  try {
    sent = await sendUploadedReports(context, user.id);
  } catch (error) {
    // A refused CSRF token comes as data() with its status: here it is JSON like every other answer.
    if (error && typeof error === "object" && "init" in error && "data" in error) {
      const { data, init } = error as { data: { formError?: string }; init: ResponseInit | null };
      return Response.json(
        { error: data.formError ?? "Запрос не принят.", lines: null },
        { status: init?.status ?? 400 },
      );
    }
    throw error;
  }
  return Response.json(
    { error: sent.error, lines: sent.lines },
    { status: sent.status, headers: { "Cache-Control": "no-store" } },
  );
}
