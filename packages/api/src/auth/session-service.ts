import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@zm/db";
import type { SessionUser } from "../context.ts";

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(prisma: PrismaClient, userId: string, now = new Date()) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await prisma.studioSession.create({
    data: { tokenHash: hashSessionToken(token), userId, expiresAt },
    select: { tokenHash: true },
  });
  return { token, expiresAt };
}

export async function userForSessionToken(
  prisma: PrismaClient,
  token: string,
  now = new Date(),
): Promise<{ user: SessionUser; tokenHash: string } | null> {
  const tokenHash = hashSessionToken(token);
  const session = await prisma.studioSession.findUnique({
    where: { tokenHash },
    select: { expiresAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!session || session.expiresAt <= now) return null;
  return { user: session.user, tokenHash };
}

export async function deleteSession(prisma: PrismaClient, tokenHash: string) {
  await prisma.studioSession.deleteMany({ where: { tokenHash } });
}
