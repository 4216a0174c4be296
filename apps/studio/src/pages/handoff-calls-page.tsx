import { useInfiniteQuery } from "@tanstack/react-query";
import type { CallTarget } from "@zm/contracts";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { oneOf } from "../handoffs/format.ts";
import { AutoRefresh, FilterSelect, HandoffsHeader, LoadOlder, QueryState, REFRESH_INTERVAL_MS } from "../handoffs/log-parts.tsx";
import { CallsTable, TARGET_LABELS } from "../handoffs/log-tables.tsx";
import { useTRPC } from "../trpc.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

const TARGET_FILTER_OPTIONS = (Object.entries(TARGET_LABELS) as Array<[CallTarget, string]>).map(([value, label]) => [value, label] as const);
const TARGET_FILTERS = TARGET_FILTER_OPTIONS.map(([value]) => value);

/** Monitor > Hand-offs > API calls: each HTTP attempt made to Zendesk or the SMS provider. */
export function HandoffCallsPage() {
  const trpc = useTRPC();
  const { projectId, project } = useProject();
  const [params, setParams] = useSearchParams();
  const target = oneOf(params.get("target"), TARGET_FILTERS);
  const failedOnly = params.get("failed") === "1";
  const [autoRefresh, setAutoRefresh] = useState(true);
  const calls = useInfiniteQuery(
    trpc.logs.listCalls.infiniteQueryOptions(
      { projectId, ...(target ? { target } : {}), ...(failedOnly ? { failedOnly } : {}) },
      {
        getNextPageParam: (last) => last.nextCursor,
        enabled: project !== null,
        refetchInterval: autoRefresh ? REFRESH_INTERVAL_MS : false,
      },
    ),
  );
  useEffect(() => {
    document.title = "API calls · Hand-offs · Studio";
  }, []);
  if (!project) return <NotFoundPage />;

  const setFilter = (name: "target" | "failed", value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  const rows = calls.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="handoffs-title">
      <HandoffsHeader projectId={projectId} lead="Each HTTP attempt made to Zendesk or the SMS provider: the operation, the answer, and how long it took." />
      <div className="log-toolbar">
        <FilterSelect id="call-target-filter" label="Target" value={target} options={TARGET_FILTER_OPTIONS} onChange={(v) => setFilter("target", v)} />
        <label className="log-check log-filter-check">
          <input type="checkbox" checked={failedOnly} onChange={(e) => setFilter("failed", e.target.checked ? "1" : undefined)} />
          Failed only
        </label>
        <AutoRefresh enabled={autoRefresh} onChange={setAutoRefresh} updatedAt={calls.dataUpdatedAt} />
      </div>
      <QueryState isPending={calls.isPending} error={calls.error} hasData={calls.data !== undefined} loadingText="Loading API calls…">
        {rows.length === 0 ? (
          <p className="log-empty">{target || failedOnly ? "No API calls match these filters." : "No API calls yet."}</p>
        ) : (
          <CallsTable name={{ caption: "API calls" }} projectId={projectId} calls={rows} showSession />
        )}
        <LoadOlder hasNextPage={calls.hasNextPage} isFetchingNextPage={calls.isFetchingNextPage} onLoad={() => void calls.fetchNextPage()} />
      </QueryState>
    </section>
  );
}
