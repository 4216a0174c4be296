// Agent console and phone simulator enhancements: live refresh and forms without page reloads.
// The server renders every page; this module re-fetches the page and patches the parts that
// change, so markup lives in one place (pages.ts) and text is never turned into HTML here.

const POLL_MS = 1000;
const page = document.body.dataset.page;

function flash(text, isError = false) {
  const region = document.getElementById("flash");
  if (!region) return;
  region.textContent = text;
  region.classList.toggle("error", isError);
}

async function fetchPage() {
  // The query matters on the phone page: it says whose thread is shown.
  const response = await fetch(location.pathname + location.search, { headers: { accept: "text/html" }, cache: "no-store" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new DOMParser().parseFromString(await response.text(), "text/html");
}

/** Replaces `id`'s children with the fresh copy when they differ, keeping focus where it was. */
function syncChildren(fresh, id) {
  const current = document.getElementById(id);
  const next = fresh.getElementById(id);
  if (!current || !next || current.innerHTML === next.innerHTML) return;
  const focusedHref = document.activeElement instanceof HTMLAnchorElement && current.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
  current.replaceChildren(...[...next.childNodes].map((node) => document.importNode(node, true)));
  if (focusedHref) current.querySelector(`a[href="${CSS.escape(focusedHref)}"]`)?.focus();
}

function syncText(fresh, id) {
  const current = document.getElementById(id);
  const next = fresh.getElementById(id);
  if (current && next && current.textContent !== next.textContent) current.textContent = next.textContent;
  if (current && next) current.hidden = next.hidden;
}

function syncDisabled(fresh, ids) {
  for (const id of ids) {
    const current = document.getElementById(id);
    const next = fresh.getElementById(id);
    if (current && next) current.disabled = next.disabled;
  }
}

/** Appends transcript entries not shown yet, so the live region announces only new messages. */
function appendTranscript(fresh) {
  const list = document.getElementById("transcript-list");
  const incoming = fresh.getElementById("transcript-list");
  if (!list || !incoming) return;
  const shown = new Set([...list.children].map((li) => li.dataset.messageId));
  const log = document.getElementById("transcript");
  const atBottom = log ? log.scrollHeight - log.scrollTop - log.clientHeight < 40 : true;
  for (const item of incoming.children) {
    if (!shown.has(item.dataset.messageId)) list.append(document.importNode(item, true));
  }
  if (log && atBottom) log.scrollTop = log.scrollHeight;
}

/**
 * Appends new messages to the phone's thread and updates the status line of shown ones in place.
 * The log only announces additions, so a status change (queued → delivered) is not read out.
 */
function syncThread(fresh) {
  const list = document.getElementById("thread-list");
  const incoming = fresh.getElementById("thread-list");
  if (!list || !incoming) return;
  const shown = new Map([...list.children].map((li) => [li.dataset.messageSid, li]));
  const log = document.getElementById("thread");
  const atBottom = log ? log.scrollHeight - log.scrollTop - log.clientHeight < 40 : true;
  for (const item of incoming.children) {
    const current = shown.get(item.dataset.messageSid);
    if (!current) {
      list.append(document.importNode(item, true));
      continue;
    }
    const status = current.querySelector(".sms-status");
    const nextStatus = item.querySelector(".sms-status");
    if (status && nextStatus && status.textContent !== nextStatus.textContent) status.textContent = nextStatus.textContent;
  }
  syncText(fresh, "thread-empty");
  if (log && atBottom) log.scrollTop = log.scrollHeight;
}

/**
 * Shows another handset's thread in place. The log is marked busy while its content is swapped, so
 * screen readers do not read the whole new thread out as if it had just arrived.
 */
function switchThread(fresh) {
  const log = document.getElementById("thread");
  log?.setAttribute("aria-busy", "true");
  syncChildren(fresh, "thread-list");
  syncText(fresh, "thread-empty");
  syncText(fresh, "thread-heading");
  document.getElementById("send-from").value = fresh.getElementById("send-from").value;
  if (log) {
    log.scrollTop = log.scrollHeight;
    log.removeAttribute("aria-busy");
  }
}

/** Refreshes a select's options when the server's list changed, keeping the user's choice. */
function syncOptions(fresh, id) {
  const select = document.getElementById(id);
  const next = fresh.getElementById(id);
  if (!select || !next || document.activeElement === select) return;
  const values = (element) => [...element.options].map((option) => option.value).join("\n");
  if (values(select) !== values(next)) {
    const chosen = select.value;
    select.replaceChildren(...[...next.options].map((option) => document.importNode(option, true)));
    if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
  }
  select.disabled = next.disabled;
}

let lastServerStatus = document.getElementById("ticket-status")?.value;

function syncStatusSelect(fresh) {
  const select = document.getElementById("ticket-status");
  const next = fresh.getElementById("ticket-status");
  if (!select || !next) return;
  // Leave the select alone while the agent is choosing a new status.
  if (document.activeElement !== select && select.value === lastServerStatus) select.value = next.value;
  lastServerStatus = next.value;
}

async function refresh() {
  const fresh = await fetchPage();
  if (page === "tickets") {
    syncChildren(fresh, "ticket-list");
    syncText(fresh, "ticket-count");
  } else if (page === "ticket") {
    syncChildren(fresh, "ticket-fields");
    appendTranscript(fresh);
    syncText(fresh, "session-state");
    syncDisabled(fresh, ["reply-text", "send-reply", "start-typing", "stop-typing", "ticket-status", "update-status", "end-session"]);
    syncStatusSelect(fresh);
  } else if (page === "deliveries") {
    syncChildren(fresh, "delivery-rows");
  } else if (page === "phone") {
    const shownHandset = document.getElementById("send-from")?.value;
    if (shownHandset !== fresh.getElementById("send-from")?.value) switchThread(fresh);
    else syncThread(fresh);
    syncOptions(fresh, "handset");
    syncOptions(fresh, "to");
    syncText(fresh, "to-hint");
    syncDisabled(fresh, ["send"]);
  }
}

let polling = false;
async function poll() {
  if (polling) return;
  polling = true;
  try {
    await refresh();
  } catch {
    // The sandbox may be restarting; try again on the next tick.
  } finally {
    polling = false;
  }
}

const SUCCESS = {
  "reply-form": "Reply sent.",
  "typing-form": "Typing indicator sent.",
  "status-form": "Status updated.",
  "end-session-form": "Messaging session ended.",
  "webhook-form": "Webhook saved.",
  "status-webhook-form": "Status webhook saved.",
};

/** What the phone tells the user after a send: whether the product's SMS URL took the text. */
function describeSend(result) {
  const webhook = result.webhook ?? {};
  if (webhook.url === null) return { text: "Sent, but the number has no SMS URL: nothing was called.", isError: true };
  if (webhook.errorCode === null) return { text: `Sent. The product answered HTTP ${webhook.status}.`, isError: false };
  const failure = webhook.status === null ? webhook.error : `HTTP ${webhook.status}`;
  return { text: `Sent, but the webhook failed: ${failure} (Twilio error ${webhook.errorCode}, not retried).`, isError: true };
}

/** Forms the module sends itself; any other form (the phone's GET and set-up forms) navigates. */
function handledHere(form) {
  const path = new URL(form.action).pathname;
  return path.startsWith("/console/") || path === "/phone/send";
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !handledHere(form)) return;
  event.preventDefault();
  const submitter = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
  if (form.id === "send-form") return sendText(form, submitter);
  const data = new URLSearchParams(new FormData(form, submitter));
  const agentName = document.getElementById("agent-name");
  if (agentName && !data.has("agentName")) data.set("agentName", agentName.value);
  if (submitter) submitter.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: data,
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      flash(body.error ?? `Failed (HTTP ${response.status})`, true);
      return;
    }
    flash(SUCCESS[form.id] ?? "Done.");
    if (form.id === "reply-form") {
      const text = document.getElementById("reply-text");
      text.value = "";
      text.focus();
    }
    if (page === "settings" && form.id === "status-webhook-form") {
      for (const id of ["status-header-value", "status-signing-secret"]) document.getElementById(id).value = "";
    }
  } catch (error) {
    flash(`Request failed: ${error.message}`, true);
  } finally {
    if (submitter) submitter.disabled = false;
    await poll();
  }
});

