import { handoffSessionDetail, handoffSessionIdSchema } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { getProjectSession } from "./logs-service.ts";

/** One hand-off: transitions, inbound events, outbound calls, HTTP attempts and the transcript. */
export const getSession = projectProcedure(["admin", "designer"])
  .input(z.object({ sessionId: handoffSessionIdSchema }))
  .output(handoffSessionDetail)
  .query(({ ctx, input }) => getProjectSession(ctx.services, ctx.projectId, input.sessionId));
