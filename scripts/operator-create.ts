// npm run operator:create -- --email E --surname S --given G [--patronymic P] --office CODE [--subdivisions 0201,0274]
// Creates an operator of one territorial office and mails a one-time link to set the password.
import { systemClock } from "../app/clock.server";
import { createOperator } from "../app/accounts/operators.server";
import { EmailTakenError, FieldErrors } from "../app/accounts/errors.server";
import { deliverDueMail } from "../app/mail/outbox.server";
import { createMailTransport } from "../app/mail/transport.server";
import { openForScript } from "./bootstrap";

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const { config, database } = await openForScript();
try {
  const created = await createOperator(
    database.db,
    systemClock,
    {
      email: arg("email") ?? "",
      surname: arg("surname") ?? "",
      givenName: arg("given") ?? "",
      patronymic: arg("patronymic") ?? "",
      office: arg("office") ?? "",
      subdivisions: arg("subdivisions") ?? "",
    },
    { appUrl: config.appUrl, createdBy: null, ip: null },
  );
  // Send at once when no server is running; a running server's outbox worker would send it too.
  const transport = createMailTransport(config);
  await deliverDueMail(database.db, systemClock, transport, { from: config.mailFrom, uploadsDir: config.uploadsDir });
  transport.close();
  console.log(
    `Создан сотрудник ${created.email}: ${created.officeName}. Письмо со ссылкой для установки пароля отправлено.`,
  );
} catch (error) {
  if (error instanceof FieldErrors) {
    for (const [field, message] of Object.entries(error.fieldErrors))
      console.error(`--${field === "givenName" ? "given" : field}: ${message}`);
    process.exitCode = 2;
  } else if (error instanceof EmailTakenError) {
    console.error("Учётная запись с этим адресом уже существует.");
    process.exitCode = 2;
  } else throw error;
} finally {
  await database.close();
}
