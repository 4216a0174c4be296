import { useImperativeHandle, useRef, useState, type Ref } from "react";
import { MAX_MESSAGE_LENGTH, type SendResult } from "./chat-client.ts";

export interface ComposerHandle {
  focus(): void;
}

interface ComposerProps {
  onSend: (text: string) => SendResult;
  ref?: Ref<ComposerHandle>;
}

export function Composer({ onSend, ref }: ComposerProps) {
  const [draft, setDraft] = useState("");
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(ref, () => ({ focus: () => textareaRef.current?.focus() }), []);
  const canSend = draft.trim().length > 0;

  const submit = () => {
    if (!canSend) return;
    if (onSend(draft) === "queued") setDraft("");
    textareaRef.current?.focus();
  };

  return (
    <form
      className="chat__composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor="chat-message" className="sr-only">
        Message
      </label>
      <textarea
        ref={textareaRef}
        id="chat-message"
        className="chat__input"
        rows={1}
        maxLength={MAX_MESSAGE_LENGTH}
        placeholder="Type your message"
        aria-describedby="chat-message-hint"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          // Enter sends, Shift+Enter is a new line; never send half-composed IME input.
          if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            submit();
          }
        }}
      />
      <span id="chat-message-hint" className="sr-only">
        Enter sends the message; Shift+Enter starts a new line.
      </span>
      <button type="submit" className="chat__send" disabled={!canSend}>
        Send
      </button>
    </form>
  );
}
