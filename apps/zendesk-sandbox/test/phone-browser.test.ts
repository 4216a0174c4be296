import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HANDSET, formOf, startSmsHarness, type SmsHarness } from "./helpers/sms-harness.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const PNG_1x1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

/** The phone simulator in a real browser, under its strict CSP, driven by accessible names and the keyboard. */
describe.skipIf(!fs.existsSync(CHROMIUM))("phone simulator in a browser", () => {
  let h: SmsHarness;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    h = await startSmsHarness();
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
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe.run();
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
  }

  it("texts the product with the keyboard, attaches a photo, and sees the product's reply arrive live", async () => {
    await page.goto(`${h.sandbox.url}/console`);
    await page.getByRole("link", { name: "Phone" }).click();
    await page.getByRole("heading", { name: "Phone simulator" }).waitFor();
    expect(await page.getByLabel("Your number").inputValue()).toBe(HANDSET);
    expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe(h.setup.phoneNumber);
    await expectNoAxeViolations();

    const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "phone-")), "receipt.png");
    fs.writeFileSync(photo, PNG_1x1);
    await page.getByLabel("Text message").fill("<b>Hi</b>, I need help");
    await page.getByLabel("Photo (optional)").setInputFiles(photo);
    await page.getByRole("button", { name: "Send" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("status").getByText("Sent. The product answered HTTP 200.").waitFor();
    const thread = page.getByRole("log", { name: "Messages" });
    await thread.getByText("<b>Hi</b>, I need help").waitFor();
    expect(await thread.getByRole("link", { name: "Photo 1 (image/png)" }).count()).toBe(1);
    expect(await page.getByLabel("Text message").inputValue()).toBe("");
    const params = formOf(h.receiver.on("/sms")[0]!);
    expect([params.get("Body"), params.get("NumMedia"), params.get("MediaContentType0")]).toEqual(["<b>Hi</b>, I need help", "1", "image/png"]);

    await h.twilio.createMessage({ To: HANDSET, From: h.setup.phoneNumber, Body: "Hi, this is Sam from support" });
    await thread.getByText("Hi, this is Sam from support").waitFor({ timeout: 4000 });
    await expectNoAxeViolations();
  });

  it("tells the user when the product's webhook fails", async () => {
    h.receiver.script("/sms", { status: 503 });
    await page.getByLabel("Text message").fill("Is anyone there?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("status").getByText("Sent, but the webhook failed: HTTP 503 (Twilio error 11200, not retried).").waitFor();
    await page.getByRole("log", { name: "Messages" }).getByText("webhook failed: HTTP 503").waitFor();
  });

  it("switches to another handset", async () => {
    await page.getByText("Use another number").click();
    await page.getByLabel("New number").fill("+15551230055");
    await page.getByRole("button", { name: "Add number" }).click();
    await page.getByRole("heading", { name: "Messages on +15551230055" }).waitFor();
    expect(await page.getByLabel("Your number").inputValue()).toBe("+15551230055");
    await page.getByText("No messages yet.").waitFor();
    const thread = page.getByRole("log", { name: "Messages" });

    // With the module, choosing a number shows its thread at once and sends from it.
    await page.getByLabel("Your number").selectOption(HANDSET);
    await page.getByRole("heading", { name: `Messages on ${HANDSET}` }).waitFor();
    await thread.getByText("Is anyone there?").waitFor();
    expect(page.url()).toContain(`handset=${encodeURIComponent(HANDSET)}`);
    await page.getByLabel("Your number").selectOption("+15551230055");
    await page.getByRole("heading", { name: "Messages on +15551230055" }).waitFor();
    expect(await thread.getByText("Is anyone there?").count()).toBe(0);
    await page.getByLabel("Text message").fill("From the second phone");
    await page.getByRole("button", { name: "Send" }).click();
    await thread.getByText("From the second phone").waitFor();
    expect(formOf(h.receiver.on("/sms").at(-1)!).get("From")).toBe("+15551230055");

    // The "Show messages" button does the same by navigation.
    await page.getByLabel("Your number").selectOption(HANDSET);
    await page.getByRole("button", { name: "Show messages" }).click();
    await page.waitForURL(/handset=%2B15551230001$/);
    await page.getByRole("heading", { name: `Messages on ${HANDSET}` }).waitFor();
    expect(await thread.getByText("Is anyone there?").count()).toBe(1);
    await expectNoAxeViolations();
    expect(pageErrors).toEqual([]);
  });
});
