import { useInfiniteQuery } from "@tanstack/react-query";
import type { DeliverySource, DeliveryStatus } from "@zm/contracts";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { oneOf } from "../handoffs/format.ts";
import { AutoRefresh, FilterSelect, HandoffsHeader, LoadOlder, QueryState, REFRESH_INTERVAL_MS } from "../handoffs/log-parts.tsx";
import { DeliveriesTable, SOURCE_LABELS } from "../handoffs/log-tables.tsx";
import { useTRPC } from "../trpc.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

// Pending is left out: events wait there for milliseconds; a stuck one shows on its session.
const STATUS_FILTER_OPTIONS = [
  ["rejected", "Rejected"],
  ["failed", "Failed"],
  ["ignored", "Ignored"],
  ["processed", "Processed"],
] as const satisfies ReadonlyArray<readonly [DeliveryStatus, string]>;
const STATUS_FILTERS = STATUS_FILTER_OPTIONS.map(([value]) => value);

const SOURCE_FILTER_OPTIONS = (Object.entries(SOURCE_LABELS) as Array<[DeliverySource, string]>).map(([value, label]) => [value, label] as const);
const SOURCE_FILTERS = SOURCE_FILTER_OPTIONS.map(([value]) => value);

/** Monitor > Hand-offs > Deliveries: every inbound webhook delivery, including refused ones. */
export function HandoffDeliveriesPage() {
  const trpc = useTRPC();
  const { projectId, project } = useProject();
  const [params, setParams] = useSearchParams();
  const status = oneOf(params.get("status"), STATUS_FILTERS);
  const source = oneOf(params.get("source"), SOURCE_FILTERS);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const deliveries = useInfiniteQuery(
    trpc.logs.listDeliveries.infiniteQueryOptions(
      { projectId, ...(status ? { status } : {}), ...(source ? { source } : {}) },
      {
        getNextPageParam: (last) => last.nextCursor,
        enabled: project !== null,
        refetchInterval: autoRefresh ? REFRESH_INTERVAL_MS : false,
      },
    ),
  );
  useEffect(() => {
    document.title = "Deliveries · Hand-offs · Studio";
  }, []);
  if (!project) return <NotFoundPage />;

  const setFilter = (name: "status" | "source", value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  const rows = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = status !== undefined || source !== undefined;
  return (
    <section aria-labelledby="handoffs-title">
      <HandoffsHeader
        projectId={projectId}
        lead="Every webhook delivery Zendesk or the SMS provider made to this project, including the ones refused because they failed verification."
      />
      <div className="log-toolbar">
        <FilterSelect id="delivery-status-filter" label="Status" value={status} options={STATUS_FILTER_OPTIONS} onChange={(v) => setFilter("status", v)} />
        <FilterSelect id="delivery-source-filter" label="Source" value={source} options={SOURCE_FILTER_OPTIONS} onChange={(v) => setFilter("source", v)} />
        <AutoRefresh enabled={autoRefresh} onChange={setAutoRefresh} updatedAt={deliveries.dataUpdatedAt} />
      </div>
      <QueryState isPending={deliveries.isPending} error={deliveries.error} hasData={deliveries.data !== undefined} loadingText="Loading deliveries…">
        {rows.length === 0 ? (
          <p className="log-empty">{filtered ? "No deliveries match these filters." : "No deliveries yet. Zendesk's webhook calls show up here as they arrive."}</p>
        ) : (
          <DeliveriesTable name={{ caption: "Deliveries" }} projectId={projectId} deliveries={rows} showSession />
        )}
        <LoadOlder hasNextPage={deliveries.hasNextPage} isFetchingNextPage={deliveries.isFetchingNextPage} onLoad={() => void deliveries.fetchNextPage()} />
      </QueryState>
    </section>
  );
}
