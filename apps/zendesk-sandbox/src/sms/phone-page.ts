import { html, type SafeHtml } from "../console/html.ts";
import { layout } from "../console/layout.ts";
import type { SmsMessageView, SmsNumberView, SmsSetupResult } from "./sms-service.ts";
import { MAX_BODY_CHARACTERS } from "./twilio-format.ts";

export interface PhonePageModel {
  setup: SmsSetupResult | null;
  handsets: string[];
  /** The handset whose thread is shown and who sends. */
  handset: string;
  numbers: SmsNumberView[];
  /** The project number preselected in "To". */
  to: string | null;
  thread: SmsMessageView[];
}

/**
 * The phone simulator: pick the end user's number, read the thread with the project, and text the
 * project number. Works as plain forms; the console module keeps the thread live and sends without reloads.
 */
export function phonePage(model: PhonePageModel): string {
  const { handset, numbers } = model;
  const body = html`
<h1>Phone simulator</h1>
<p class="muted">A text sent here reaches the project's SMS URL as Twilio's signed webhook. Texts the product sends through the Messages API arrive here.</p>
${model.setup ? "" : html`<p class="notice">No SMS number yet. Create one with <code>POST /_sandbox/sms/setup</code>, or here:</p>
<form method="post" action="/phone/setup" class="row"><button type="submit">Create SMS number</button></form>`}
<div class="phone">
  <form method="get" action="/phone" id="handset-form" class="row">
    <label for="handset">Your number</label>
    <select id="handset" name="handset">
      ${handsetOptions(model.handsets, handset)}
    </select>
    <button type="submit">Show messages</button>
  </form>
  <details class="add-handset">
    <summary>Use another number</summary>
    <form method="post" action="/phone/handsets" id="add-handset-form" class="row">
      <label for="new-handset">New number</label>
      <input id="new-handset" name="number" type="tel" inputmode="tel" autocomplete="off" placeholder="+15551230002" pattern="\\+[1-9][0-9]{1,14}" required aria-describedby="new-handset-hint">
      <button type="submit">Add number</button>
      <span id="new-handset-hint" class="muted">In E.164 form, like +15551230002.</span>
    </form>
  </details>
  <section aria-labelledby="thread-heading">
    <h2 id="thread-heading">Messages on ${handset}</h2>
    <div role="log" aria-label="Messages" aria-live="polite" aria-relevant="additions" id="thread" class="transcript phone-thread">
      <p id="thread-empty" class="muted"${model.thread.length > 0 ? html` hidden` : ""}>No messages yet.</p>
      <ol id="thread-list">${model.thread.map(threadItem)}</ol>
    </div>
    <p role="status" id="flash" class="flash"></p>
    <form method="post" action="/phone/send" enctype="multipart/form-data" id="send-form" class="stack">
      <input type="hidden" id="send-from" name="from" value="${handset}">
      <label for="to">To</label>
      <select id="to" name="to" aria-describedby="to-hint"${numbers.length === 0 ? html` disabled` : ""}>
        ${numbers.map((n) => html`<option value="${n.phoneNumber}"${n.phoneNumber === model.to ? html` selected` : ""}>${n.phoneNumber}</option>`)}
      </select>
      <span id="to-hint" class="muted">${toHint(numbers, model.to)}</span>
      <label for="text-message">Text message</label>
      <textarea id="text-message" name="body" rows="3" maxlength="${MAX_BODY_CHARACTERS}"></textarea>
      <label for="photo">Photo (optional)</label>
      <input id="photo" name="media" type="file" accept="image/*">
      <div class="row"><button type="submit" id="send"${numbers.length === 0 ? html` disabled` : ""}>Send</button></div>
    </form>
  </section>
</div>`;
  return layout({ title: "Phone simulator", section: "phone", page: "phone", body, data: { handset } });
}

function handsetOptions(handsets: string[], selected: string): SafeHtml[] {
  const all = handsets.includes(selected) ? handsets : [...handsets, selected];
  return all.map((n) => html`<option value="${n}"${n === selected ? html` selected` : ""}>${n}</option>`);
}

function toHint(numbers: SmsNumberView[], selected: string | null): string {
  const number = numbers.find((n) => n.phoneNumber === selected) ?? numbers[0];
  if (!number) return "The project has no SMS number yet.";
  return number.smsUrl ? `Texts to ${number.phoneNumber} go to ${number.smsUrl}.` : `${number.phoneNumber} has no SMS URL: texts to it reach nobody.`;
}

/** One message as the phone shows it; `phoneStatusText` is re-read by the module when it changes. */
function threadItem(message: SmsMessageView): SafeHtml {
  const sentByPhone = message.direction === "inbound";
  return html`<li data-message-sid="${message.sid}" class="entry ${sentByPhone ? "sms-sent" : "sms-received"}">
<p class="meta"><strong>${sentByPhone ? "You sent" : "You received"}</strong> ${sentByPhone ? `to ${message.to}` : `from ${message.from}`} · <time datetime="${message.dateCreated}">${message.dateCreated.slice(11, 19)} UTC</time> · <span class="sms-status">${phoneStatusText(message)}</span></p>
${message.body ? html`<p class="text">${message.body}</p>` : ""}${message.media.map(
    (media, index) => html`<p><a href="${media.url}">${media.contentType.startsWith("image/") ? "Photo" : "Attachment"} ${index + 1} (${media.contentType})</a></p>`,
  )}</li>`;
}

export function phoneStatusText(message: SmsMessageView): string {
  if (message.direction !== "inbound") return message.status;
  const webhook = message.webhook;
  if (!webhook) return "sending to the product…";
  if (webhook.url === null) return "not passed on: the number has no SMS URL";
  if (webhook.errorCode === null) return `the product answered HTTP ${webhook.status}`;
  return `webhook failed: ${webhook.status === null ? webhook.error : `HTTP ${webhook.status}`} (Twilio error ${webhook.errorCode}, not retried)`;
}
