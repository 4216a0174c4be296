import { expect, test, type Page } from "@playwright/test";
import { startStack, type Stack } from "../support/stack.ts";
import { signIn } from "../support/studio.ts";

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
  // A designer attaches transfer_to_zendesk, with routing fields, to a topic.
  const studio = await (await browser.newContext()).newPage();
  await signIn(studio, stack.studioUrl, stack.designer, `/projects/${stack.projectId}/knowledge/new`);
  await studio.getByLabel("Name", { exact: true }).fill("Support staff");
  await studio.getByLabel("Example phrases").fill("I need support staff\nsupport team please");
  await studio.getByRole("button", { name: "Add action" }).click();
  const action = studio.getByRole("group", { name: "Action 1: transfer_to_zendesk" });
  await action.getByLabel("Utterance").fill("Sure, connecting you with our support team now.");
  await action.getByLabel("Tags").fill("vip, e2e");
  await action.getByLabel("Priority").selectOption("high");
  await action.getByLabel("Group ID").fill("360001234567");
  await action.getByRole("button", { name: "Add custom field" }).click();
  await action.getByRole("group", { name: "Custom field 1" }).getByLabel("Field ID").fill("360023540498");
  await action.getByRole("group", { name: "Custom field 1" }).getByLabel("Value").fill("gold");
  await studio.getByRole("button", { name: "Save topic" }).click();
  await expect(studio.getByText("Topic created.")).toBeVisible();

  const widget = await (await browser.newContext()).newPage();
  await widget.goto(`${stack.studioUrl}/chat/${stack.projectId}`);
  const log = widget.getByRole("log", { name: "Conversation" });
  await expect(log).toContainText("virtual assistant");

  await widgetSays(widget, "Hi! I need support staff please");
  await expect(log).toContainText("Sure, connecting you with our support team now.");
  await expect(widget.getByRole("status").filter({ hasText: "Connecting you to an agent..." })).toBeVisible();

  // The ticket reaches the agent console with the transcript and the routing fields.
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${stack.sandboxUrl}/console`);
  await agent.getByRole("link", { name: /^#\d+ / }).first().click();
  await expect(agent.getByRole("heading", { name: /^Ticket #\d+$/ })).toBeVisible();
  const transcript = agent.getByRole("log", { name: "Transcript" });
  await expect(transcript).toContainText("Customer: Hi! I need support staff please");
  await expect(transcript).toContainText("Assistant: Sure, connecting you with our support team now.");
  const fields = agent.locator("dl");
  await expect(fields).toContainText("vip");
  await expect(fields).toContainText("e2e");
  await expect(fields).toContainText("high");
  await expect(fields).toContainText("360001234567");
  await expect(fields).toContainText("Field 360023540498");
  await expect(fields).toContainText("gold");

  await widgetSays(widget, "It's about my order #123");
  await expect(transcript).toContainText("It's about my order #123");

  // Markup and SQL travel as text, on both sides.
  const hostile = `<img src=x onerror="document.title='pwned'"> '; DROP TABLE "ChatMessage"; --`;
  await widgetSays(widget, hostile);
  await expect(transcript).toContainText(hostile);
  await expect(log).toContainText(hostile);
  await expect(log.locator("img")).toHaveCount(0);
  await expect(transcript.locator("img")).toHaveCount(0);

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

  expect(await widget.title()).not.toBe("pwned");

  // The AI agent answers again.
  await widgetSays(widget, "What are your opening hours?");
  await expect(log).toContainText("We're open Monday to Friday");
});
