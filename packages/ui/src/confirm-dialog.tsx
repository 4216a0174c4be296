import { useEffect, useRef } from "react";

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  busy?: boolean;
}

/** A native modal dialog: focus is trapped, Escape cancels, and focus returns on close. */
export function ConfirmDialog({ open, title, body, confirmLabel, onConfirm, onCancel, busy }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // React's autoFocus acts when the closed dialog mounts, so showModal would focus the
      // first button, the destructive one. The safe choice starts focused.
      cancelRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="zm-dialog"
      aria-labelledby="zm-dialog-title"
      aria-describedby="zm-dialog-body"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="zm-dialog-title">{title}</h2>
      <p id="zm-dialog-body">{body}</p>
      <div className="zm-form__actions">
        <button type="button" className="zm-button zm-button--danger" onClick={onConfirm} disabled={busy}>
          {busy ? "Working…" : confirmLabel}
        </button>
        <button type="button" className="zm-button" onClick={onCancel} ref={cancelRef}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
