/**
 * Re-seals every stored secret under a new master key.
 *
 * Embedded default (keys in DATA_DIR/master-keys.json):
 *   pnpm rotate-key          adds a new key, re-seals every row, then drops the old keys.
 * With MASTER_KEY (PostgreSQL deployments):
 *   1. restart every instance with MASTER_KEY=<new> and MASTER_KEY_PREVIOUS=<old> (both readable);
 *   2. run `pnpm rotate-key` with the same variables;
 *   3. when it reports no rows left under old keys, remove MASTER_KEY_PREVIOUS.
 * Interrupted runs are safe to repeat: rows already under the new key are skipped.
 */
import { addKeyToFile, openDatabase, pruneKeyFile, SecretStore } from "@zm/db";
import { ConfigError, loadConfig } from "./config.ts";
import { keyringProvider } from "./keyring.ts";

async function main() {
  const config = loadConfig();
  if (!config.masterKey) addKeyToFile(config.dataDir);
  const keyring = keyringProvider(config);
  const db = await openDatabase({ url: config.databaseUrl, migrate: true });
  try {
    const result = await new SecretStore(db.prisma, keyring).reencryptAll();
    process.stdout.write(`Re-sealed ${result.resealed} secret(s) under key ${keyring().currentKeyId}.\n`);
    if (result.remainingOldKeyIds.length > 0) {
      process.stdout.write(`Still under old keys (run again): ${result.remainingOldKeyIds.join(", ")}\n`);
      process.exitCode = 1;
    } else if (!config.masterKey) {
      pruneKeyFile(config.dataDir);
      process.stdout.write("Old keys removed from the key file.\n");
    } else {
      process.stdout.write("No rows left under old keys: MASTER_KEY_PREVIOUS can be removed.\n");
    }
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
