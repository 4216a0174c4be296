import { expect, test, type Page } from "@playwright/test";
import { startStack, type Stack } from "../support/stack.ts";

/**
 * The "Verify" section of the set-up guide, end to end: an end user in the widget asks for a
 * human, a Zendesk agent (the sandbox's console) answers, types, and solves the ticket.
 */
let stack: Stack;
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

test("a webchat conversation is handed to a Zendesk agent and back", async ({ browser }) => {
  const widget = await (await browser.newContext()).newPage();
  await widget.goto(`${stack.studioUrl}/chat/${stack.projectId}`);
  const log = widget.getByRole("log", { name: "Conversation" });
  await expect(log).toContainText("virtual assistant");

  await widgetSays(widget, "Hi! Can I talk to a human please?");
  await expect(log).toContainText("No problem, I'll transfer you to one of our agents now.");
  await expect(widget.getByRole("status").filter({ hasText: "Connecting you to an agent..." })).toBeVisible();

  // The ticket reaches the agent console with the transcript and the routing fields.
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${stack.sandboxUrl}/console`);
  await agent.getByRole("link", { name: /^#\d+ / }).first().click();
  await expect(agent.getByRole("heading", { name: /^Ticket #\d+$/ })).toBeVisible();
  const transcript = agent.getByRole("log", { name: "Transcript" });
  await expect(transcript).toContainText("Customer: Hi! Can I talk to a human please?");
  await expect(agent.locator("dl")).toContainText("demo");
  await expect(agent.locator("dl")).toContainText("normal");

  await widgetSays(widget, "It's about my order #123");
  await expect(transcript).toContainText("It's about my order #123");

  // The agent types and replies: the widget shows both, with the agent's name.
  await agent.getByLabel("Agent name").fill("Jane Agent");
  await agent.getByRole("button", { name: "Start typing" }).click();
  await expect(widget.getByRole("status").filter({ hasText: "Jane Agent is typing" })).toBeVisible();
  await agent.getByLabel("Reply").fill("Hi, Jane here. Let me look at your order.");
  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(log).toContainText("Hi, Jane here. Let me look at your order.");
  await expect(log).toContainText("Jane Agent");
  await expect(widget.getByRole("heading", { name: "Jane Agent" })).toBeVisible();

  // The agent solves the ticket; the status webhook is accepted.
  await agent.getByLabel("Status").selectOption("solved");
  await agent.getByRole("button", { name: "Update status" }).click();
  await expect(log).toContainText("The agent marked your request as solved.");
  await expect(log).toContainText("I'm the virtual assistant again");
  await expect(widget.getByRole("heading", { name: "Virtual assistant" })).toBeVisible();

  await agent.goto(`${stack.sandboxUrl}/console/deliveries`);
  await expect(agent.getByRole("heading", { name: "Delivery log" })).toBeVisible();
  const statusRow = agent.getByRole("row").filter({ hasText: "ticket.status_changed" }).first();
  await expect(statusRow).toContainText("200");

  // The AI agent answers again.
  await widgetSays(widget, "What are your opening hours?");
  await expect(log).toContainText("We're open Monday to Friday");
});
