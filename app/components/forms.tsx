// Form pieces shared by every page: labelled fields with their error, the CSRF token and the honeypot.
import { useRouteLoaderData } from "@remix-run/react";
import type { InputHTMLAttributes } from "react";

interface RootData {
  csrfToken: string;
}

export function CsrfField() {
  const root = useRouteLoaderData("root") as RootData | undefined;
  return <input type="hidden" name="csrf" value={root?.csrfToken ?? ""} />;
}

/** A field people never see; bots that fill every input give themselves away. */
export function Honeypot() {
  return (
    <div className="visually-hidden" aria-hidden="true">
      <label htmlFor="website">Не заполняйте это поле</label>
      <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  error?: string;
  hint?: string;
}

export function Field({ name, label, error, hint, id, ...input }: FieldProps) {
  const inputId = id ?? `field-${name}`;
  const describedBy =
    [hint ? `${inputId}-hint` : null, error ? `${inputId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <label htmlFor={inputId}>{label}</label>
      {hint ? (
        <p className="field__hint" id={`${inputId}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={inputId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {error ? (
        <p className="field__error" id={`${inputId}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="alert alert--error" role="alert">
      {message}
    </div>
  );
}

export function Notice({
  children,
  tone = "info",
}: {
  children: React.ReactNode;
  tone?: "info" | "success" | "warning";
}) {
  return (
    <div className={`alert alert--${tone}`} role="status">
      {children}
    </div>
  );
}

export const PASSWORD_HINT = "Не короче 8 символов: заглавные и строчные буквы, цифра и специальный символ.";

/** «Новый пароль» and «Повторите пароль» with «Сохранить пароль»: reset and change share them. */
export function NewPasswordFields({ errors }: { errors: Record<string, string | undefined> }) {
  return (
    <>
      <Field
        name="password"
        label="Новый пароль"
        type="password"
        autoComplete="new-password"
        required
        hint={PASSWORD_HINT}
        error={errors.password}
      />
      <Field
        name="passwordConfirm"
        label="Повторите пароль"
        type="password"
        autoComplete="new-password"
        required
        error={errors.passwordConfirm}
      />
      <div className="form-actions">
        <button type="submit" className="button">
          Сохранить пароль
        </button>
      </div>
    </>
  );
}
