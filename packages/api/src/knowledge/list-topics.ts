import { topicSummary } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { listProjectTopics } from "./topic-service.ts";

export const listTopics = projectProcedure(["admin", "designer"])
  .output(z.array(topicSummary))
  .query(({ ctx }) => listProjectTopics(ctx.services, ctx.projectId));