/** The phone's send form goes as multipart, so an attached photo travels with the text. */
async function sendText(form, submitter) {
  const text = document.getElementById("text-message");
  const photo = document.getElementById("photo");
  if (text.value.trim() === "" && photo.files.length === 0) {
    flash("Type a text message or choose a photo.", true);
    text.focus();
    return;
  }
  if (submitter) submitter.disabled = true;
  try {
    const response = await fetch(form.action, { method: "POST", headers: { accept: "application/json" }, body: new FormData(form) });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      flash(body.error ?? `Failed (HTTP ${response.status})`, true);
      return;
    }
    const outcome = describeSend(body);
    flash(outcome.text, outcome.isError);
    text.value = "";
    photo.value = "";
    text.focus();
  } catch (error) {
    flash(`Request failed: ${error.message}`, true);
  } finally {
    if (submitter) submitter.disabled = false;
    await poll();
  }
}

// Choosing another "Your number" shows that handset's thread at once; the page stays where it is.
document.getElementById("handset")?.addEventListener("change", (event) => {
  const url = new URL(location.href);
  url.searchParams.set("handset", event.target.value);
  history.replaceState(null, "", url);
  void poll();
});

if (page === "tickets" || page === "ticket" || page === "deliveries" || page === "phone") {
  setInterval(poll, POLL_MS);
  const log = document.getElementById("transcript") ?? document.getElementById("thread");
  if (log) log.scrollTop = log.scrollHeight;
}
