import { randomBytes, randomInt, randomUUID } from "node:crypto";

/** A 24-hex id shaped like Sunshine's (Mongo ObjectId: 4 bytes of seconds, then 8 random bytes). */
export function sunshineId(now = Date.now()): string {
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, "0").slice(-8);
  return seconds + randomBytes(8).toString("hex");
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A 26-character ULID, the shape of Zendesk webhook ids (`01F1KRFQ6BG29CNWFR60NK5FNY`). */
export function ulid(now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let random = "";
  const bytes = randomBytes(16);
  for (let i = 0; i < 16; i++) random += CROCKFORD[bytes[i]! % 32];
  return time + random;
}

export function secret(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

export function hexSecret(bytes = 16): string {
  return randomBytes(bytes).toString("hex");
}

export function uuid(): string {
  return randomUUID();
}

/** A Zendesk-looking numeric id (13 digits, like `8447388090494`). */
export function zendeskNumericId(): number {
  return 1_000_000_000_000 + randomInt(0, 8_999_999_999_999);
}

/**
 * The same agent name always maps to the same numeric agent id, across resets and restarts,
 * so a client keyed on `__zendesk_msg.agent.id` sees one agent per name.
 */
export function stableAgentId(agentName: string): number {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(agentName.trim().toLowerCase(), "utf8")) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return 380_000_000_000 + Number(hash % 10_000_000_000n);
}
