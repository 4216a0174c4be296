import type { SetupResult } from "../domain/app-setup.ts";
import type { DeliveryAttempt } from "../deliveries/delivery-log.ts";
import type { TicketSummary, TicketView } from "../sandbox-core.ts";
import { WEBHOOK_TRIGGERS } from "../spec/spec-validator.ts";
import type { AppRecord, TranscriptEntry } from "../state/model.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./layout.ts";

export const DEFAULT_AGENT_NAME = "Jane Agent";
const EDITABLE_STATUSES = ["open", "pending", "solved", "closed"];

export function ticketListPage(tickets: TicketSummary[], setup: SetupResult | null): string {
  const body = html`
<h1>Agent console</h1>
${setup ? "" : html`<p class="notice">No app yet. Create one with <code>POST /_sandbox/setup</code>, or open <a href="/console/settings">Settings</a>.</p>`}
<section aria-labelledby="tickets-heading">
  <h2 id="tickets-heading">Tickets</h2>
  <p id="ticket-count" class="muted">${ticketCountText(tickets.length)}</p>
  <ul id="ticket-list" class="tickets">${tickets.map(ticketListItem)}</ul>
</section>`;
  return layout({ title: "Tickets", section: "tickets", page: "tickets", body });
}

export function ticketCountText(count: number): string {
  return count === 0 ? "No tickets yet. A passControl to zd-agentWorkspace creates one." : `${count} ticket${count === 1 ? "" : "s"}`;
}

function ticketListItem(ticket: TicketSummary): SafeHtml {
  return html`<li data-ticket-id="${ticket.id}"><a href="/console/tickets/${ticket.id}">#${ticket.id} ${ticket.subject}</a>
 <span class="status status-${ticket.status}">Status: ${ticket.status}</span>
 <span class="muted">${ticket.requester.name}${ticket.sessionActive ? "" : " · session ended"}</span></li>`;
}

export function ticketPage(ticket: TicketView): string {
  const live = ticket.sessionActive && ticket.status !== "closed";
  const body = html`
<h1>Ticket #${ticket.id}</h1>
<p class="subject" id="ticket-subject">${ticket.subject}</p>
<div class="columns">
  <section aria-labelledby="fields-heading" class="fields">
    <h2 id="fields-heading">Ticket fields</h2>
    <dl id="ticket-fields">${ticketFields(ticket)}</dl>
  </section>
  <section aria-labelledby="conversation-heading" class="conversation">
    <h2 id="conversation-heading">Conversation</h2>
    <p id="session-state" class="notice"${live ? html` hidden` : ""}>${sessionStateText(ticket)}</p>
    <div role="log" aria-label="Transcript" aria-live="polite" id="transcript" class="transcript">
      <ol id="transcript-list">${ticket.transcript.map(transcriptItem)}</ol>
    </div>
    <p role="status" id="flash" class="flash"></p>
    <form method="post" action="/console/tickets/${ticket.id}/reply" id="reply-form" class="stack">
      <label for="agent-name">Agent name</label>
      <input id="agent-name" name="agentName" type="text" value="${DEFAULT_AGENT_NAME}" autocomplete="name" required>
      <label for="reply-text">Reply</label>
      <textarea id="reply-text" name="text" rows="3" maxlength="4096" required${live ? "" : html` disabled`}></textarea>
      <div class="row">
        <button type="submit" id="send-reply"${live ? "" : html` disabled`}>Send reply</button>
      </div>
    </form>
    <form method="post" action="/console/tickets/${ticket.id}/typing" id="typing-form" class="row">
      <button type="submit" name="typing" value="start" id="start-typing"${live ? "" : html` disabled`}>Start typing</button>
      <button type="submit" name="typing" value="stop" id="stop-typing"${live ? "" : html` disabled`}>Stop typing</button>
    </form>
    <form method="post" action="/console/tickets/${ticket.id}/status" id="status-form" class="row">
      <label for="ticket-status">Status</label>
      <select id="ticket-status" name="status"${ticket.status === "closed" ? html` disabled` : ""}>
        ${EDITABLE_STATUSES.map((s) => html`<option value="${s}"${s === ticket.status ? html` selected` : ""}>${s}</option>`)}
      </select>
      <button type="submit" id="update-status"${ticket.status === "closed" ? html` disabled` : ""}>Update status</button>
    </form>
    <form method="post" action="/console/tickets/${ticket.id}/end-session" id="end-session-form" class="row">
      <button type="submit" id="end-session"${live ? "" : html` disabled`}>End session</button>
    </form>
  </section>
</div>`;
  return layout({ title: `Ticket #${ticket.id}`, section: "tickets", page: "ticket", body, data: { "ticket-id": String(ticket.id) } });
}

