import type { ApiCallView, CallTarget, DeliverySource, DeliveryView, OutboxMessageView } from "@zm/contracts";
import { Link } from "react-router";
import { DELIVERY_STATUS_TONES, OUTBOX_STATUS_TONES, shortId } from "./format.ts";
import { Badge, Code, DateTime, OrNone } from "./log-parts.tsx";

export const SOURCE_LABELS = {
  sunshine: "Sunshine Conversations",
  ticket_status: "Ticket status",
  sms: "SMS",
} as const satisfies Record<DeliverySource, string>;

export const TARGET_LABELS = { zendesk: "Zendesk", sms: "SMS" } as const satisfies Record<CallTarget, string>;

/** A table is named by its caption, or by the section heading right above it (no caption repeating it). */
export type TableName = { caption: string; labelledBy?: never } | { labelledBy: string; caption?: never };

function Caption({ name }: { name: TableName }) {
  return name.caption ? <caption>{name.caption}</caption> : null;
}

function SessionLink({ projectId, sessionId }: { projectId: string; sessionId: string | null }) {
  if (!sessionId) return <OrNone>{null}</OrNone>;
  return <Link to={`/projects/${projectId}/handoffs/${sessionId}`}>Hand-off {shortId(sessionId)}</Link>;
}

interface DeliveriesTableProps {
  name: TableName;
  projectId: string;
  deliveries: DeliveryView[];
  /** The project-wide list links each event to its session; a session's own page does not. */
  showSession: boolean;
}

export function DeliveriesTable({ name, projectId, deliveries, showSession }: DeliveriesTableProps) {
  return (
    <table className="data-table log-table" aria-labelledby={name.labelledBy}>
      <Caption name={name} />
      <thead>
        <tr>
          <th scope="col">Received</th>
          <th scope="col">Source</th>
          <th scope="col">Event type</th>
          <th scope="col">Verification</th>
          <th scope="col">Status</th>
          <th scope="col">Outcome</th>
          <th scope="col">Ack latency (ms)</th>
          {showSession ? <th scope="col">Hand-off</th> : null}
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id}>
            <th scope="row">
              <DateTime iso={d.receivedAt} />
            </th>
            <td>{SOURCE_LABELS[d.source]}</td>
            <td>
              <Code>{d.eventType}</Code>
            </td>
            <td>
              <Code>{d.verification}</Code>
            </td>
            <td>
              <Badge tone={DELIVERY_STATUS_TONES[d.status]}>{d.status}</Badge>
            </td>
            <td>
              <OrNone>{d.outcome}</OrNone>
            </td>
            <td className="log-number">
              <OrNone>{d.ackLatencyMs}</OrNone>
            </td>
            {showSession ? (
              <td>
                <SessionLink projectId={projectId} sessionId={d.sessionId} />
              </td>
            ) : null}
            <td className="log-error">
              <OrNone>{d.error}</OrNone>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OutboxTable({ name, messages }: { name: TableName; messages: OutboxMessageView[] }) {
  return (
    <table className="data-table log-table" aria-labelledby={name.labelledBy}>
      <Caption name={name} />
      <thead>
        <tr>
          <th scope="col">Queued</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last error</th>
          <th scope="col">Finished or next attempt</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => (
          <tr key={m.id}>
            <th scope="row">
              <DateTime iso={m.createdAt} />
            </th>
            <td>
              <Code>{m.kind}</Code>
            </td>
            <td>
              <Badge tone={OUTBOX_STATUS_TONES[m.status]}>{m.status}</Badge>
            </td>
            <td className="log-number">{m.attempts}</td>
            <td className="log-error">
              <OrNone>{m.lastError}</OrNone>
            </td>
            <td>
              {m.status === "pending" ? (
                <>
                  next at <DateTime iso={m.nextAttemptAt} />
                </>
              ) : (
                <DateTime iso={m.doneAt} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HttpStatus({ status }: { status: number | null }) {
  if (status === null) return <Badge tone="error">no response</Badge>;
  return <Badge tone={status < 400 ? "ok" : "error"}>{status}</Badge>;
}

interface CallsTableProps {
  name: TableName;
  projectId: string;
  calls: ApiCallView[];
  showSession: boolean;
}

export function CallsTable({ name, projectId, calls, showSession }: CallsTableProps) {
  return (
    <table className="data-table log-table" aria-labelledby={name.labelledBy}>
      <Caption name={name} />
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Target</th>
          <th scope="col">Operation</th>
          <th scope="col">HTTP status</th>
          <th scope="col">Attempt</th>
          <th scope="col">Latency (ms)</th>
          <th scope="col">Error code</th>
          {showSession ? <th scope="col">Hand-off</th> : null}
        </tr>
      </thead>
      <tbody>
        {calls.map((c) => (
          <tr key={c.id}>
            <th scope="row">
              <DateTime iso={c.at} />
            </th>
            <td>{TARGET_LABELS[c.target]}</td>
            <td>
              <Code>{c.operation}</Code>
            </td>
            <td>
              <HttpStatus status={c.status} />
            </td>
            <td className="log-number">{c.attempt}</td>
            <td className="log-number">{c.latencyMs}</td>
            <td>
              <OrNone>{c.errorCode ? <Code>{c.errorCode}</Code> : null}</OrNone>
            </td>
            {showSession ? (
              <td>
                <SessionLink projectId={projectId} sessionId={c.sessionId} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
