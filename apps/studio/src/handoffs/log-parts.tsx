import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { messageOf } from "../trpc.ts";
import { formatDateTime, formatTime, type BadgeTone } from "./format.ts";

/** How often the logs pages refetch while the tab is visible (react-query pauses when hidden). */
export const REFRESH_INTERVAL_MS = 3000;

export function Badge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return <span className={`zm-badge zm-badge--${tone}`}>{children}</span>;
}

export function DateTime({ iso }: { iso: string | null }) {
  if (!iso) return <span className="muted">—</span>;
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** A nullable value, with a dash that screen readers hear as "none". */
export function OrNone({ children }: { children: ReactNode }) {
  if (children === null || children === undefined || children === "") {
    return (
      <span className="muted">
        <span aria-hidden="true">—</span>
        <span className="zm-visually-hidden">none</span>
      </span>
    );
  }
  return <>{children}</>;
}

export function Code({ children }: { children: ReactNode }) {
  return <code className="log-code">{children}</code>;
}

/** The heading and view switch shared by the Sessions, Deliveries and API calls views. */
export function HandoffsHeader({ projectId, lead }: { projectId: string; lead: string }) {
  const base = `/projects/${projectId}/handoffs`;
  return (
    <>
      <p className="breadcrumb">Monitor</p>
      <h1 id="handoffs-title">Hand-offs</h1>
      <p className="lead">{lead}</p>
      <nav className="log-views" aria-label="Hand-off logs">
        <NavLink to={base} end>
          Sessions
        </NavLink>
        <NavLink to={`${base}/deliveries`}>Deliveries</NavLink>
        <NavLink to={`${base}/calls`}>API calls</NavLink>
      </nav>
    </>
  );
}

interface AutoRefreshProps {
  enabled: boolean;
  onChange(enabled: boolean): void;
  updatedAt: number;
}

/** Lets a reader stop the table changing under them; not a live region, so refreshes stay quiet. */
export function AutoRefresh({ enabled, onChange, updatedAt }: AutoRefreshProps) {
  return (
    <div className="log-refresh">
      <label className="log-check">
        <input type="checkbox" checked={enabled} onChange={(e) => onChange(e.target.checked)} />
        Auto-refresh every {REFRESH_INTERVAL_MS / 1000} seconds
      </label>
      {updatedAt > 0 ? <span className="muted">Updated {formatTime(updatedAt)}</span> : null}
    </div>
  );
}

interface QueryStateProps {
  isPending: boolean;
  error: unknown;
  hasData: boolean;
  loadingText: string;
  children: ReactNode;
}

/** Loading, error and refresh-failure states around a query's content. */
export function QueryState({ isPending, error, hasData, loadingText, children }: QueryStateProps) {
  if (isPending) return <p role="status">{loadingText}</p>;
  if (!hasData) {
    return (
      <p role="alert" className="zm-form__error">
        {messageOf(error)}
      </p>
    );
  }
  return (
    <>
      {error ? (
        <p role="alert" className="zm-form__error">
          Could not refresh: {messageOf(error)} Showing what was loaded before.
        </p>
      ) : null}
      {children}
    </>
  );
}

interface LoadOlderProps {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  onLoad(): void;
}

export function LoadOlder({ hasNextPage, isFetchingNextPage, onLoad }: LoadOlderProps) {
  if (!hasNextPage) return null;
  return (
    <div className="page-actions log-more">
      <button type="button" className="zm-button" onClick={onLoad} disabled={isFetchingNextPage}>
        {isFetchingNextPage ? "Loading older…" : "Load older"}
      </button>
    </div>
  );
}

interface FilterSelectProps<T extends string> {
  id: string;
  label: string;
  value: T | undefined;
  options: ReadonlyArray<readonly [T, string]>;
  onChange(value: T | undefined): void;
}

/** A labelled select whose first option, "All", clears the filter. */
export function FilterSelect<T extends string>({ id, label, value, options, onChange }: FilterSelectProps<T>) {
  return (
    <div className="zm-field log-filter">
      <label className="zm-field__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="zm-input"
        value={value ?? ""}
        onChange={(e) => onChange(options.find(([option]) => option === e.target.value)?.[0])}
      >
        <option value="">All</option>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
