import { topicIdSchema, topicInput, topicView } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { updateProjectTopic } from "./topic-service.ts";

export const updateTopic = projectProcedure(["admin", "designer"])
  .input(topicInput.extend({ topicId: topicIdSchema }))
  .output(z.object({ topic: topicView, changed: z.array(z.string()) }))
  .mutation(({ ctx, input }) => {
    const { projectId: _projectId, topicId, ...values } = input;
    return updateProjectTopic(ctx.services, ctx.user.id, ctx.projectId, topicId, values);
  });
