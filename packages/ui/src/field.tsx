import { useId, type ReactNode } from "react";

interface FieldProps {
  label: string;
  help?: ReactNode;
  error?: string | undefined;
  children: (ids: { inputId: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A labelled control with help text and an inline error, wired for screen readers. */
export function Field({ label, help, error, children }: FieldProps) {
  const inputId = useId();
  const helpId = `${inputId}-help`;
  const errorId = `${inputId}-error`;
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`zm-field${error ? " zm-field--invalid" : ""}`}>
      <label htmlFor={inputId} className="zm-field__label">
        {label}
      </label>
      {children({ inputId, describedBy, invalid: Boolean(error) })}
      {error ? (
        <p id={errorId} className="zm-field__error" role="alert">
          {error}
        </p>
      ) : null}
      {help ? (
        <p id={helpId} className="zm-field__help">
          {help}
        </p>
      ) : null}
    </div>
  );
}
