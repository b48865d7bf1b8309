// The letters the portal sends, in Russian, as plain text and HTML.
export interface Letter {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const SIGNATURE = "С уважением,\nСЭДО-шлюз — портал уполномоченных представителей СФР";

function layout(paragraphs: string[], action?: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  const button = action
    ? `<p><a href="${escapeHtml(action.href)}" style="display:inline-block;padding:10px 18px;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(action.label)}</a></p>
<p style="font-size:13px;color:#555">Если кнопка не работает, скопируйте адрес в браузер:<br>${escapeHtml(action.href)}</p>`
    : "";
  return `<!doctype html><html lang="ru"><body style="font-family:Arial,sans-serif;font-size:15px;color:#1a1a1a">
${body}
${button}
<p style="color:#555">${escapeHtml(SIGNATURE).replace("\n", "<br>")}</p>
</body></html>`;
}

export function confirmationLetter(input: { givenName: string; patronymic: string; link: string }): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = [
    `Здравствуйте, ${name}!`,
    "Вы зарегистрировались на портале СЭДО-шлюз. Чтобы подтвердить адрес электронной почты и завершить регистрацию, перейдите по ссылке. Ссылка действует 24 часа и может быть использована один раз.",
    "Если вы не регистрировались, просто проигнорируйте это письмо.",
  ];
  return {
    subject: "Подтверждение адреса электронной почты — СЭДО-шлюз",
    text: `${lines[0]}\n\n${lines[1]}\n\n${input.link}\n\n${lines[2]}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Подтвердить адрес" }),
  };
}

/** To the owner of an address someone tried to register again: nothing was changed, and what to do. */
export function registrationAttemptLetter(input: { givenName: string; patronymic: string; link: string }): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = [
    `Здравствуйте, ${name}!`,
    "Кто-то попытался зарегистрироваться на портале СЭДО-шлюз с вашим адресом электронной почты. Учётная запись с этим адресом у вас уже есть; в ней ничего не изменилось.",
    "Если это были вы и вы не помните пароль, задайте новый по ссылке «Забыли пароль?». Если это были не вы, просто проигнорируйте письмо.",
  ];
  return {
    subject: "Попытка регистрации с вашим адресом — СЭДО-шлюз",
    text: `${lines.join("\n\n")}\n\n${input.link}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Забыли пароль?" }),
  };
}

export function passwordResetLetter(input: { givenName: string; patronymic: string; link: string }): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = [
    `Здравствуйте, ${name}!`,
    "Для вашей учётной записи на портале СЭДО-шлюз запрошено восстановление пароля. Чтобы задать новый пароль, перейдите по ссылке. Ссылка действует 1 час и может быть использована один раз.",
    "Если вы не запрашивали восстановление, проигнорируйте это письмо: ваш пароль останется прежним.",
  ];
  return {
    subject: "Восстановление пароля — СЭДО-шлюз",
    text: `${lines[0]}\n\n${lines[1]}\n\n${input.link}\n\n${lines[2]}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Задать новый пароль" }),
  };
}

export function passwordChangedLetter(input: { givenName: string; patronymic: string; at: string }): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = [
    `Здравствуйте, ${name}!`,
    `Пароль вашей учётной записи на портале СЭДО-шлюз изменён ${input.at} (МСК). Все остальные сеансы входа завершены.`,
    "Если это были не вы, немедленно восстановите пароль через «Забыли пароль?» на странице входа.",
  ];
  return {
    subject: "Пароль изменён — СЭДО-шлюз",
    text: `${lines.join("\n\n")}\n\n${SIGNATURE}\n`,
    html: layout(lines),
  };
}

export function certificateExpiryLetter(input: {
  givenName: string;
  patronymic: string;
  notAfter: string;
  daysLeft: number;
  thumbprint: string;
  link: string;
}): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = [
    `Здравствуйте, ${name}!`,
    `Срок действия вашего сертификата электронной подписи (отпечаток ${input.thumbprint}) заканчивается ${input.notAfter} — осталось дней: ${input.daysLeft}.`,
    "После этой даты отчёты, подписанные им, не будут приняты. Получите новый сертификат в удостоверяющем центре и загрузите его в разделе «Профиль → Уполномоченный».",
  ];
  return {
    subject: `Сертификат подписи истекает ${input.notAfter} — СЭДО-шлюз`,
    text: `${lines.join("\n\n")}\n\n${input.link}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Загрузить новый сертификат" }),
  };
}