export function sessionStateText(ticket: TicketView): string {
  if (ticket.status === "closed") return "This ticket is closed; the messaging session is over.";
  if (!ticket.sessionActive) return "The messaging session has ended: control left Agent Workspace. The ticket status is unchanged.";
  return "";
}

/** The `<dl>` rows; the console script renders the same rows from JSON. */
export function ticketFieldRows(ticket: TicketView): [string, string][] {
  const rows: [string, string][] = [
    ["Status", ticket.status],
    ["Requester", `${ticket.requester.name}${ticket.requester.email ? ` <${ticket.requester.email}>` : ""}`],
    ["Tags", ticket.tags.join(" ") || "—"],
    ["Priority", ticket.priority ?? "—"],
    ["Group", ticket.groupId === null ? "—" : String(ticket.groupId)],
    ["Brand", ticket.brandId === null ? "—" : String(ticket.brandId)],
    ["Assignee", ticket.assigneeId === null ? "—" : String(ticket.assigneeId)],
    ["Channel", ticket.via.channel + (ticket.via.originSourceType ? ` (${ticket.via.originSourceType})` : "")],
    ["Session", ticket.sessionActive ? "active" : "ended"],
  ];
  for (const [id, value] of Object.entries(ticket.customFields)) rows.push([`Field ${id}`, value]);
  return rows;
}

