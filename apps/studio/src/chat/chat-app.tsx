import { useEffect, useRef } from "react";
import type { ChatClient, ChatProblem, ChatSnapshot } from "./chat-client.ts";
import { Composer, type ComposerHandle } from "./composer.tsx";
import { listenForFocusRequests, requestClose } from "./embed-bridge.ts";
import { Transcript } from "./transcript.tsx";
import { useChatSnapshot } from "./use-chat.ts";

export const VIRTUAL_ASSISTANT_TITLE = "Virtual assistant";

interface ChatAppProps {
  client: ChatClient;
  /** Inside `widget.js`'s iframe: no page chrome, and a button to close the frame. */
  embedded: boolean;
}

export function ChatApp({ client, embedded }: ChatAppProps) {
  const snapshot = useChatSnapshot(client);
  const composer = useRef<ComposerHandle>(null);

  useEffect(() => {
    if (!embedded) {
      composer.current?.focus();
      return;
    }
    const stopListening = listenForFocusRequests(() => composer.current?.focus());
    // The host page may have focused the frame before this app was ready to hear it ask.
    if (document.hasFocus()) composer.current?.focus();
    // Focus is inside the iframe here, so the host page never sees this Escape: ask it to close.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) requestClose();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => {
      stopListening();
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [embedded]);

  const withAgent = snapshot.state === "with_agent" && snapshot.agentName !== null;
  const title = withAgent ? snapshot.agentName! : VIRTUAL_ASSISTANT_TITLE;

  return (
    <main className={embedded ? "chat chat--embedded" : "chat"}>
      <header className="chat__header">
        <span className="chat__avatar" aria-hidden="true">
          {initials(title)}
        </span>
        <div className="chat__heading">
          <h1 className="chat__title">{title}</h1>
          <p className="chat__subtitle">{subtitle(snapshot)}</p>
        </div>
        {embedded && (
          <button type="button" className="chat__close" aria-label="Close chat" onClick={requestClose}>
            <CloseIcon />
          </button>
        )}
      </header>

      {/* Live regions stay mounted (empty when quiet) so screen readers announce changes. */}
      <div className="chat__banner chat__banner--connection" role="status">
        {connectionText(snapshot)}
      </div>
      <div className="chat__banner chat__banner--handoff" role="status">
        {snapshot.state === "connecting" ? "Connecting you to an agent..." : ""}
      </div>

      <Transcript messages={snapshot.messages} onRetry={(id) => client.retry(id)} />

      <div className="chat__typing" role="status">
        {snapshot.typing ? `${snapshot.typing.authorName ?? snapshot.agentName ?? "The agent"} is typing…` : ""}
      </div>
      <div className="chat__problem" role="alert">
        {snapshot.problem ? problemText(snapshot.problem) : ""}
      </div>

      <Composer ref={composer} onSend={(text) => client.send(text)} />
    </main>
  );
}

function subtitle(snapshot: ChatSnapshot): string {
  switch (snapshot.state) {
    case "connecting":
      return "Finding an agent for you";
    case "with_agent":
      return "Support agent";
    case "bot":
    case "ended":
      return "AI assistant";
  }
}

function connectionText(snapshot: ChatSnapshot): string {
  switch (snapshot.connection) {
    case "connecting":
      return "Connecting…";
    case "reconnecting":
      return "Reconnecting…";
    case "open":
    case "closed":
      return "";
  }
}

function problemText(problem: ChatProblem): string {
  switch (problem.code) {
    case "rate_limited":
      return "You're sending messages too quickly. Wait a moment, then retry.";
    case "unavailable":
      // The server says which: busy (retry the message), or briefly down (we reconnect).
      return problem.message || "Chat is unavailable right now. We'll keep trying to reconnect.";
    case "bad_request":
      return "That message could not be sent.";
    case "not_found":
      return "This chat could not be found.";
  }
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join("");
}

function CloseIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" fill="none" />
    </svg>
  );
}
