import { TRPCError } from "@trpc/server";
import { zendeskWebhookUrls } from "@zm/contracts";
import { SunshineClient, testConnection as runChecks } from "@zm/zendesk";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";

export const connectionTestOutput = z.object({
  ok: z.boolean(),
  checks: z.array(
    z.object({
      id: z.enum(["credentials", "version", "triggers", "target"]),
      ok: z.boolean(),
      label: z.string(),
      detail: z.string(),
      fix: z.string().optional(),
    }),
  ),
  testedAt: z.iso.datetime(),
});

/** Reads the Conversations webhook with the stored credentials and checks what the hand-off needs. */
export const testConnection = projectProcedure(["admin"])
  .output(connectionTestOutput)
  .mutation(async ({ ctx }) => {
    const credentials = await ctx.services.zendeskConnections.credentials(ctx.projectId);
    if (!credentials) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Connect Zendesk Messaging first" });
    const client = new SunshineClient({
      subdomain: credentials.subdomain,
      appId: credentials.appId,
      apiKeyId: credentials.apiKeyId,
      apiKeySecret: credentials.apiKeySecret,
      baseUrl: ctx.services.zendeskApiBaseUrl,
      // An admin is waiting on the page: a quick answer beats a long retry.
      timeoutMs: 5_000,
      retry: { maxAttempts: 2 },
    });
    const report = await runChecks(client, {
      integrationId: credentials.integrationId,
      webhookId: credentials.webhookId,
      expectedEventsUrl: zendeskWebhookUrls(ctx.services.publicBaseUrl, ctx.projectId).events,
    });
    return { ...report, testedAt: new Date().toISOString() };
  });
