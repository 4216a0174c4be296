import { handoffSessionSummary, logPage, sessionStateFilter } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { listProjectSessions } from "./logs-service.ts";
import { pageInput } from "./paging.ts";

/** The project's hand-off sessions, newest first, optionally only live, ended or failed ones. */
export const listSessions = projectProcedure(["admin", "designer"])
  .input(z.object({ state: sessionStateFilter.optional(), ...pageInput }))
  .output(logPage(handoffSessionSummary))
  .query(({ ctx, input }) => listProjectSessions(ctx.services, ctx.projectId, input));
