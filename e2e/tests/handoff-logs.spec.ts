import { expect, test, type Page } from "@playwright/test";
import { startStack, type Stack } from "../support/stack.ts";
import { seriousA11yViolations, signIn } from "../support/studio.ts";

/**
 * Monitor > Hand-offs: an admin follows a real hand-off (widget → sandbox agent → solved) in the
 * logs, and sees a forged webhook delivery refused, without server access.
 */
let stack: Stack;
test.use({ bypassCSP: true });
test.beforeAll(async () => {
  stack = await startStack({ sandbox: true });
});
test.afterAll(async () => {
  await stack?.stop();
});

async function widgetSays(widget: Page, text: string) {
  await widget.getByLabel("Message").fill(text);
  await widget.getByRole("button", { name: "Send" }).click();
}

test("an admin follows a hand-off and its webhook deliveries in the logs", async ({ browser, page }) => {
  test.setTimeout(120_000);
  const widget = await (await browser.newContext()).newPage();
  await widget.goto(`${stack.studioUrl}/chat/${stack.projectId}`);
  const conversation = widget.getByRole("log", { name: "Conversation" });
  await expect(conversation).toContainText("virtual assistant");
  await widgetSays(widget, "talk to a human");
  await expect(widget.getByRole("status").filter({ hasText: "Connecting you to an agent..." })).toBeVisible();
  // Markup typed by an end user is relayed, and must show as text in Studio.
  await widgetSays(widget, "Order <b>42</b> <img src=x onerror=alert(1)>");
  await expect(conversation).toContainText("Order <b>42</b>");

  await signIn(page, stack.studioUrl, stack.admin);
  const monitor = page.getByRole("navigation", { name: "Project" }).getByRole("list", { name: "Monitor" });
  await monitor.getByRole("link", { name: "Hand-offs" }).click();
  await expect(page.getByRole("heading", { name: "Hand-offs", level: 1 })).toBeVisible();
  const sessions = page.getByRole("table", { name: "Sessions" });
  const sessionRow = sessions.getByRole("row").nth(1);
  await expect(sessionRow).toContainText("Webchat");
  await expect(sessionRow).toContainText("Waiting for agent");
  await expect(sessions.getByRole("row")).toHaveCount(2);

  // The live filter keeps it; the ended one has nothing yet.
  const stateFilter = page.getByLabel("State");
  await stateFilter.selectOption({ label: "Live" });
  await expect(page).toHaveURL(/\?state=live$/);
  await expect(sessionRow).toContainText("Waiting for agent");
  await stateFilter.selectOption({ label: "Ended" });
  await expect(page.getByText("No hand-offs match this filter.")).toBeVisible();
  await stateFilter.selectOption({ label: "All" });
  await expect(sessionRow).toContainText("Waiting for agent");
  expect(await seriousA11yViolations(page)).toEqual([]);

  await sessionRow.getByRole("link").click();
  await expect(page.getByRole("heading", { name: /^Hand-off \S{8}$/, level: 1 })).toBeVisible();
  const transitions = page.getByRole("list", { name: "Transitions" });
  await expect(transitions.getByRole("listitem").nth(0)).toContainText("bot → handoff_requested");
  await expect(transitions.getByRole("listitem").nth(0)).toContainText("topic:");
  await expect(transitions.getByRole("listitem").nth(1)).toContainText("handoff_requested → waiting_for_agent");
  await expect(transitions.getByRole("listitem").nth(1)).toContainText("passed_control_to_agent_workspace");

  const transcript = page.getByRole("log", { name: "Transcript" });
  await expect(transcript).toContainText("talk to a human");
  await expect(transcript).toContainText("Order <b>42</b> <img src=x onerror=alert(1)>");
  await expect(transcript.locator("b, img")).toHaveCount(0);

  const outbound = page.getByRole("table", { name: "Outbound calls" });
  await expect(outbound.getByRole("row").filter({ hasText: "zendesk.start_handoff" })).toContainText("done");
  await expect(outbound.getByRole("row").filter({ hasText: "zendesk.post_user_message" })).toContainText("done");
  await expect(page.getByRole("table", { name: "API calls" }).getByRole("row").filter({ hasText: "passControl" }).first()).toContainText("200");
  await expect(page.getByRole("table", { name: "Inbound events" })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  // A Zendesk agent solves the ticket; the open page catches up on its own.
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${stack.sandboxUrl}/console`);
  await agent.getByRole("link", { name: /^#\d+ / }).first().click();
  await expect(agent.getByRole("heading", { name: /^Ticket #\d+$/ })).toBeVisible();
  await agent.getByLabel("Status").selectOption("solved");
  await agent.getByRole("button", { name: "Update status" }).click();
  await expect(conversation).toContainText("The agent marked your request as solved.");

  const summary = page.locator(".log-summary");
  await expect(summary.locator(".zm-badge")).toHaveText("Ended");
  await expect(summary).toContainText("ticket_solved");
  await expect(transitions.getByRole("listitem").last()).toContainText("→ ended");
  await expect(transitions.getByRole("listitem").last()).toContainText("ticket_solved");
  const statusEvent = page.getByRole("table", { name: "Inbound events" }).getByRole("row").filter({ hasText: "Ticket status" });
  await expect(statusEvent.first()).toContainText("processed");

  await page.getByRole("link", { name: "Hand-offs", exact: true }).first().click();
  await expect(sessionRow).toContainText("Ended");
  await expect(sessionRow).toContainText("ticket_solved");

  // Deliveries: the status webhook was processed.
  await page.getByRole("navigation", { name: "Hand-off logs" }).getByRole("link", { name: "Deliveries" }).click();
  const deliveries = page.getByRole("table", { name: "Deliveries" });
  const statusFilter = page.getByLabel("Status");
  await statusFilter.selectOption({ label: "Processed" });
  await expect(deliveries.getByRole("row").filter({ hasText: "Ticket status" }).first()).toContainText("processed");

  // A delivery with a wrong key is refused and shows up as rejected, with the reason.
  const forged = await fetch(`${stack.studioUrl}/handoff/webhooks/zendesk/PLATFORM/${stack.projectId}/live/events`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "not-the-shared-secret" },
    body: JSON.stringify({ app: { id: "nope" }, webhook: { id: "nope", version: "v2" }, events: [] }),
  });
  expect(forged.status).toBe(401);
  await statusFilter.selectOption({ label: "Rejected" });
  await expect(page).toHaveURL(/\?status=rejected$/);
  const rejected = deliveries.getByRole("row").nth(1);
  await expect(rejected).toContainText("bad_api_key");
  await expect(rejected).toContainText("rejected");
  await expect(rejected).toContainText("refused with 401");
  await expect(rejected).toContainText("Sunshine Conversations");
  await expect(rejected.getByRole("cell").nth(5)).toHaveText(/^\d+$/);
  await expect(deliveries.getByRole("row")).toHaveCount(2);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Keyboard: the filter is reachable and operable without a mouse.
  await statusFilter.focus();
  await expect(statusFilter).toBeFocused();
  await page.keyboard.press("Home");
  await expect(page).not.toHaveURL(/status=/);
});

test("a designer sees the logs; a signed-out visitor is sent to sign in", async ({ page }) => {
  await page.goto(`${stack.studioUrl}/projects/${stack.projectId}/handoffs/deliveries`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await signIn(page, stack.studioUrl, stack.designer, `/projects/${stack.projectId}/handoffs/deliveries`);
  await expect(page.getByRole("heading", { name: "Hand-offs", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Deliveries" })).toBeVisible();
  await page.goto(`${stack.studioUrl}/projects/${stack.projectId}/handoffs/hs_doesnotexist`);
  await expect(page.getByRole("alert")).toContainText("This hand-off does not exist in this project.");
  expect(await seriousA11yViolations(page)).toEqual([]);
});
