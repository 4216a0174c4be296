import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEFAULT_HANDOFF_SETTINGS, DEFAULT_TRANSFER_UTTERANCE } from "../../packages/contracts/src/handoff.ts";
import { startStack, type Stack } from "../support/stack.ts";
import { seriousA11yViolations, signIn } from "../support/studio.ts";

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});
test.use({ bypassCSP: true });
test.describe.configure({ mode: "serial" });

const knowledgeUrl = () => `/projects/${stack.projectId}/knowledge`;
const handoffUrl = () => `/projects/${stack.projectId}/configure/handoff`;

/** URLs of tRPC calls to the given procedures, to prove that a refused form sent nothing. */
function trackCalls(page: Page, procedures: string[]) {
  const calls: string[] = [];
  page.on("request", (req) => {
    if (procedures.some((p) => req.url().includes(`/trpc/${p}`))) calls.push(req.url());
  });
  return calls;
}

const firstAction = (page: Page): Locator => page.getByRole("group", { name: "Action 1: transfer_to_zendesk" });

let topicPath = "";

test("a designer creates a topic that hands the conversation to Zendesk, and sees it after a reload", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.designer);
  const nav = page.getByRole("navigation", { name: "Project" });
  await expect(nav.getByRole("list", { name: "Build" }).getByRole("link", { name: "Knowledge" })).toBeVisible();
  await nav.getByRole("link", { name: "Knowledge" }).click();
  await expect(page.getByRole("heading", { name: "Knowledge", level: 1 })).toBeVisible();
  // The demo project comes with two topics.
  await expect(page.getByRole("table", { name: "Topics" }).getByRole("row", { name: /Opening hours/ })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByRole("link", { name: "New topic" }).click();
  await expect(page.getByRole("heading", { name: "New topic", level: 1 })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Billing questions");
  await page.getByLabel("Example phrases").fill("I have a billing question\n\nwrong invoice please\nrefund");

  // By keyboard: the action select and the Add action button.
  await page.getByLabel("Action", { exact: true }).focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Add action" })).toBeFocused();
  await page.keyboard.press("Enter");
  const action = firstAction(page);
  await expect(action).toBeVisible();
  await expect(action.getByLabel("Utterance")).toHaveValue(DEFAULT_TRANSFER_UTTERANCE);

  await action.getByLabel("Tags").fill("vip, Billing");
  await action.getByLabel("Priority").selectOption("high");
  await action.getByLabel("Group ID").fill("360001234567");
  await action.getByRole("button", { name: "Add custom field" }).click();
  const row = action.getByRole("group", { name: "Custom field 1" });
  await row.getByLabel("Field ID").fill("360009");
  await row.getByLabel("Value").fill("gold");

  const preview = action.getByRole("figure", { name: "Response preview" });
  await expect(preview).toContainText('"zendesk_integration": {');
  const previewJson = JSON.parse((await preview.locator("pre").textContent()) ?? "") as unknown;
  expect(previewJson).toEqual({
    utterance: DEFAULT_TRANSFER_UTTERANCE,
    handoff: {
      text_chat: {
        zendesk_integration: { tags: ["vip", "billing"], priority: "high", group_id: "360001234567", custom_fields: { "360009": "gold" } },
      },
    },
  });
  expect(await seriousA11yViolations(page)).toEqual([]);

  const calls = trackCalls(page, ["knowledge.createTopic"]);
  await page.getByRole("button", { name: "Save topic" }).click();
  await expect(page.getByText("Topic created.")).toBeVisible();
  await expect(page).toHaveURL(/\/knowledge\/topic_[A-Za-z0-9_-]+$/);
  expect(calls).toHaveLength(1);
  topicPath = new URL(page.url()).pathname;

  await page.reload();
  await expect(page.getByRole("heading", { name: "Billing questions", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Billing questions");
  await expect(page.getByLabel("Example phrases")).toHaveValue("I have a billing question\nwrong invoice please\nrefund");
  const saved = firstAction(page);
  await expect(saved.getByLabel("Tags")).toHaveValue("vip, billing");
  await expect(saved.getByLabel("Priority")).toHaveValue("high");
  await expect(saved.getByLabel("Group ID")).toHaveValue("360001234567");
  await expect(saved.getByRole("group", { name: "Custom field 1" }).getByLabel("Field ID")).toHaveValue("360009");
  await expect(saved.getByRole("group", { name: "Custom field 1" }).getByLabel("Value")).toHaveValue("gold");
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByRole("link", { name: "Knowledge", exact: true }).first().click();
  const table = page.getByRole("table", { name: "Topics" });
  const topicRow = table.getByRole("row", { name: /Billing questions/ });
  await expect(topicRow.getByRole("cell").nth(0)).toHaveText("3");
  await expect(topicRow.getByRole("cell").nth(1)).toHaveText("transfer_to_zendesk");
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test("an invalid requester email is refused inline, before any request", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.designer, topicPath);
  const action = firstAction(page);
  const calls = trackCalls(page, ["knowledge.updateTopic"]);
  await action.getByLabel("Requester email").fill("ann at example");
  await action.getByLabel("Tags").fill("vip customer");
  await page.getByRole("button", { name: "Save topic" }).click();
  await expect(action.getByText("requester_email must be an email address")).toBeVisible();
  await expect(action.getByText('Tag "vip customer": Tags have no spaces or commas (use _ or -)')).toBeVisible();
  await expect(action.getByLabel("Requester email")).toHaveAttribute("aria-invalid", "true");
  // Focus goes to the first invalid field in page order.
  await expect(action.getByLabel("Tags")).toBeFocused();
  await expect(action.getByRole("figure", { name: "Response preview" })).toContainText("The preview appears when this action's fields are valid.");
  expect(calls).toEqual([]);
  expect(await seriousA11yViolations(page)).toEqual([]);

  await action.getByLabel("Tags").fill("vip");
  await action.getByLabel("Requester email").fill("Ann@Example.com");
  await page.getByRole("button", { name: "Save topic" }).click();
  await expect(page.getByText("Topic saved.")).toBeVisible();
  expect(calls).toHaveLength(1);
  await expect(action.getByLabel("Requester email")).toHaveValue("ann@example.com");
});

test("a refusal from the server lands on the same field", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.designer, topicPath);
  // The browser would never send this, so change the request on its way: the real server refuses it.
  await page.route("**/trpc/knowledge.updateTopic**", async (route) => {
    const batch = JSON.parse(route.request().postData() ?? "{}") as Record<string, { actions: Array<{ options: Record<string, unknown> }> }>;
    batch["0"]!.actions[0]!.options.group_id = "support-team";
    await route.continue({ postData: JSON.stringify(batch) });
  });
  await page.getByRole("button", { name: "Save topic" }).click();
  const action = firstAction(page);
  await expect(action.getByText("group_id is the number Zendesk shows for it, e.g. 360001234567")).toBeVisible();
  await expect(action.getByLabel("Group ID")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Some fields need attention.")).toBeVisible();
});

test("deleting a topic asks first, and a name with markup is shown as text", async ({ page }) => {
  const name = `<img src=x onerror="document.title='pwned'"> & co`;
  await signIn(page, stack.studioUrl, stack.admin, `${knowledgeUrl()}/new`);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Example phrases").fill("<b>bold</b>");
  await page.getByRole("button", { name: "Save topic" }).click();
  await expect(page.getByText("Topic created.")).toBeVisible();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.locator("main img, main b")).toHaveCount(0);

  await page.getByRole("button", { name: "Delete topic" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this topic?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Delete topic" }).click();
  await dialog.getByRole("button", { name: "Delete topic" }).click();
  await expect(page.getByRole("heading", { name: "Knowledge", level: 1 })).toBeVisible();
  await expect(page.getByText(`Topic "${name}" was deleted.`)).toBeVisible();
  // Header, the two demo topics and the designer's topic.
  await expect(page.getByRole("table", { name: "Topics" }).getByRole("row")).toHaveCount(4);
  expect(await page.title()).not.toBe("pwned");
});

test("an admin edits the hand-off settings", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.admin);
  const configure = page.getByRole("navigation", { name: "Project" }).getByRole("list", { name: "Configure" });
  await configure.getByRole("link", { name: "Hand-off" }).click();
  await expect(page.getByRole("heading", { name: "Hand-off settings", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Closing message")).toHaveValue(DEFAULT_HANDOFF_SETTINGS.closingMessage);
  await expect(page.getByLabel("Wait notice after (seconds)")).toHaveValue(String(DEFAULT_HANDOFF_SETTINGS.waitNoticeAfterSeconds));
  expect(await seriousA11yViolations(page)).toEqual([]);

  const calls = trackCalls(page, ["handoffSettings.update"]);
  await page.getByLabel("Wait notice after (seconds)").fill("5");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("At least 10 seconds")).toBeVisible();
  await expect(page.getByLabel("Wait notice after (seconds)")).toBeFocused();
  expect(calls).toEqual([]);

  await page.getByLabel("Closing message").fill("Thanks for chatting with our team. I'm the assistant again.");
  await page.getByLabel("Wait notice after (seconds)").fill("90");
  await page.getByLabel("Wait notice message").fill("Still finding you an agent.");
  await page.getByLabel("Idle timeout (minutes)").fill("45");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  expect(calls).toHaveLength(1);

  await page.reload();
  await expect(page.getByLabel("Closing message")).toHaveValue("Thanks for chatting with our team. I'm the assistant again.");
  await expect(page.getByLabel("Wait notice after (seconds)")).toHaveValue("90");
  await expect(page.getByLabel("Wait notice message")).toHaveValue("Still finding you an agent.");
  await expect(page.getByLabel("Idle timeout (minutes)")).toHaveValue("45");
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test("a designer sees the hand-off settings read-only", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.designer, handoffUrl());
  await expect(page.getByRole("heading", { name: "Hand-off settings", level: 1 })).toBeVisible();
  for (const label of ["Closing message", "Wait notice after (seconds)", "Wait notice message", "Idle timeout (minutes)"]) {
    await expect(page.getByLabel(label)).not.toBeEditable();
  }
  await expect(page.getByLabel("Idle timeout (minutes)")).toHaveValue("45");
  await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  await expect(page.getByText("Only project admins can change hand-off settings.")).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
});
