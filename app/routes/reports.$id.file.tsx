// The 4-ФСС file as it was accepted, for the representative who sent it (others: 404). Always a download.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireRepresentative } from "~/accounts/guards.server";
import { reportFileOf } from "~/reports/journal.server";
import { xmlDownloadResponse } from "~/web/files.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const file = await reportFileOf(
    context.db,
    context.config.uploadsDir,
    { representativeId: user.id },
    idParam(params.id),
  );
  if (!file) throw data({ message: "Файл не найден." }, { status: 404 });
  return xmlDownloadResponse(file);
}
