import { useQuery } from "@tanstack/react-query";
import { IntegrationTile, ZendeskLogo } from "@zm/ui/tile";
import { useEffect } from "react";
import { Link } from "react-router";
import { useTRPC } from "../trpc.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

export function IntegrationsPage() {
  const trpc = useTRPC();
  const { projectId, project, isAdmin } = useProject();
  const zendesk = useQuery({ ...trpc.zendesk.getConnection.queryOptions({ projectId }), enabled: project !== null });
  const sms = useQuery({ ...trpc.sms.getConnection.queryOptions({ projectId }), enabled: project !== null });
  useEffect(() => {
    document.title = "Integrations · Studio";
  }, []);
  if (!project) return <NotFoundPage />;

  const connected = zendesk.data ? zendesk.data.connected : null;
  const zendeskHref = `/projects/${projectId}/configure/integrations/zendesk-messaging`;
  const action = !zendesk.data ? null : isAdmin ? (
    <Link className={`zm-button zm-button--small${connected ? "" : " zm-button--primary"}`} to={zendeskHref} aria-label={connected ? "Manage Zendesk Messaging" : "Connect Zendesk Messaging"}>
      {connected ? "Manage" : "Connect"}
    </Link>
  ) : connected ? (
    <Link className="zm-button zm-button--small" to={zendeskHref} aria-label="View Zendesk Messaging">
      View
    </Link>
  ) : null;

  return (
    <section aria-labelledby="integrations-title">
      <p className="breadcrumb">Configure</p>
      <h1 id="integrations-title">Integrations</h1>
      <p className="lead">Connect the services your AI agent hands conversations to.</p>
      {zendesk.isError ? (
        <p role="alert" className="zm-form__error">
          Could not load the integrations. Reload to try again.
        </p>
      ) : null}
      <div className="tiles">
        <IntegrationTile
          name="Zendesk Messaging"
          description="Hand live webchat and SMS conversations to agents in Zendesk Agent Workspace, and take them back when the ticket is solved."
          connected={connected}
          logo={<ZendeskLogo />}
          action={action}
        />
        <IntegrationTile
          name="SMS"
          description="Let end users text your AI agent, and keep the same hand-off to Zendesk agents over SMS (Twilio-compatible provider)."
          connected={sms.data ? sms.data.connected : null}
          action={
            sms.data && (isAdmin || sms.data.connected) ? (
              <Link className={`zm-button zm-button--small${!sms.data.connected && isAdmin ? " zm-button--primary" : ""}`} to={`/projects/${projectId}/configure/integrations/sms`} aria-label={isAdmin ? (sms.data.connected ? "Manage SMS" : "Connect SMS") : "View SMS"}>
                {isAdmin ? (sms.data.connected ? "Manage" : "Connect") : "View"}
              </Link>
            ) : null
          }
        />
      </div>
      {!isAdmin ? <p className="hint">Only project admins can connect or change integrations.</p> : null}
    </section>
  );
}
