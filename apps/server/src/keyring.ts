import fs from "node:fs";
import { keyFilePath, keyringOf, loadOrCreateKeyFile, parseMasterKey, type Keyring } from "@zm/db";
import type { ServerConfig } from "./config.ts";

/**
 * The master keyring. From MASTER_KEY (+ MASTER_KEY_PREVIOUS during a rotation), or in the
 * embedded default from DATA_DIR/master-keys.json, re-read when `pnpm rotate-key` changes it
 * so a running server keeps reading re-sealed rows.
 */
export function keyringProvider(config: Pick<ServerConfig, "masterKey" | "previousMasterKeys" | "dataDir">): () => Keyring {
  if (config.masterKey) {
    const ring = keyringOf(
      parseMasterKey(config.masterKey, "MASTER_KEY"),
      config.previousMasterKeys.map((k) => parseMasterKey(k, "MASTER_KEY_PREVIOUS")),
    );
    return () => ring;
  }
  let ring = loadOrCreateKeyFile(config.dataDir);
  let seen = fs.statSync(keyFilePath(config.dataDir)).mtimeMs;
  return () => {
    const mtime = fs.statSync(keyFilePath(config.dataDir), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime !== undefined && mtime !== seen) {
      ring = loadOrCreateKeyFile(config.dataDir);
      seen = mtime;
    }
    return ring;
  };
}
