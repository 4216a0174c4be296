import { topicInput, topicView } from "@zm/contracts";
import { projectProcedure } from "../trpc.ts";
import { createProjectTopic } from "./topic-service.ts";

export const createTopic = projectProcedure(["admin", "designer"])
  .input(topicInput)
  .output(topicView)
  .mutation(({ ctx, input }) => {
    const { projectId: _projectId, ...values } = input;
    return createProjectTopic(ctx.services, ctx.user.id, ctx.projectId, values);
  });
