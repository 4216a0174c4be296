import { useLayoutEffect, useRef } from "react";
import type { DisplayedMessage } from "./chat-client.ts";
import { linkify, looksLikeImage, safeHttpUrl } from "./linkify.ts";

/** How close to the bottom (px) still counts as "reading the latest", so new messages scroll into view. */
const STICK_TO_BOTTOM_PX = 48;

export const ASSISTANT_NAME = "Assistant";

export function authorLabel(message: Pick<DisplayedMessage, "role" | "authorName">): string {
  switch (message.role) {
    case "user":
      return "You";
    case "bot":
      return ASSISTANT_NAME;
    case "agent":
      return message.authorName ?? "Agent";
    case "system":
      return "";
  }
}

interface TranscriptProps {
  messages: readonly DisplayedMessage[];
  onRetry: (clientMessageId: string) => void;
}

export function Transcript({ messages, onRetry }: TranscriptProps) {
  const logRef = useRef<HTMLDivElement>(null);
  const stuckToBottom = useRef(true);
  const lastKey = messages.at(-1)?.key;
  const lastFromEndUser = messages.at(-1)?.role === "user";

  // Runs when a message is added, not on every snapshot (typing, delivery updates).
  useLayoutEffect(() => {
    const log = logRef.current;
    if (!log || lastKey === undefined) return;
    // Follow the conversation unless the end user scrolled up to read; their own message always
    // brings them back down.
    if (stuckToBottom.current || lastFromEndUser) log.scrollTop = log.scrollHeight;
  }, [messages.length, lastKey, lastFromEndUser]);

  return (
    <div
      ref={logRef}
      className="chat__log"
      role="log"
      aria-label="Conversation"
      aria-live="polite"
      // Scrollable: keyboard users need to reach it to scroll with the arrow keys.
      tabIndex={0}
      onScroll={(event) => {
        const log = event.currentTarget;
        stuckToBottom.current = log.scrollHeight - log.scrollTop - log.clientHeight < STICK_TO_BOTTOM_PX;
      }}
    >
      <ol className="chat__messages">
        {messages.map((message, index) => (
          <MessageItem
            key={message.key}
            message={message}
            continuesGroup={index > 0 && sameAuthor(messages[index - 1]!, message)}
            onRetry={onRetry}
          />
        ))}
      </ol>
    </div>
  );
}

function sameAuthor(a: DisplayedMessage, b: DisplayedMessage): boolean {
  return a.role === b.role && (a.role !== "agent" || a.authorName === b.authorName);
}

interface MessageItemProps {
  message: DisplayedMessage;
  /** The previous message is by the same author: the visible name is not repeated. */
  continuesGroup: boolean;
  onRetry: (clientMessageId: string) => void;
}

function MessageItem({ message, continuesGroup, onRetry }: MessageItemProps) {
  if (message.role === "system") {
    return (
      <li className="chat-message chat-message--system">
        <p className="chat-message__system-text">
          <MessageText text={message.text} linkified />
        </p>
      </li>
    );
  }
  const fromEndUser = message.role === "user";
  // Screen readers always hear who said it; sighted users see the name once per run of messages.
  const showAuthor = !fromEndUser && !continuesGroup;
  return (
    <li className={`chat-message chat-message--${message.role}${continuesGroup ? " chat-message--continued" : ""}`} data-delivery={message.delivery ?? undefined}>
      <p className={showAuthor ? "chat-message__author" : "sr-only"}>{authorLabel(message)}</p>
      <div className="chat-message__bubble">
        {message.text && (
          <p className="chat-message__text">
            <MessageText text={message.text} linkified={!fromEndUser} />
          </p>
        )}
        {message.mediaUrl && <Media url={message.mediaUrl} author={authorLabel(message)} />}
      </div>
      {message.delivery === "sending" && <p className="chat-message__delivery">Sending…</p>}
      {message.delivery === "failed" && message.clientMessageId && (
        <p className="chat-message__delivery chat-message__delivery--failed">
          Not sent.{" "}
          <button type="button" className="chat__link-button" onClick={() => onRetry(message.clientMessageId!)}>
            Retry
          </button>
        </p>
      )}
    </li>
  );
}

function MessageText({ text, linkified }: { text: string; linkified: boolean }) {
  if (!linkified) return <>{text}</>;
  return (
    <>
      {linkify(text).map((segment, index) =>
        segment.kind === "link" ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </>
  );
}

function Media({ url, author }: { url: string; author: string }) {
  const href = safeHttpUrl(url);
  if (!href) return null;
  if (looksLikeImage(href)) {
    return (
      <a className="chat-message__media" href={href} target="_blank" rel="noopener noreferrer">
        <img src={href} alt={`Image shared by ${author}`} loading="lazy" />
      </a>
    );
  }
  return (
    <a className="chat-message__attachment" href={href} target="_blank" rel="noopener noreferrer">
      {`Attachment: ${fileName(href)}`}
    </a>
  );
}

function fileName(href: string): string {
  const path = new URL(href).pathname;
  const last = path.split("/").filter(Boolean).at(-1);
  try {
    return last ? decodeURIComponent(last) : new URL(href).host;
  } catch {
    return last ?? href;
  }
}