function ticketFields(ticket: TicketView): SafeHtml[] {
  return ticketFieldRows(ticket).map(([term, value]) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`);
}

function transcriptItem(entry: TranscriptEntry): SafeHtml {
  return html`<li data-message-id="${entry.messageId}" class="entry entry-${entry.authorType}">
<p class="meta"><strong class="author">${entry.authorName}</strong> <time datetime="${entry.received}">${entry.received.slice(11, 19)}</time></p>
<p class="text">${entry.text}</p>${entry.mediaUrl ? html`<p><a href="${entry.mediaUrl}">Attachment</a></p>` : ""}</li>`;
}

export function deliveriesPage(attempts: DeliveryAttempt[]): string {
  const body = html`
<h1>Delivery log</h1>
<p class="muted">Every webhook attempt the sandbox made, like Zendesk's Integrations &gt; Logs, and the SMS provider's calls (incoming texts and status callbacks, never retried). Newest first; refreshes every second.</p>
<table class="log">
  <caption>Webhook delivery attempts, newest first</caption>
  <thead><tr><th scope="col">Time</th><th scope="col">Webhook</th><th scope="col">Events</th><th scope="col">Attempt</th><th scope="col">Result</th><th scope="col">Latency</th><th scope="col">Next retry</th></tr></thead>
  <tbody id="delivery-rows">${attempts.map(deliveryRow)}</tbody>
</table>`;
  return layout({ title: "Delivery log", section: "deliveries", page: "deliveries", body });
}

function deliveryRow(a: DeliveryAttempt): SafeHtml {
  return html`<tr><td><time datetime="${a.time}">${a.time.replace("T", " ").slice(0, 23)}</time></td>
<td>${a.webhook} <span class="muted">${a.webhookId}</span></td>
<td>${a.eventTypes.join(", ")}<br><span class="muted">${a.eventIds.join(", ")}</span></td>
<td>${a.attempt}</td>
<td>${a.status === null ? a.error : `HTTP ${a.status}`} · ${a.outcome}${a.note ? ` · ${a.note}` : ""}</td>
<td>${a.latencyMs} ms</td>
<td>${a.nextRetryAt ?? "—"}</td></tr>`;
}

export function settingsPage(setup: SetupResult | null, app: AppRecord | undefined): string {
  const body = setup && app ? settingsBody(setup, app) : html`<h1>Settings</h1>
<p class="notice">No app yet.</p>
<form method="post" action="/console/settings/setup" class="row"><button type="submit">Create demo app</button></form>`;
  return layout({ title: "Settings", section: "settings", page: "settings", body });
}

function settingsBody(setup: SetupResult, app: AppRecord): SafeHtml {
  return html`
<h1>Settings</h1>
<p role="status" id="flash" class="flash"></p>
<section aria-labelledby="ids-heading">
  <h2 id="ids-heading">Identifiers</h2>
  <dl class="ids">
    <div><dt>Subdomain</dt><dd>${setup.subdomain}</dd></div>
    <div><dt>API base URL</dt><dd><code>${setup.apiUrl}</code></dd></div>
    <div><dt>App ID</dt><dd><code>${setup.appId}</code></dd></div>
    <div><dt>Integration ID</dt><dd><code>${setup.integrationId}</code></dd></div>
    <div><dt>Webhook ID</dt><dd><code>${setup.webhookId}</code></dd></div>
    <div><dt>Webhook shared secret</dt><dd><code>${mask(setup.webhookSecret)}</code></dd></div>
    <div><dt>API key ID</dt><dd><code>${setup.apiKeyId}</code></dd></div>
    <div><dt>API key secret</dt><dd><code>${mask(setup.apiKeySecret)}</code></dd></div>
    <div><dt>App key ID</dt><dd><code>${setup.appKeyId}</code></dd></div>
    <div><dt>Status webhook ID</dt><dd><code>${setup.statusWebhookId}</code></dd></div>
    <div><dt>Account ID</dt><dd><code>${setup.accountId}</code></dd></div>
  </dl>
  <p class="muted">Secrets are masked here; <code>POST /_sandbox/setup</code> returns them in full.</p>
</section>
<section aria-labelledby="webhook-heading">
  <h2 id="webhook-heading">Conversations webhook</h2>
  <form method="post" action="/console/settings/webhook" id="webhook-form" class="stack">
    <label for="webhook-target">Target URL</label>
    <input id="webhook-target" name="target" type="url" value="${app.webhook.target}">
    <label for="webhook-version">Webhook version</label>
    <select id="webhook-version" name="version">
      ${(["v2", "v1"] as const).map((v) => html`<option value="${v}"${v === app.webhook.version ? html` selected` : ""}>${v}</option>`)}
    </select>
    <fieldset>
      <legend>Triggers</legend>
      <div class="triggers">
      ${WEBHOOK_TRIGGERS.map(
        (trigger, i) => html`<div class="check"><input type="checkbox" id="trigger-${i}" name="triggers" value="${trigger}"${app.webhook.triggers.includes(trigger) ? html` checked` : ""}><label for="trigger-${i}">${trigger}</label></div>`,
      )}
      </div>
    </fieldset>
    <div class="row"><button type="submit">Save webhook</button></div>
  </form>
</section>
<section aria-labelledby="status-webhook-heading">
  <h2 id="status-webhook-heading">Status webhook (Zendesk events: Status changed)</h2>
  <form method="post" action="/console/settings/status-webhook" id="status-webhook-form" class="stack">
    <label for="status-target">Status webhook URL</label>
    <input id="status-target" name="target" type="url" value="${app.statusWebhook?.target ?? ""}">
    <label for="status-header-name">Header name</label>
    <input id="status-header-name" name="headerName" type="text" value="${app.statusWebhook?.auth.headerName ?? "X-API-Key"}">
    <label for="status-header-value">Header value</label>
    <input id="status-header-value" name="headerValue" type="password" placeholder="unchanged (${mask(app.statusWebhook?.auth.value ?? "")})" autocomplete="off">
    <label for="status-signing-secret">Signing secret</label>
    <input id="status-signing-secret" name="signingSecret" type="password" placeholder="${app.statusWebhook?.signingSecret ? `unchanged (${mask(app.statusWebhook.signingSecret)})` : "not signing"}" autocomplete="off">
    <div class="check"><input type="checkbox" id="status-signing-off" name="signingOff" value="1"><label for="status-signing-off">Turn signing off</label></div>
    <div class="row"><button type="submit">Save status webhook</button></div>
  </form>
</section>`;
}

/** The page for a failed request: a missing ticket, or a form the sandbox refused. */
export function errorPage(status: number, what: string): string {
  if (status === 404) return notFoundPage(what);
  return layout({ title: "Request refused", section: null, page: "error", body: html`<h1>Request refused</h1><p>${what}</p><p>Go back and try again.</p>` });
}

export function notFoundPage(what: string): string {
  return layout({ title: "Not found", section: null, page: "not-found", body: html`<h1>Not found</h1><p>${what}</p><p><a href="/console">Back to tickets</a></p>` });
}

function mask(secret: string): string {
  return secret.length <= 4 ? "••••" : `••••${secret.slice(-4)}`;
}
