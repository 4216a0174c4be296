import { CopyButton } from "./copy-button.tsx";

/** The two URLs to paste into Zendesk, with the settings Zendesk needs beside each. */
export function WebhookUrls({ events, status }: { events: string; status: string }) {
  return (
    <section className="zm-card" aria-labelledby="zm-webhook-urls-title">
      <h2 id="zm-webhook-urls-title" className="zm-card__title">
        Webhook URLs for Zendesk
      </h2>
      <div className="zm-webhook">
        <h3 className="zm-webhook__name">Conversations integration webhook</h3>
        <div className="zm-webhook__url">
          <code aria-label="Conversations webhook URL">{events}</code>
          <CopyButton value={events} label="Copy conversations webhook URL" />
        </div>
        <ul className="zm-webhook__settings">
          <li>Admin Center &gt; Apps and integrations &gt; Integrations &gt; Conversations integrations &gt; your integration</li>
          <li>Webhook endpoint URL: the URL above</li>
          <li>
            Webhook version: <strong>v2</strong>
          </li>
          <li>
            Events: <strong>Conversation message</strong>, <strong>Conversation typing</strong> and the switchboard
            events (<strong>pass control</strong>, <strong>pass control failure</strong>, <strong>release control</strong>)
          </li>
        </ul>
      </div>
      <div className="zm-webhook">
        <h3 className="zm-webhook__name">Ticket status webhook</h3>
        <div className="zm-webhook__url">
          <code aria-label="Ticket status webhook URL">{status}</code>
          <CopyButton value={status} label="Copy ticket status webhook URL" />
        </div>
        <ul className="zm-webhook__settings">
          <li>Admin Center &gt; Apps and integrations &gt; Webhooks &gt; Create webhook &gt; Zendesk events</li>
          <li>
            Event subscription: <strong>Status changed</strong> (ticket)
          </li>
          <li>
            Request method <strong>POST</strong>, format <strong>JSON</strong>
          </li>
          <li>
            Authentication: <strong>API key</strong>, with the header name and value you enter in the form
          </li>
        </ul>
      </div>
    </section>
  );
}
