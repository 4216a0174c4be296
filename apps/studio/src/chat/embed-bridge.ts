/*
 * Messages between the chat page in its iframe and `widget.js` on the host page. They carry
 * no data, only "close me" and "focus the message box", so the target origin can be "*"
 * (the host page's origin is not known here); `widget.js` checks where they came from.
 */

export const CLOSE_REQUEST = "zm-chat:close";
export const FOCUS_REQUEST = "zm-chat:focus";

export function isEmbedded(search: string): boolean {
  return new URLSearchParams(search).get("embed") === "1";
}

export function requestClose(): void {
  if (window.parent !== window) window.parent.postMessage({ type: CLOSE_REQUEST }, "*");
}

/** Calls `onFocusRequest` when the host page opens the chat and wants the keyboard in it. */
export function listenForFocusRequests(onFocusRequest: () => void): () => void {
  const listener = (event: MessageEvent) => {
    if (event.source !== window.parent) return;
    const data: unknown = event.data;
    if (typeof data === "object" && data !== null && (data as { type?: unknown }).type === FOCUS_REQUEST) onFocusRequest();
  };
  window.addEventListener("message", listener);
  return () => window.removeEventListener("message", listener);
}
