// Any address the portal does not know: a friendly 404 page.
import { data } from "@remix-run/node";

export async function loader() {
  throw data({ message: "Страница не найдена" }, { status: 404 });
}

export default function NotFound() {
  return null;
}
