// «← Назад · Страница N из M · Вперёд →» under a paged table; `href` builds the link of a page.
import { Link } from "@remix-run/react";

export function Pager({
  page,
  pages,
  total,
  href,
}: {
  page: number;
  pages: number;
  total?: number;
  href: (page: number) => string;
}) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="Страницы">
      {page > 1 ? <Link to={href(page - 1)}>← Назад</Link> : null}
      <span>
        Страница {page} из {pages}
        {total !== undefined ? ` (всего ${total})` : ""}
      </span>
      {page < pages ? <Link to={href(page + 1)}>Вперёд →</Link> : null}
    </nav>
  );
}
