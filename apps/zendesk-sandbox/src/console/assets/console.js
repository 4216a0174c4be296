// Agent console enhancements: live refresh and forms without page reloads.
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
  const response = await fetch(location.pathname, { headers: { accept: "text/html" }, cache: "no-store" });
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

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !new URL(form.action).pathname.startsWith("/console/")) return;
  event.preventDefault();
  const submitter = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
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

if (page === "tickets" || page === "ticket" || page === "deliveries") {
  setInterval(poll, POLL_MS);
  const log = document.getElementById("transcript");
  if (log) log.scrollTop = log.scrollHeight;
}
