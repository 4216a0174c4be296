import { apiCallView, callTarget, logPage } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { listProjectCalls } from "./logs-service.ts";
import { pageInput } from "./paging.ts";

/** HTTP attempts made to Zendesk or the SMS provider, newest first; `failedOnly` keeps errors and timeouts. */
export const listCalls = projectProcedure(["admin", "designer"])
  .input(z.object({ target: callTarget.optional(), failedOnly: z.boolean().optional(), ...pageInput }))
  .output(logPage(apiCallView))
  .query(({ ctx, input }) => listProjectCalls(ctx.services, ctx.projectId, input));
