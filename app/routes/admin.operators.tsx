// Administrators create operator accounts of a territorial office (the same as `npm run operator:create`).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, Field } from "~/components/forms";
import { requireAdmin } from "~/accounts/guards.server";
import { EmailTakenError, FieldErrors } from "~/accounts/errors.server";
import { createOperator, limitOperatorToSubdivisions, operatorsList } from "~/accounts/operators.server";
import { flashCookie } from "~/web/cookies.server";
import { field, readForm } from "~/web/forms.server";

export const meta: MetaFunction = () => [{ title: "Сотрудники территориальных органов — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const offices = await context.db
    .selectFrom("territorial_bodies")
    .select(["code", "region"])
    .orderBy("code")
    .execute();
  return { operators: await operatorsList(context.db), offices };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, context);
  const form = await readForm(request, context);
  if (field(form, "intent") === "subdivisions") {
    const operatorId = Number(field(form, "operatorId"));
    const raw = field(form, "subdivisions");
    try {
      const changed = await limitOperatorToSubdivisions(context.db, context.clock, operatorId, raw, {
        changedBy: admin.id,
        ip: context.ip,
      });
      throw redirect("/admin/operators", {
        headers: {
          "Set-Cookie": flashCookie(
            changed.subdivisions
              ? `Сотрудник ${changed.email} видит заявки подразделений ${changed.subdivisions.join(", ")}.`
              : `Сотрудник ${changed.email} видит заявки всех подразделений своего отделения.`,
            context.config.secureCookies,
          ),
        },
      });
    } catch (error) {
      if (error instanceof FieldErrors)
        return data({ operatorId, subdivisionsValue: raw, fieldErrors: error.fieldErrors }, { status: 422 });
      throw error;
    }
  }
  const input = {
    email: field(form, "email"),
    surname: field(form, "surname"),
    givenName: field(form, "givenName"),
    patronymic: field(form, "patronymic"),
    office: field(form, "office"),
    subdivisions: field(form, "subdivisions"),
  };
  try {
    const created = await createOperator(context.db, context.clock, input, {
      appUrl: context.config.appUrl,
      createdBy: admin.id,
      ip: context.ip,
    });
    throw redirect("/admin/operators", {
      headers: {
        "Set-Cookie": flashCookie(
          `Сотрудник ${created.email} создан; ему отправлено письмо со ссылкой для установки пароля.`,
          context.config.secureCookies,
        ),
      },
    });
  } catch (error) {
    if (error instanceof FieldErrors) return data({ values: input, fieldErrors: error.fieldErrors }, { status: 422 });
    if (error instanceof EmailTakenError)
      return data(
        {
          values: input,
          fieldErrors: { email: "Учётная запись с этим адресом уже существует." } as Record<string, string>,
        },
        { status: 409 },
      );
    throw error;
  }
}

export default function Operators() {
  const { operators, offices } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    | {
        values?: Record<string, string>;
        operatorId?: number;
        subdivisionsValue?: string;
        fieldErrors: Record<string, string>;
      }
    | undefined;
  const rowResult = result?.operatorId ? result : undefined;
  const created = result?.values ? result : undefined;
  const errors = (created?.fieldErrors ?? {}) as Record<string, string>;
  return (
    <div className="card">
      <h1>Сотрудники территориальных органов</h1>
      <Form method="post" noValidate className="search-grid">
        <CsrfField />
        <Field
          name="email"
          label="Электронная почта"
          type="email"
          defaultValue={created?.values?.email}
          error={errors.email}
        />
        <Field name="surname" label="Фамилия" defaultValue={created?.values?.surname} error={errors.surname} />
        <Field name="givenName" label="Имя" defaultValue={created?.values?.givenName} error={errors.givenName} />
        <Field
          name="patronymic"
          label="Отчество"
          defaultValue={created?.values?.patronymic}
          error={errors.patronymic}
        />
        <div className={`field${errors.office ? " field--invalid" : ""}`}>
          <label htmlFor="office">Территориальный орган</label>
          <select id="office" name="office" defaultValue={created?.values?.office ?? ""}>
            <option value="">—</option>
            {offices.map((o) => (
              <option key={o.code} value={o.code}>
                {o.code} — {o.region}
              </option>
            ))}
          </select>
          {errors.office ? <p className="field__error">{errors.office}</p> : null}
        </div>
        <Field
          name="subdivisions"
          label="Подразделения"
          hint="Коды через запятую, например 0201, 0274. Пусто — все подразделения отделения."
          defaultValue={created?.values?.subdivisions}
          error={errors.subdivisions}
        />
        <div className="form-actions">
          <button type="submit" className="button">
            Создать сотрудника
          </button>
        </div>
      </Form>
      <table className="grid" tabIndex={0} aria-label="Сотрудники">
        <thead>
          <tr>
            <th scope="col">ФИО</th>
            <th scope="col">Электронная почта</th>
            <th scope="col">Территориальный орган</th>
            <th scope="col">Подразделения</th>
            <th scope="col">Состояние</th>
          </tr>
        </thead>
        <tbody>
          {operators.map((o) => (
            <tr key={o.id}>
              <td>{[o.surname, o.given_name, o.patronymic].filter(Boolean).join(" ")}</td>
              <td>{o.email}</td>
              <td>
                {o.territorial_body_code} — {o.region}
              </td>
              <td>
                <Form method="post" className="inline-form">
                  <CsrfField />
                  <input type="hidden" name="intent" value="subdivisions" />
                  <input type="hidden" name="operatorId" value={o.id} />
                  <label className="visually-hidden" htmlFor={`subdivisions-${o.id}`}>
                    Подразделения сотрудника {o.email}
                  </label>
                  <input
                    id={`subdivisions-${o.id}`}
                    name="subdivisions"
                    size={14}
                    placeholder="все"
                    defaultValue={
                      rowResult?.operatorId === o.id
                        ? rowResult.subdivisionsValue
                        : (o.subdivision_codes?.split(",").join(", ") ?? "")
                    }
                    aria-invalid={rowResult?.operatorId === o.id ? true : undefined}
                    aria-describedby={rowResult?.operatorId === o.id ? `subdivisions-${o.id}-error` : undefined}
                  />{" "}
                  <button type="submit" className="button button--secondary">
                    Сохранить подразделения
                  </button>
                  {rowResult?.operatorId === o.id ? (
                    <p className="field__error" id={`subdivisions-${o.id}-error`}>
                      {rowResult.fieldErrors.subdivisions}
                    </p>
                  ) : null}
                </Form>
              </td>
              <td>{o.status === "active" ? "активен" : "пароль не задан"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
