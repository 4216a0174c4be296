import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Master keys for sealing secrets at rest (AES-256-GCM). Every ciphertext carries the id of
 * the key that sealed it, so a rotation can re-seal rows while older keys stay readable.
 */
export interface Keyring {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export interface Sealed {
  keyId: string;
  /** iv (12 bytes) | auth tag (16 bytes) | ciphertext */
  ciphertext: Uint8Array;
}

export class CryptoError extends Error {
  override name = "CryptoError";
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Deterministic, so every instance given the same key agrees on its id without configuration. */
export function keyIdOf(key: Buffer): string {
  return "k_" + createHash("sha256").update("zm-master-key-id\0").update(key).digest("hex").slice(0, 16);
}

export function parseMasterKey(base64: string, variable = "MASTER_KEY"): Buffer {
  const text = base64.trim();
  const key = Buffer.from(text, "base64");
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(text) || key.length !== 32) {
    throw new CryptoError(`${variable} must be 32 random bytes encoded as base64 (e.g. \`openssl rand -base64 32\`)`);
  }
  return key;
}

export function keyringOf(current: Buffer, older: Buffer[] = []): Keyring {
  const keys = new Map<string, Buffer>();
  for (const k of [current, ...older]) keys.set(keyIdOf(k), k);
  return { currentKeyId: keyIdOf(current), keys };
}

export function seal(keyring: Keyring, plaintext: string, aad: string): Sealed {
  const key = keyring.keys.get(keyring.currentKeyId);
  if (!key) throw new CryptoError("current master key missing from keyring");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { keyId: keyring.currentKeyId, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
}

/** `aad` binds a ciphertext to the row it belongs to, so it cannot be moved to another one. */
export function open(keyring: Keyring, sealed: Sealed, aad: string): string {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) throw new CryptoError(`no master key with id ${sealed.keyId} is loaded`);
  const buf = Buffer.from(sealed.ciphertext);
  if (buf.length < IV_BYTES + TAG_BYTES) throw new CryptoError("ciphertext is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, buf.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new CryptoError("ciphertext failed authentication (tampered, or sealed for another row)");
  }
}

/** Embedded default: keys live in DATA_DIR/master-keys.json, readable only by the owner. */
interface KeyFile {
  current: string;
  keys: Record<string, string>;
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, "master-keys.json");
}

export function loadOrCreateKeyFile(dataDir: string): Keyring {
  const file = keyFilePath(dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    writeKeyFile(file, { current: keyIdOf(key), keys: { [keyIdOf(key)]: key.toString("base64") } });
  }
  return keyringFromFile(file);
}

function keyringFromFile(file: string): Keyring {
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(file, 0o600);
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as KeyFile;
  const keys = new Map(Object.entries(parsed.keys).map(([id, b64]) => [id, Buffer.from(b64, "base64")] as const));
  if (!keys.has(parsed.current)) throw new CryptoError(`${file} names a current key it does not hold`);
  return { currentKeyId: parsed.current, keys };
}

function writeKeyFile(file: string, content: KeyFile) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(content, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Rotation, step 1: add a fresh key as current; old keys stay readable. */
export function addKeyToFile(dataDir: string): Keyring {
  const file = keyFilePath(dataDir);
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as KeyFile;
  const key = randomBytes(32);
  const id = keyIdOf(key);
  writeKeyFile(file, { current: id, keys: { ...parsed.keys, [id]: key.toString("base64") } });
  return keyringFromFile(file);
}

/** Rotation, last step: once no row uses them, drop every key but the current one. */
export function pruneKeyFile(dataDir: string): Keyring {
  const file = keyFilePath(dataDir);
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as KeyFile;
  writeKeyFile(file, { current: parsed.current, keys: { [parsed.current]: parsed.keys[parsed.current]! } });
  return keyringFromFile(file);
}
