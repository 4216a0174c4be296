import { randomBytes } from "node:crypto";

/** Sortable-enough, unguessable ids with a readable prefix: conv_…, hs_…, msg_… */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(10).toString("base64url")}`;
}
