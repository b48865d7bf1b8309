// «Действует с» / «Действует по» and «Сохранить срок»: the term of a power of attorney, for one proxy or many.
import { Link } from "@remix-run/react";
import { Field, FormError } from "~/components/forms";

export function TermFields({
  errors,
  formError,
  validFrom = "",
  validTo = "",
}: {
  errors: Record<string, string>;
  formError: string | null | undefined;
  validFrom?: string;
  validTo?: string;
}) {
  return (
    <>
      <Field
        name="validFrom"
        label="Действует с"
        type="date"
        required
        defaultValue={validFrom}
        error={errors.validFrom}
      />
      <Field name="validTo" label="Действует по" type="date" required defaultValue={validTo} error={errors.validTo} />
      <FormError message={Object.keys(errors).length ? null : formError} />
      <div className="form-actions">
        <button type="submit" className="button">
          Сохранить срок
        </button>
        <Link to="/profile/representative">Отмена</Link>
      </div>
    </>
  );
}
