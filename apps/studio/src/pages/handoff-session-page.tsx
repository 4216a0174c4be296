import { useQuery } from "@tanstack/react-query";
import type { HandoffSessionDetail, TranscriptMessageView } from "@zm/contracts";
import { TRPCClientError } from "@trpc/client";
import { useEffect, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { shortId, STATE_LABELS, STATE_TONES } from "../handoffs/format.ts";
import { AutoRefresh, Badge, Code, DateTime, OrNone, QueryState, REFRESH_INTERVAL_MS } from "../handoffs/log-parts.tsx";
import { CallsTable, DeliveriesTable, OutboxTable } from "../handoffs/log-tables.tsx";
import { useTRPC } from "../trpc.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

const ROLE_LABELS = { user: "End user", bot: "AI agent", agent: "Agent", system: "Status" } as const satisfies Record<TranscriptMessageView["role"], string>;

/** Monitor > Hand-offs > one session: its state machine, both directions of traffic, and what was said. */
export function HandoffSessionPage() {
  const trpc = useTRPC();
  const { projectId, project } = useProject();
  const { sessionId = "" } = useParams();
  const [autoRefresh, setAutoRefresh] = useState(true);
  const detail = useQuery(
    trpc.logs.getSession.queryOptions({ projectId, sessionId }, { enabled: project !== null, refetchInterval: autoRefresh ? REFRESH_INTERVAL_MS : false }),
  );
  const title = `Hand-off ${shortId(sessionId)}`;
  useEffect(() => {
    document.title = `${title} · Studio`;
  }, [title]);
  if (!project) return <NotFoundPage />;

  const notFound = detail.error instanceof TRPCClientError && (detail.error.data?.code === "NOT_FOUND" || detail.error.data?.code === "BAD_REQUEST");
  return (
    <section aria-labelledby="handoff-session-title">
      <p className="breadcrumb">
        Monitor / <Link to={`/projects/${projectId}/handoffs`}>Hand-offs</Link> /
      </p>
      <h1 id="handoff-session-title">{title}</h1>
      {notFound && !detail.data ? (
        <p role="alert">
          This hand-off does not exist in this project. <Link to={`/projects/${projectId}/handoffs`}>See all hand-offs</Link>.
        </p>
      ) : (
        <QueryState isPending={detail.isPending} error={detail.error} hasData={detail.data !== undefined} loadingText="Loading the hand-off…">
          <AutoRefresh enabled={autoRefresh} onChange={setAutoRefresh} updatedAt={detail.dataUpdatedAt} />
          {detail.data ? <SessionDetail projectId={projectId} detail={detail.data} /> : null}
        </QueryState>
      )}
    </section>
  );
}

function SessionDetail({ projectId, detail }: { projectId: string; detail: HandoffSessionDetail }) {
  const { session } = detail;
  return (
    <>
      <dl className="settings-list log-summary">
        <div>
          <dt>State</dt>
          <dd>
            <Badge tone={STATE_TONES[session.state]}>{STATE_LABELS[session.state]}</Badge>
          </dd>
        </div>
        <div>
          <dt>Ended because</dt>
          <dd>
            <OrNone>{session.endReason ? <Code>{session.endReason}</Code> : null}</OrNone>
          </dd>
        </div>
        <div>
          <dt>Channel</dt>
          <dd>
            <OrNone>{session.channel}</OrNone>
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <DateTime iso={session.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>
            <DateTime iso={session.endedAt} />
          </dd>
        </div>
        <div>
          <dt>Last activity</dt>
          <dd>
            <DateTime iso={session.lastActivityAt} />
          </dd>
        </div>
        <div>
          <dt>Agent</dt>
          <dd>
            <OrNone>{session.agentName}</OrNone>
          </dd>
        </div>
        <div>
          <dt>Ticket</dt>
          <dd>
            <OrNone>{session.ticketId ? `#${session.ticketId}` : null}</OrNone>
          </dd>
        </div>
        <div>
          <dt>Messages relayed</dt>
          <dd>
            {session.messagesToAgent} to the agent, {session.messagesToEndUser} to the end user
          </dd>
        </div>
        <div>
          <dt>Session id</dt>
          <dd>
            <Code>{session.id}</Code>
          </dd>
        </div>
        <div>
          <dt>Zendesk conversation</dt>
          <dd>
            <OrNone>{session.zendeskConversationId ? <Code>{session.zendeskConversationId}</Code> : null}</OrNone>
          </dd>
        </div>
        <div>
          <dt>Our conversation</dt>
          <dd>
            <Code>{session.conversationId}</Code>
          </dd>
        </div>
      </dl>

      <LogSection id="transitions" title="Transitions">
        {(headingId) => (
          <ol className="log-timeline" aria-labelledby={headingId}>
            {detail.transitions.map((t) => (
              <li key={`${t.at}-${t.toState}`}>
                <span className="log-timeline__move">
                  {t.fromState} → {t.toState}
                </span>{" "}
                <span className="log-timeline__cause">
                  cause <Code>{t.cause}</Code>
                </span>{" "}
                <DateTime iso={t.at} />
              </li>
            ))}
          </ol>
        )}
      </LogSection>

      <LogSection id="transcript" title="Transcript" truncated={detail.transcript.truncated}>
        {(headingId) =>
          detail.transcript.items.length === 0 ? (
            <p className="log-empty">Nothing was said in this conversation.</p>
          ) : (
            <div role="log" aria-labelledby={headingId} className="log-transcript">
              <ol>
                {detail.transcript.items.map((m) => (
                  <li key={m.id} className={m.duringHandoff ? "log-message" : "log-message log-message--before"}>
                    <p className="log-message__meta">
                      <strong>{m.role === "agent" && m.authorName ? `${m.authorName} (agent)` : ROLE_LABELS[m.role]}</strong>{" "}
                      <DateTime iso={m.sentAt} />
                      {m.duringHandoff ? null : <span className="muted"> (before the hand-off)</span>}
                    </p>
                    {/* Rendered as text: end users and agents can type anything, markup included. */}
                    <p className="log-message__text">{m.text}</p>
                  </li>
                ))}
              </ol>
            </div>
          )
        }
      </LogSection>

      <LogSection id="inbound" title="Inbound events" truncated={detail.inboxEvents.truncated}>
        {(headingId) =>
          detail.inboxEvents.items.length === 0 ? (
            <p className="log-empty">No webhook events for this hand-off yet.</p>
          ) : (
            <DeliveriesTable name={{ labelledBy: headingId }} projectId={projectId} deliveries={detail.inboxEvents.items} showSession={false} />
          )
        }
      </LogSection>

      <LogSection id="outbound" title="Outbound calls" truncated={detail.outboxMessages.truncated}>
        {(headingId) =>
          detail.outboxMessages.items.length === 0 ? (
            <p className="log-empty">No calls queued for this hand-off.</p>
          ) : (
            <OutboxTable name={{ labelledBy: headingId }} messages={detail.outboxMessages.items} />
          )
        }
      </LogSection>

      <LogSection id="api-calls" title="API calls" truncated={detail.apiCalls.truncated}>
        {(headingId) =>
          detail.apiCalls.items.length === 0 ? (
            <p className="log-empty">No HTTP attempts for this hand-off yet.</p>
          ) : (
            <CallsTable name={{ labelledBy: headingId }} projectId={projectId} calls={detail.apiCalls.items} showSession={false} />
          )
        }
      </LogSection>
    </>
  );
}

interface LogSectionProps {
  id: string;
  title: string;
  truncated?: boolean;
  children(headingId: string): ReactNode;
}

function LogSection({ id, title, truncated = false, children }: LogSectionProps) {
  const headingId = `handoff-${id}-title`;
  return (
    <section className="log-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {truncated ? <p className="hint">Showing the newest 200; older ones are left out.</p> : null}
      {children(headingId)}
    </section>
  );
}