export function certificateTrustLostLetter(input: {
  givenName: string;
  patronymic: string;
  thumbprint: string;
  /** Why the certificate no longer counts, as on the profile page. */
  reason: string;
  link: string;
}): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = [
    `Здравствуйте, ${name}!`,
    `Ваш сертификат электронной подписи (отпечаток ${input.thumbprint}) больше не действует как квалифицированный: ${input.reason}`,
    "Отчёты, подписанные им, портал не принимает. Получите новый сертификат в аккредитованном удостоверяющем центре и загрузите его в разделе «Профиль → Уполномоченный».",
  ];
  return {
    subject: "Сертификат подписи больше не действует — СЭДО-шлюз",
    text: `${lines.join("\n\n")}\n\n${input.link}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Загрузить новый сертификат" }),
  };
}

export function proxySubmittedLetter(input: {
  officeName: string;
  representative: string;
  representativeEmail: string;
  organization: string;
  regnum: string;
  inn: string;
  term: string;
  deadline: string;
  resubmitted: boolean;
  link: string;
}): Letter {
  const lines = [
    `В ${input.officeName} ${input.resubmitted ? "повторно направлена" : "поступила"} доверенность уполномоченного представителя на проверку.`,
    `Организация: ${input.organization}, рег. номер ${input.regnum}, ИНН ${input.inn}.`,
    `Представитель: ${input.representative} (${input.representativeEmail}). Срок действия доверенности: ${input.term}.`,
    `Проверить до: ${input.deadline} (5 рабочих дней).`,
  ];
  return {
    subject: `Доверенность на проверку: ${input.organization} (рег. № ${input.regnum})`,
    text: `${lines.join("\n\n")}\n\n${input.link}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Открыть заявки на проверку" }),
  };
}

export function proxyDecisionLetter(input: {
  givenName: string;
  patronymic: string;
  organization: string;
  regnum: string;
  inn: string;
  approved: boolean;
  reason: string | null;
  term: string;
  link: string;
}): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = input.approved
    ? [
        `Здравствуйте, ${name}!`,
        `Территориальный орган СФР утвердил вашу доверенность: ${input.organization} (рег. номер ${input.regnum}, ИНН ${input.inn}), срок действия ${input.term}.`,
        "Теперь отчёты 4-ФСС по этой организации, подписанные вашим сертификатом, принимаются через СЭДО.",
      ]
    : [
        `Здравствуйте, ${name}!`,
        `Территориальный орган СФР отклонил доверенность: ${input.organization} (рег. номер ${input.regnum}, ИНН ${input.inn}).`,
        `Причина отказа: ${input.reason ?? ""}`,
        "Исправьте доверенность и загрузите её снова или измените срок действия в разделе «Профиль → Уполномоченный»: она будет направлена на повторную проверку.",
      ];
  return {
    subject: `${input.approved ? "Доверенность утверждена" : "Доверенность отклонена"}: ${input.organization} — СЭДО-шлюз`,
    text: `${lines.join("\n\n")}\n\n${input.link}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Открыть список организаций" }),
  };
}

export function operatorInvitationLetter(input: {
  givenName: string;
  patronymic: string;
  officeName: string;
  link: string;
}): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = [
    `Здравствуйте, ${name}!`,
    `Для вас создана учётная запись сотрудника на портале СЭДО-шлюз: ${input.officeName}. Здесь вы проверяете и утверждаете доверенности уполномоченных представителей.`,
    "Чтобы задать пароль, перейдите по ссылке. Ссылка действует 3 дня и может быть использована один раз.",
  ];
  return {
    subject: "Учётная запись сотрудника территориального органа — СЭДО-шлюз",
    text: `${lines.join("\n\n")}\n\n${input.link}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Задать пароль" }),
  };
}

