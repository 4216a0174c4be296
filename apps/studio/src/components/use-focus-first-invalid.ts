import { useEffect, useRef, useState, type RefObject } from "react";

/**
 * Moves focus to the first invalid field in page order once the errors are on screen.
 * react-hook-form calls onInvalid before it publishes the errors, so the request waits for
 * the render that has them rather than looking at the page straight away.
 */
export function useFocusFirstInvalid(errors: object): [RefObject<HTMLFormElement | null>, () => void] {
  const formRef = useRef<HTMLFormElement>(null);
  const pending = useRef(false);
  const [request, setRequest] = useState(0);
  useEffect(() => {
    if (!pending.current || Object.keys(errors).length === 0) return;
    pending.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [request, errors]);
  const requestFocus = () => {
    pending.current = true;
    setRequest((n) => n + 1);
  };
  return [formRef, requestFocus];
}
