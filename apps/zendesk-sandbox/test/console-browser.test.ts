import fs from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./helpers/harness.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The console in a real browser, under its strict CSP, driven by accessible names only. */
describe.skipIf(!fs.existsSync(CHROMIUM))("agent console in a browser", () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let conversationId: string;
  let userId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
    userId = await h.api.createUser("browser-user", { givenName: "Ada", surname: "Lovelace", email: "ada@example.com" });
    conversationId = await h.api.createConversation(userId);
    const first = await h.api.postText(conversationId, { type: "business", displayName: "PolyAI Assistant" }, "Transcript: <b>not bold</b>");
    await h.api.call("POST", `/conversations/${conversationId}/passControl`, { switchboardIntegration: "zd-agentWorkspace", metadata: { first_message_id: first, "dataCapture.ticketField.77": "CONV-1" } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    page.on("pageerror", (error) => pageErrors.push(String(error)));
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function expectNoAxeViolations(): Promise<void> {
    // evaluate() runs outside the page's CSP, which blocks injected inline scripts.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe.run();
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
  }

  it("opens a ticket from the list, replies, types and sees the customer live", async () => {
    await page.goto(`${h.sandbox.url}/console`);
    await expectNoAxeViolations();
    await page.getByRole("link", { name: "#1001 Conversation with Ada Lovelace" }).click();
    await page.getByRole("heading", { name: "Ticket #1001" }).waitFor();
    const transcript = page.getByRole("log", { name: "Transcript" });
    expect(await transcript.getByText("Transcript: <b>not bold</b>").count()).toBe(1);
    await page.getByLabel("Agent name").fill("Sam Agent");
    await page.getByLabel("Reply", { exact: true }).fill("Hi Ada, Sam here");
    await page.getByRole("button", { name: "Send reply" }).click();
    await transcript.getByText("Hi Ada, Sam here").waitFor();
    await page.getByRole("button", { name: "Start typing" }).click();
    await page.getByRole("button", { name: "Stop typing" }).click();
    await h.api.postText(conversationId, { type: "user", userId }, "Thanks Sam!");
    await transcript.getByText("Thanks Sam!").waitFor({ timeout: 4000 });
    await h.sandbox.idle();
    const events = h.receiver.events();
    expect(events.some((e) => e.payload.message?.author?.displayName === "Sam Agent")).toBe(true);
    expect(events.filter((e) => e.type === "conversation:typing").map((e) => e.payload.activity.type)).toEqual(["typing:start", "typing:stop"]);
    await expectNoAxeViolations();
  });

  it("updates the status and ends the session with the keyboard", async () => {
    await page.getByLabel("Status", { exact: true }).selectOption("pending");
    await page.getByRole("button", { name: "Update status" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("status").getByText("Status updated.").waitFor();
    await page.getByRole("button", { name: "End session" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText("The messaging session has ended").waitFor();
    expect(await page.getByRole("button", { name: "Send reply" }).isDisabled()).toBe(true);
    expect(h.sandbox.getTicket(1001)).toMatchObject({ status: "pending", sessionActive: false });
  });

  it("shows the delivery log and saves settings", async () => {
    await page.getByRole("link", { name: "Delivery log" }).click();
    await page.getByRole("heading", { name: "Delivery log" }).waitFor();
    expect(await page.getByRole("cell", { name: /switchboard:releaseControl/ }).count()).toBeGreaterThan(0);
    await expectNoAxeViolations();
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByLabel("Webhook version").selectOption("v1");
    await page.getByRole("checkbox", { name: "conversation:read", exact: true }).check();
    await page.getByRole("button", { name: "Save webhook" }).click();
    await page.getByRole("status").getByText("Webhook saved.").waitFor();
    await page.getByLabel("Header name").fill("X-Other-Key");
    await page.getByRole("button", { name: "Save status webhook" }).click();
    await page.getByRole("status").getByText("Status webhook saved.").waitFor();
    expect(h.sandbox.currentSetup()).toMatchObject({ webhookVersion: "v1", statusHeaderName: "X-Other-Key" });
    expect(h.sandbox.currentSetup()!.triggers).toContain("conversation:read");
    await expectNoAxeViolations();
    expect(pageErrors).toEqual([]);
  });
});
