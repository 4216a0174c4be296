import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CryptoError,
  addKeyToFile,
  keyFilePath,
  keyIdOf,
  keyringOf,
  loadOrCreateKeyFile,
  open,
  parseMasterKey,
  pruneKeyFile,
  seal,
} from "./crypto.ts";

describe("secret sealing", () => {
  const keyring = keyringOf(randomBytes(32));

  it("round-trips a value and never stores it in clear", () => {
    const sealed = seal(keyring, "s3cr3t-value-ü", "p/zendesk/sharedSecret");
    expect(sealed.keyId).toBe(keyring.currentKeyId);
    expect(Buffer.from(sealed.ciphertext).includes(Buffer.from("s3cr3t-value"))).toBe(false);
    expect(open(keyring, sealed, "p/zendesk/sharedSecret")).toBe("s3cr3t-value-ü");
  });

  it("uses a fresh iv each time", () => {
    const a = seal(keyring, "same", "aad");
    const b = seal(keyring, "same", "aad");
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
  });

  it("rejects a tampered ciphertext", () => {
    const sealed = seal(keyring, "value", "aad");
    const bytes = Buffer.from(sealed.ciphertext);
    bytes[bytes.length - 1]! ^= 1;
    expect(() => open(keyring, { ...sealed, ciphertext: bytes }, "aad")).toThrow(CryptoError);
  });

  it("rejects a ciphertext moved to another row", () => {
    const sealed = seal(keyring, "value", "project-a/zendesk/apiKeySecret");
    expect(() => open(keyring, sealed, "project-b/zendesk/apiKeySecret")).toThrow(/authentication/);
  });

  it("rejects an unknown key id", () => {
    const sealed = seal(keyring, "value", "aad");
    expect(() => open(keyring, { ...sealed, keyId: "k_0000000000000000" }, "aad")).toThrow(/no master key/);
  });

  it("rejects a truncated ciphertext", () => {
    expect(() => open(keyring, { keyId: keyring.currentKeyId, ciphertext: new Uint8Array(10) }, "aad")).toThrow(
      /truncated/,
    );
  });

  it("reads values sealed under an older key after rotation", () => {
    const old = randomBytes(32);
    const sealed = seal(keyringOf(old), "value", "aad");
    const rotated = keyringOf(randomBytes(32), [old]);
    expect(rotated.currentKeyId).not.toBe(sealed.keyId);
    expect(open(rotated, sealed, "aad")).toBe("value");
  });
});

describe("MASTER_KEY parsing", () => {
  it("accepts 32 bytes of base64", () => {
    const key = randomBytes(32);
    expect(keyIdOf(parseMasterKey(key.toString("base64")))).toBe(keyIdOf(key));
  });
  it.each(["", "short", randomBytes(16).toString("base64"), randomBytes(33).toString("base64"), "%".repeat(44)])(
    "refuses %j, naming the variable",
    (value) => {
      expect(() => parseMasterKey(value)).toThrow(/MASTER_KEY must be 32 random bytes/);
    },
  );
});

describe("embedded key file", () => {
  it("is created with mode 0600 and rotates while old keys stay readable", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zm-keys-"));
    const first = loadOrCreateKeyFile(dir);
    expect(fs.statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(dir).currentKeyId).toBe(first.currentKeyId);
    const sealed = seal(first, "value", "aad");
    const second = addKeyToFile(dir);
    expect(second.currentKeyId).not.toBe(first.currentKeyId);
    expect(open(second, sealed, "aad")).toBe("value");
    const pruned = pruneKeyFile(dir);
    expect([...pruned.keys.keys()]).toEqual([second.currentKeyId]);
    expect(() => open(pruned, sealed, "aad")).toThrow(/no master key/);
  });
});
