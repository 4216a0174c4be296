import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { keyringProvider } from "../../apps/server/src/keyring.ts";
import { openDatabase, SecretStore, ZendeskConnections } from "@zm/db";
import { recordSecrets, startStack, type Stack } from "../support/stack.ts";
import { seriousA11yViolations, signIn } from "../support/studio.ts";

const VALUES = {
  "App ID": "5ebee0975ac5304b664a12fa",
  "Integration ID": "5f4eaef81e3dcc117c7ba48b",
  "Webhook ID": "5f4eaef81e3dcc117c7ba48a",
  "Shared secret": "e2e-shared-secret-value",
  "API key ID": "int_5f4eaef81e3dcc117c7ba48c",
  "API key secret": "e2e-api-key-secret-value",
  "Webhook secret key": "e2e-status-webhook-secret",
  "Zendesk subdomain": "  https://acme.zendesk.com/  ",
};
const SECRETS = [VALUES["Shared secret"], VALUES["API key secret"], VALUES["Webhook secret key"]];

let stack: Stack;
test.beforeAll(async () => {
  recordSecrets(...SECRETS);
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});
test.use({ bypassCSP: true });

const integrationsUrl = () => `/projects/${stack.projectId}/configure/integrations`;

function trackConnectCalls(page: Page) {
  const calls: string[] = [];
  page.on("request", (req) => {
    if (req.url().includes("/trpc/zendesk.connect") || req.url().includes("/trpc/zendesk.update")) calls.push(req.url());
  });
  return calls;
}

test.describe.configure({ mode: "serial" });

test("an admin connects Zendesk Messaging and the secrets stay write-only", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.admin);
  await expect(page).toHaveURL(new RegExp(`${integrationsUrl()}$`));
  const tile = page.getByRole("article", { name: "Zendesk Messaging" });
  await expect(tile.getByText("Not connected")).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  // By keyboard: focus the tile's Connect link and follow it.
  const connectLink = tile.getByRole("link", { name: "Connect Zendesk Messaging" });
  await connectLink.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Zendesk Messaging", level: 1 })).toBeVisible();

  // Empty and invalid values are refused inline, before any request.
  const calls = trackConnectCalls(page);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText("App ID is required")).toBeVisible();
  await expect(page.getByText("Shared secret is required")).toBeVisible();
  await expect(page.getByText("API key ID is required")).toBeVisible();
  await expect(page.getByText("Zendesk subdomain is required")).toBeVisible();
  await page.getByLabel("Zendesk subdomain").fill("acme corp");
  await page.getByLabel("API key ID").fill(VALUES["Integration ID"]);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText(/Enter your subdomain, e\.g\. acme/)).toBeVisible();
  await expect(page.getByText(/the Integration ID is not an API key ID/)).toBeVisible();
  expect(calls).toEqual([]);
  await expect(page.getByLabel("Zendesk subdomain")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("App ID")).toBeFocused();

  for (const [label, value] of Object.entries(VALUES)) await page.getByLabel(label, { exact: true }).fill(`  ${value}  `);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText("Zendesk Messaging is connected.")).toBeVisible();
  expect(calls).toHaveLength(1);

  await page.reload();
  await expect(page.getByText("Connected", { exact: true })).toBeVisible();
  for (const name of ["Shared secret", "API key secret", "Webhook secret key"]) {
    const group = page.getByRole("group", { name, exact: true });
    await expect(group.getByText("Set", { exact: true })).toBeVisible();
    await expect(group.getByRole("button", { name: `Replace ${name}` })).toBeVisible();
  }
  await expect(page.getByLabel("Zendesk subdomain")).toHaveValue("acme");
  await expect(page.getByLabel("Conversations webhook URL", { exact: true })).toHaveText(
    `${stack.studioUrl}/handoff/webhooks/zendesk/PLATFORM/${stack.projectId}/live/events`,
  );
  await expect(page.getByLabel("Ticket status webhook URL", { exact: true })).toHaveText(
    `${stack.studioUrl}/handoff/webhooks/zendesk/PLATFORM/${stack.projectId}/live/status`,
  );
  await expect(page.getByRole("button", { name: "Copy conversations webhook URL" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy ticket status webhook URL" })).toBeVisible();

  // Nothing secret in the page, nor in browser storage.
  const html = await page.content();
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  for (const secret of SECRETS) {
    expect(html).not.toContain(secret);
    expect(storage).not.toContain(secret);
  }
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test("editing one field with the secrets left blank keeps the stored secrets", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.admin, `${integrationsUrl()}/zendesk-messaging`);
  await page.getByLabel("Integration ID").fill("aaaaaaaaaaaaaaaaaaaaaaaa");
  // Opening Replace and then keeping the current value must not send anything.
  await page.getByRole("button", { name: "Replace Shared secret" }).click();
  await expect(page.getByLabel("Shared secret")).toBeFocused();
  await page.getByRole("button", { name: "Keep current" }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Integration ID")).toHaveValue("aaaaaaaaaaaaaaaaaaaaaaaa");
});

test("a designer sees the status but cannot connect or edit", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.designer);
  const tile = page.getByRole("article", { name: "Zendesk Messaging" });
  await expect(tile.getByText("Connected", { exact: true })).toBeVisible();
  await expect(tile.getByRole("link", { name: /Connect|Manage/ })).toHaveCount(0);
  await expect(page.getByText("Only project admins can connect or change integrations.")).toBeVisible();
  await tile.getByRole("link", { name: "View Zendesk Messaging" }).click();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Zendesk Messaging connection" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Disconnect|Save changes|Connect/ })).toHaveCount(0);
  await expect(page.getByLabel("Conversations webhook URL", { exact: true })).toBeVisible();
});

