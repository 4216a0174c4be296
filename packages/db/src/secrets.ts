import type { PrismaClient } from "./generated/prisma/client.ts";
import { open, seal, type Keyring } from "./crypto.ts";

export type SecretScope = "zendesk" | "sms";

/** The row a ciphertext belongs to; bound into it as AES-GCM additional data. */
function aadOf(projectId: string, scope: SecretScope, name: string) {
  return `${projectId}/${scope}/${name}`;
}

/** A transaction client. With PGlite (one connection) a query outside an open transaction waits for it, so calls made inside a transaction must pass it. */
type Tx = Pick<PrismaClient, "secret">;

/** Encrypted secrets per project. Plaintext exists only in memory, on the way in or out. */
export class SecretStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly keyring: () => Keyring,
  ) {}

  async put(projectId: string, scope: SecretScope, name: string, value: string, tx: Tx = this.prisma) {
    const sealed = seal(this.keyring(), value, aadOf(projectId, scope, name));
    const data = { keyId: sealed.keyId, ciphertext: Buffer.from(sealed.ciphertext) };
    await tx.secret.upsert({
      where: { projectId_scope_name: { projectId, scope, name } },
      create: { projectId, scope, name, ...data },
      update: data,
      select: { name: true },
    });
  }

  async names(projectId: string, scope: SecretScope): Promise<string[]> {
    const rows = await this.prisma.secret.findMany({ where: { projectId, scope }, select: { name: true } });
    return rows.map((r) => r.name);
  }

  async read(projectId: string, scope: SecretScope, tx: Tx = this.prisma): Promise<Record<string, string>> {
    const rows = await tx.secret.findMany({
      where: { projectId, scope },
      select: { name: true, keyId: true, ciphertext: true },
    });
    const keyring = this.keyring();
    return Object.fromEntries(rows.map((r) => [r.name, open(keyring, r, aadOf(projectId, scope, r.name))]));
  }

  async remove(projectId: string, scope: SecretScope, tx: Tx = this.prisma) {
    await tx.secret.deleteMany({ where: { projectId, scope } });
  }

  /** Re-seals every row not yet under the current key. Safe to run again after an interruption. */
  async reencryptAll(): Promise<{ resealed: number; remainingOldKeyIds: string[] }> {
    const keyring = this.keyring();
    const stale = await this.prisma.secret.findMany({
      where: { keyId: { not: keyring.currentKeyId } },
      select: { projectId: true, scope: true, name: true, keyId: true, ciphertext: true },
    });
    for (const row of stale) {
      const scope = row.scope as SecretScope;
      const aad = aadOf(row.projectId, scope, row.name);
      const sealed = seal(keyring, open(keyring, row, aad), aad);
      // Only replace the row if nobody changed it meanwhile.
      await this.prisma.secret.updateMany({
        where: { projectId: row.projectId, scope, name: row.name, keyId: row.keyId },
        data: { keyId: sealed.keyId, ciphertext: Buffer.from(sealed.ciphertext) },
      });
    }
    const left = await this.prisma.secret.findMany({
      where: { keyId: { not: keyring.currentKeyId } },
      distinct: ["keyId"],
      select: { keyId: true },
    });
    return { resealed: stale.length, remainingOldKeyIds: left.map((r) => r.keyId) };
  }
}
