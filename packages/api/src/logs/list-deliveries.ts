import { deliverySource, deliveryStatus, deliveryView, logPage } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { listProjectDeliveries } from "./logs-service.ts";
import { pageInput } from "./paging.ts";

/** Inbound webhook deliveries, newest first, including refused ones with the verification reason. */
export const listDeliveries = projectProcedure(["admin", "designer"])
  .input(z.object({ source: deliverySource.optional(), status: deliveryStatus.optional(), ...pageInput }))
  .output(logPage(deliveryView))
  .query(({ ctx, input }) => listProjectDeliveries(ctx.services, ctx.projectId, input));
