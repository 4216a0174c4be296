import { useEffect, useRef, useState } from "react";

/** Copies a value and says so, politely, to screen readers too. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <span className="zm-copy">
      <button
        type="button"
        className="zm-button zm-button--small"
        aria-label={label}
        onClick={async () => {
          await navigator.clipboard.writeText(value).catch(() => undefined);
          setCopied(true);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setCopied(false), 2000);
        }}
      >
        Copy
      </button>
      <span className="zm-copy__status" role="status" aria-live="polite">
        {copied ? "Copied" : ""}
      </span>
    </span>
  );
}
