// A labelled file input that checks the size in the browser before anything is sent, so a person
// sees the message next to the field at once; the server enforces the same limit regardless.
import { useState } from "react";

interface FileFieldProps {
  name: string;
  label: string;
  accept?: string;
  maxBytes: number;
  tooLargeMessage: string;
  error?: string | null;
}

export function FileField({ name, label, accept, maxBytes, tooLargeMessage, error }: FileFieldProps) {
  const [clientError, setClientError] = useState<string | null>(null);
  const shown = clientError ?? error ?? null;
  const id = `field-${name}`;
  return (
    <div className={`field${shown ? " field--invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="file"
        accept={accept}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown ? `${id}-error` : undefined}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          const tooLarge = Boolean(file && file.size > maxBytes);
          event.currentTarget.setCustomValidity(tooLarge ? tooLargeMessage : "");
          setClientError(tooLarge ? tooLargeMessage : null);
        }}
      />
      {shown ? (
        <p className="field__error" id={`${id}-error`} role="alert">
          {shown}
        </p>
      ) : null}
    </div>
  );
}
