import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ZendeskConnectionValues, ZendeskConnectionView } from "@zm/contracts";
import { ConfirmDialog, ConnectionTestReport, WebhookUrls, ZendeskConnectionForm, type SubmitResult } from "@zm/ui";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { fieldErrorsOf, messageOf, useTRPC } from "../trpc.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

export function ZendeskMessagingPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { projectId, project, isAdmin } = useProject();
  const connectionQuery = trpc.zendesk.getConnection.queryOptions({ projectId });
  const connection = useQuery({ ...connectionQuery, enabled: project !== null });
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    document.title = "Zendesk Messaging · Integrations · Studio";
  }, []);

  const refresh = (view: NonNullable<typeof connection.data>) => queryClient.setQueryData(connectionQuery.queryKey, view);
  const connect = useMutation(trpc.zendesk.connect.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.zendesk.update.mutationOptions({ onSuccess: (r) => refresh(r.view) }));
  const test = useMutation(trpc.zendesk.testConnection.mutationOptions());
  const disconnect = useMutation(
    trpc.zendesk.disconnect.mutationOptions({
      onSuccess: (view) => {
        refresh(view);
        setConfirming(false);
        setNotice("Zendesk Messaging was disconnected. Its stored credentials were deleted.");
      },
    }),
  );

  if (!project) return <NotFoundPage />;
  if (connection.isPending) return <p role="status">Loading…</p>;
  if (connection.isError) return <p role="alert">{messageOf(connection.error)}</p>;
  const view = connection.data;

  const save = async (values: ZendeskConnectionValues, mode: "connect" | "update"): Promise<SubmitResult> => {
    setNotice(null);
    try {
      if (mode === "connect") await connect.mutateAsync({ projectId, ...values });
      else await update.mutateAsync({ projectId, ...values });
      setNotice(mode === "connect" ? "Zendesk Messaging is connected." : "Changes saved.");
      return { ok: true };
    } catch (err) {
      return { ok: false, fieldErrors: fieldErrorsOf(err), formError: messageOf(err) };
    }
  };

  return (
    <section aria-labelledby="zendesk-title" className="narrow">
      <p className="breadcrumb">
        <Link to={`/projects/${projectId}/configure/integrations`}>Integrations</Link> /
      </p>
      <h1 id="zendesk-title">Zendesk Messaging</h1>
      <p className="lead">
        Status:{" "}
        <span className={`zm-badge ${view.connected ? "zm-badge--ok" : "zm-badge--muted"}`}>
          {view.connected ? "Connected" : "Not connected"}
        </span>
        {view.connected && view.connectedBy && view.connectedAt ? (
          <span className="muted">
            {" "}
            by {view.connectedBy.name} on {new Date(view.connectedAt).toLocaleString()}
          </span>
        ) : null}
      </p>
      <div role="status" aria-live="polite" className="notice">
        {notice}
      </div>

      <WebhookUrls events={view.webhookUrls.events} status={view.webhookUrls.status} />
      {isAdmin ? (
        <>
          {view.connected ? (
            <section className="zm-card" aria-labelledby="test-title">
              <h2 id="test-title" className="zm-card__title">
                Test connection
              </h2>
              <p>Reads your Conversations integration's webhook with the stored credentials and checks what the hand-off needs.</p>
              <button type="button" className="zm-button" onClick={() => test.mutate({ projectId })} disabled={test.isPending}>
                {test.isPending ? "Testing…" : "Test connection"}
              </button>
              <div role="status" aria-live="polite">
                {test.data ? <ConnectionTestReport checks={test.data.checks} ok={test.data.ok} /> : null}
                {test.isError ? <p className="zm-form__error">{messageOf(test.error)}</p> : null}
              </div>
            </section>
          ) : null}
          <ZendeskConnectionForm view={view} onSubmit={save} />
          {view.connected ? (
            <section className="zm-card danger-zone" aria-labelledby="disconnect-title">
              <h2 id="disconnect-title" className="zm-card__title">
                Disconnect
              </h2>
              <p>Stops hand-offs to Zendesk and deletes the stored credentials.</p>
              <button type="button" className="zm-button zm-button--danger" onClick={() => setConfirming(true)}>
                Disconnect Zendesk Messaging
              </button>
              <ConfirmDialog
                open={confirming}
                title="Disconnect Zendesk Messaging?"
                body="Conversations can no longer be handed to Zendesk agents, and the stored secrets are deleted. You can connect again later."
                confirmLabel="Disconnect"
                busy={disconnect.isPending}
                onConfirm={() => disconnect.mutate({ projectId })}
                onCancel={() => setConfirming(false)}
              />
            </section>
          ) : null}
        </>
      ) : (
        <ReadOnlySettings view={view} />
      )}
    </section>
  );
}

function ReadOnlySettings({ view }: { view: ZendeskConnectionView }) {
  if (!view.settings) return <p>Zendesk Messaging is not connected yet. A project admin can connect it.</p>;
  const rows: Array<[string, string]> = [
    ["App ID", view.settings.appId],
    ["Integration ID", view.settings.integrationId],
    ["Webhook ID", view.settings.webhookId],
    ["API key ID", view.settings.apiKeyId],
    ["Zendesk subdomain", view.settings.subdomain],
  ];
  return (
    <section className="zm-card" aria-labelledby="settings-title">
      <h2 id="settings-title" className="zm-card__title">
        Settings
      </h2>
      <dl className="settings-list">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">Only project admins can change these settings.</p>
    </section>
  );
}
