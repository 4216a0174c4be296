import { topicIdSchema } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { deleteProjectTopic } from "./topic-service.ts";

export const deleteTopic = projectProcedure(["admin", "designer"])
  .input(z.object({ topicId: topicIdSchema }))
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => deleteProjectTopic(ctx.services, ctx.user.id, ctx.projectId, input.topicId));
