import { topicIdSchema, topicView } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { getProjectTopic } from "./topic-service.ts";

export const getTopic = projectProcedure(["admin", "designer"])
  .input(z.object({ topicId: topicIdSchema }))
  .output(topicView)
  .query(({ ctx, input }) => getProjectTopic(ctx.services, ctx.projectId, input.topicId));