export function poaExpiryLetter(input: {
  givenName: string;
  patronymic: string;
  organization: string;
  regnum: string;
  validTo: string;
  link: string;
}): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = [
    `Здравствуйте, ${name}!`,
    `Срок действия доверенности ${input.organization} (рег. номер ${input.regnum}) заканчивается ${input.validTo}.`,
    "После этой даты отчёты по организации через вас приниматься не будут. Загрузите новую доверенность и укажите её срок в разделе «Профиль → Уполномоченный».",
  ];
  return {
    subject: `Доверенность истекает ${input.validTo}: ${input.organization} — СЭДО-шлюз`,
    text: `${lines.join("\n\n")}\n\n${input.link}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Открыть список организаций" }),
  };
}

export function slaDigestLetter(input: {
  officeName: string;
  date: string;
  overdue: string[];
  dueToday: string[];
  /** For a branch on the digest alone: the proxies that came in since the last digest. */
  arrived?: string[];
  /** The branch's figures for the last 30 days, in one sentence. */
  figures?: string;
  link: string;
}): Letter {
  const lines = [
    `${input.officeName}: сводка заявок на ${input.date}.`,
    `Просрочено: ${input.overdue.length}. Срок сегодня: ${input.dueToday.length}.${input.arrived ? ` Новых после прошлой сводки: ${input.arrived.length}.` : ""}`,
    ...(input.figures ? [input.figures] : []),
  ];
  const list = (title: string, items: string[]) =>
    items.length ? `${title}:\n${items.map((i) => `- ${i}`).join("\n")}` : "";
  const text =
    [
      lines.join("\n\n"),
      list("Просрочено", input.overdue),
      list("Срок сегодня", input.dueToday),
      list("Новые после прошлой сводки", input.arrived ?? []),
      input.link,
      SIGNATURE,
    ]
      .filter(Boolean)
      .join("\n\n") + "\n";
  const htmlList = (title: string, items: string[]) =>
    items.length
      ? `<h3>${escapeHtml(title)}</h3><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`
      : "";
  return {
    subject: `Заявки: просрочено ${input.overdue.length}, срок сегодня ${input.dueToday.length} — ${input.date}`,
    text,
    html: layout(lines, { href: input.link, label: "Открыть заявки на проверку" }).replace(
      "</body>",
      `${htmlList("Просрочено", input.overdue)}${htmlList("Срок сегодня", input.dueToday)}${htmlList("Новые после прошлой сводки", input.arrived ?? [])}</body>`,
    ),
  };
}

export function reportReceiptLetter(input: {
  givenName: string;
  patronymic: string;
  organization: string;
  regnum: string;
  /** «ЕФС-1, раздел 2, первичный», «4-ФСС, уточнённый (1)». */
  form: string;
  period: string;
  receiptNumber: string;
  receivedAt: string;
  sha256: string;
  link: string;
}): Letter {
  const name = [input.givenName, input.patronymic].filter(Boolean).join(" ");
  const lines = [
    `Здравствуйте, ${name}!`,
    // The period ends in «г.» already: no second full stop.
    `Отчёт принят: ${input.form}, ${input.organization} (рег. номер ${input.regnum}), период ${input.period}${input.period.endsWith(".") ? "" : "."}`,
    `Квитанция № ${input.receiptNumber}, время приёма ${input.receivedAt} (МСК). SHA-256 файла: ${input.sha256}.`,
    "Квитанция в PDF приложена к письму; её также можно скачать по ссылке.",
  ];
  return {
    subject: `Отчёт принят: ${input.organization}, ${input.form}, ${input.period} — квитанция № ${input.receiptNumber}`,
    text: `${lines.join("\n\n")}\n\n${input.link}\n\n${SIGNATURE}\n`,
    html: layout(lines, { href: input.link, label: "Скачать квитанцию" }),
  };
}
