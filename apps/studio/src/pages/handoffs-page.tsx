import { useInfiniteQuery } from "@tanstack/react-query";
import type { SessionStateFilterName } from "@zm/contracts";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { oneOf, shortId, STATE_LABELS, STATE_TONES } from "../handoffs/format.ts";
import { AutoRefresh, Badge, Code, DateTime, FilterSelect, HandoffsHeader, LoadOlder, OrNone, QueryState, REFRESH_INTERVAL_MS } from "../handoffs/log-parts.tsx";
import { useTRPC } from "../trpc.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

const STATE_FILTER_OPTIONS = [
  ["live", "Live"],
  ["ended", "Ended"],
  ["failed", "Failed"],
] as const satisfies ReadonlyArray<readonly [SessionStateFilterName, string]>;
const STATE_FILTERS = STATE_FILTER_OPTIONS.map(([value]) => value);

const CHANNEL_LABELS = { webchat: "Webchat", sms: "SMS" } as const;

/** Monitor > Hand-offs: every hand-off of the project, newest first, refreshed while visible. */
export function HandoffsPage() {
  const trpc = useTRPC();
  const { projectId, project } = useProject();
  const [params, setParams] = useSearchParams();
  const state = oneOf(params.get("state"), STATE_FILTERS);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const sessions = useInfiniteQuery(
    trpc.logs.listSessions.infiniteQueryOptions(
      { projectId, ...(state ? { state } : {}) },
      {
        getNextPageParam: (last) => last.nextCursor,
        enabled: project !== null,
        refetchInterval: autoRefresh ? REFRESH_INTERVAL_MS : false,
      },
    ),
  );
  useEffect(() => {
    document.title = "Hand-offs · Studio";
  }, []);
  if (!project) return <NotFoundPage />;

  const rows = sessions.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="handoffs-title">
      <HandoffsHeader projectId={projectId} lead="Every conversation the AI agent handed to Zendesk: where it stands, who took it, and why it ended." />
      <div className="log-toolbar">
        <FilterSelect
          id="handoff-state-filter"
          label="State"
          value={state}
          options={STATE_FILTER_OPTIONS}
          onChange={(next) => setParams(next ? { state: next } : {})}
        />
        <AutoRefresh enabled={autoRefresh} onChange={setAutoRefresh} updatedAt={sessions.dataUpdatedAt} />
      </div>
      <QueryState isPending={sessions.isPending} error={sessions.error} hasData={sessions.data !== undefined} loadingText="Loading hand-offs…">
        {rows.length === 0 ? (
          <p className="log-empty">
            {state ? "No hand-offs match this filter." : "No hand-offs yet. When the AI agent hands a conversation to a Zendesk agent, it shows up here."}
          </p>
        ) : (
          <table className="data-table log-table">
            <caption>Sessions</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Channel</th>
                <th scope="col">State</th>
                <th scope="col">Agent</th>
                <th scope="col">Ticket</th>
                <th scope="col">Ended because</th>
                <th scope="col">Messages relayed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((session) => (
                <tr key={session.id}>
                  <th scope="row">
                    <Link to={`/projects/${projectId}/handoffs/${session.id}`}>
                      <DateTime iso={session.createdAt} />
                      <span className="zm-visually-hidden">, hand-off {shortId(session.id)}</span>
                    </Link>
                  </th>
                  <td>
                    <OrNone>{session.channel ? CHANNEL_LABELS[session.channel] : null}</OrNone>
                  </td>
                  <td>
                    <Badge tone={STATE_TONES[session.state]}>{STATE_LABELS[session.state]}</Badge>
                  </td>
                  <td>
                    <OrNone>{session.agentName}</OrNone>
                  </td>
                  <td>
                    <OrNone>{session.ticketId ? `#${session.ticketId}` : null}</OrNone>
                  </td>
                  <td>
                    <OrNone>{session.endReason ? <Code>{session.endReason}</Code> : null}</OrNone>
                  </td>
                  <td>
                    {session.messagesToAgent} to agent, {session.messagesToEndUser} to end user
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadOlder hasNextPage={sessions.hasNextPage} isFetchingNextPage={sessions.isFetchingNextPage} onLoad={() => void sessions.fetchNextPage()} />
      </QueryState>
    </section>
  );
}
