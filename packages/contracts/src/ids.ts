import { z } from "zod";

/** Project ids look like PROJECT-f07a975e. */
export const projectIdSchema = z
  .string()
  .regex(/^PROJECT-[0-9a-f]{8}$/, "Project ids look like PROJECT- followed by 8 hex digits");
export type ProjectId = z.infer<typeof projectIdSchema>;

export const roleSchema = z.enum(["admin", "designer"]);
export type Role = z.infer<typeof roleSchema>;

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email("Enter a valid email address"));
