import { expect, test, type Page } from "@playwright/test";
import { startStack, type Stack } from "../support/stack.ts";

/** The hand-off over SMS, with the sandbox's phone simulator as the end user's phone. */
let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ sandbox: true });
});
test.afterAll(async () => {
  await stack?.stop();
});

async function text(phone: Page, body: string) {
  await phone.getByLabel("Text message").fill(body);
  await phone.getByRole("button", { name: "Send" }).click();
}

test("an SMS conversation is handed to a Zendesk agent and back", async ({ browser }) => {
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(`${stack.sandboxUrl}/phone`);
  await expect(phone.getByRole("heading", { name: "Phone simulator" })).toBeVisible();
  const thread = phone.getByRole("log", { name: "Messages" });

  await text(phone, "Hello, can I speak to an agent?");
  await expect(thread).toContainText("No problem, I'll transfer you to one of our agents now.");
  await expect(thread).toContainText("Connecting you to an agent...");

  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${stack.sandboxUrl}/console`);
  await agent.getByRole("link", { name: /^#\d+ / }).first().click();
  const transcript = agent.getByRole("log", { name: "Transcript" });
  await expect(transcript).toContainText("Customer: Hello, can I speak to an agent?");

  await text(phone, "My order is late");
  await expect(transcript).toContainText("My order is late");

  await agent.getByLabel("Agent name").fill("Jane Agent");
  await agent.getByLabel("Reply").fill("Hi, Jane here. Looking into it.");
  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(thread).toContainText("Jane Agent: Hi, Jane here. Looking into it.");

  await agent.getByLabel("Status").selectOption("solved");
  await agent.getByRole("button", { name: "Update status" }).click();
  await expect(thread).toContainText("The agent marked your request as solved.");
  await expect(thread).toContainText("I'm the virtual assistant again");

  await text(phone, "What are your opening hours?");
  await expect(thread).toContainText("We're open Monday to Friday");
});

test("STOP silences the number until START", async ({ browser }) => {
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(`${stack.sandboxUrl}/phone`);
  await phone.getByText("Use another number").click();
  await phone.getByLabel("New number").fill("+15557770001");
  await phone.getByRole("button", { name: "Add number" }).click();
  await expect(phone.getByLabel("Your number")).toHaveValue("+15557770001");
  const thread = phone.getByRole("log", { name: "Messages" });
  await text(phone, "STOP");
  await text(phone, "opening hours?");
  await phone.waitForTimeout(1500);
  await expect(thread).not.toContainText("We're open");
  await text(phone, "START");
  await expect(thread).toContainText("You're subscribed again");
  await text(phone, "opening hours?");
  await expect(thread).toContainText("We're open Monday to Friday");
});
