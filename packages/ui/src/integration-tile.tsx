import type { ReactNode } from "react";

export interface IntegrationTileProps {
  name: string;
  description: string;
  /** null while loading */
  connected: boolean | null;
  /** Connect / Manage / View control, rendered by the host (it owns routing). */
  action?: ReactNode;
  logo?: ReactNode;
}

export function IntegrationTile({ name, description, connected, action, logo }: IntegrationTileProps) {
  const status = connected === null ? "Loading…" : connected ? "Connected" : "Not connected";
  return (
    <article className="zm-tile" aria-label={name}>
      <div className="zm-tile__head">
        {logo ?? <span className="zm-tile__logo" aria-hidden="true">{name.slice(0, 1)}</span>}
        <h3 className="zm-tile__name">{name}</h3>
      </div>
      <p className="zm-tile__description">{description}</p>
      <div className="zm-tile__foot">
        <span className={`zm-badge ${connected ? "zm-badge--ok" : "zm-badge--muted"}`}>{status}</span>
        {action}
      </div>
    </article>
  );
}

export function ZendeskLogo() {
  return (
    <svg className="zm-tile__logo zm-tile__logo--svg" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d="M15 11v15H3zm0-6a6 6 0 0 1-12 0zm2 21a6 6 0 0 1 12 0zm0-6V5h12z" fill="currentColor" />
    </svg>
  );
}