test("the server kept the secrets, sealed, after the edit", async () => {
  // Stop the server so its embedded database can be opened here.
  await stack.stop();
  const db = await openDatabase({ url: `pglite:${path.join(stack.dataDir, "pglite")}` });
  try {
    const keyring = keyringProvider({ dataDir: stack.dataDir, masterKey: undefined, previousMasterKeys: [] });
    const connections = new ZendeskConnections(db.prisma, new SecretStore(db.prisma, keyring));
    const creds = await connections.credentials(stack.projectId);
    expect(creds).toMatchObject({
      subdomain: "acme",
      integrationId: "aaaaaaaaaaaaaaaaaaaaaaaa",
      sharedSecret: VALUES["Shared secret"],
      apiKeySecret: VALUES["API key secret"],
      webhookSecretKey: VALUES["Webhook secret key"],
    });
    const audit = await db.prisma.auditLog.findMany({ where: { projectId: stack.projectId }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["zendesk.connect", "zendesk.update"]);
    expect(audit[1]!.fields).toEqual(["integrationId"]);
  } finally {
    await db.close();
  }
  // And no file in the data folder holds a plaintext secret.
  const { findInFiles } = await import("../support/files.ts");
  expect(findInFiles(stack.dataDir, SECRETS)).toEqual([]);
  stack = await startStack();
});

test("disconnect asks for confirmation", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.admin, `${integrationsUrl()}/zendesk-messaging`);
  // A fresh stack: connect quickly, then disconnect.
  for (const [label, value] of Object.entries(VALUES)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText("Zendesk Messaging is connected.")).toBeVisible();
  await page.getByRole("button", { name: "Disconnect Zendesk Messaging" }).click();
  const dialog = page.getByRole("dialog", { name: "Disconnect Zendesk Messaging?" });
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Connected", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Disconnect Zendesk Messaging" }).click();
  await dialog.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByText("Zendesk Messaging was disconnected.", { exact: false })).toBeVisible();
  await expect(page.getByText("Not connected", { exact: true })).toBeVisible();
});
