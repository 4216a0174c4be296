import { expect, test } from "@playwright/test";
import { startStack, type Stack } from "../support/stack.ts";
import { signIn } from "../support/studio.ts";

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ sandbox: true });
});
test.afterAll(async () => {
  await stack?.stop();
});

test("Test connection passes against the sandbox, then names the v1 webhook as the one problem", async ({ page }) => {
  await signIn(page, stack.studioUrl, stack.admin, `/projects/${stack.projectId}/configure/integrations/zendesk-messaging`);
  await page.getByRole("button", { name: "Test connection" }).click();
  const checks = page.getByRole("list", { name: "Connection checks" });
  await expect(page.getByText("All checks passed.")).toBeVisible();
  await expect(checks.getByRole("listitem")).toHaveCount(4);
  for (const label of ["Zendesk accepts the API key and IDs", "Webhook sends payload version v2", "Webhook is subscribed to the hand-off events", "Webhook points at this service"]) {
    await expect(checks.getByRole("listitem").filter({ hasText: label })).toContainText("Passed:");
  }

  // An agent-side admin switches the webhook to v1 in the sandbox's settings page.
  const console = await page.context().newPage();
  await console.goto(`${stack.sandboxUrl}/console/settings`);
  await console.getByLabel("Webhook version").selectOption("v1");
  await console.getByRole("button", { name: "Save webhook" }).click();
  await expect(console.getByLabel("Webhook version")).toHaveValue("v1");
  await console.close();

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText("1 of 4 checks failed.")).toBeVisible();
  const failed = checks.getByRole("listitem").filter({ hasText: "Failed:" });
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText("Webhook sends payload version v2");
  await expect(failed).toContainText("Fix:");
  await expect(failed).toContainText("v2");
});
