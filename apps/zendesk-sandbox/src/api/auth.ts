import { createHmac, timingSafeEqual } from "node:crypto";
import { SandboxHttpError } from "../domain/errors.ts";
import type { ApiKeyRecord, AppRecord, SandboxState } from "../state/model.ts";

/** Who is calling: the API key and the app it belongs to. */
export interface Caller {
  key: ApiKeyRecord;
  app: AppRecord;
}

const unauthorized = () => new SandboxHttpError(401, "unauthorized", "Authorization is required");

/**
 * Basic auth (key id : secret) as Zendesk recommends, or a HS256 JWT whose header names the key
 * (`kid`) and whose `scope` claim matches the key's scope (spec, "Authentication").
 */
export function authenticate(state: SandboxState, authorization: string | undefined): Caller {
  if (!authorization) throw unauthorized();
  const [scheme, credentials = ""] = authorization.split(/\s+/, 2);
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(credentials, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw unauthorized();
    const found = findKey(state, decoded.slice(0, colon));
    if (!found || !safeEqual(found.key.secret, decoded.slice(colon + 1))) throw unauthorized();
    return found;
  }
  if (scheme?.toLowerCase() === "bearer") return verifyJwt(state, credentials);
  throw unauthorized();
}

function verifyJwt(state: SandboxState, token: string): Caller {
  const parts = token.split(".");
  if (parts.length !== 3) throw unauthorized();
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseSegment(headerPart);
  const payload = parseSegment(payloadPart);
  if (header?.alg !== "HS256" || typeof header.kid !== "string") throw unauthorized();
  const found = findKey(state, header.kid);
  if (!found) throw unauthorized();
  const expected = createHmac("sha256", found.key.secret).update(`${headerPart}.${payloadPart}`).digest("base64url");
  if (!safeEqual(expected, signaturePart)) throw unauthorized();
  if (payload?.scope !== found.key.scope) throw unauthorized();
  return found;
}

function findKey(state: SandboxState, keyId: string): Caller | undefined {
  for (const app of state.apps) {
    const key = app.apiKeys.find((k) => k.id === keyId);
    if (key) return { key, app };
  }
  return undefined;
}

function parseSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
