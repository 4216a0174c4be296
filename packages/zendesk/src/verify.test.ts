import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeEqual, signStatusWebhook, verifyConversationsWebhook, verifyStatusWebhook } from "./verify.ts";

/** Any UTF-16 code units, lone surrogates included (fast-check's "binary" unit is slow to build). */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });

describe("safeEqual", () => {
  it("is true only for identical strings", () => {
    expect(safeEqual("s3cr3t", "s3cr3t")).toBe(true);
    expect(safeEqual("s3cr3t", "s3cr3T")).toBe(false);
    expect(safeEqual("s3cr3t", "s3cr3t ")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
    expect(safeEqual("", "x")).toBe(false);
    expect(safeEqual("é", "e\u0301")).toBe(false);
    // Lone surrogates both become U+FFFD in UTF-8; they must still differ.
    expect(safeEqual("\ud800", "\udc00")).toBe(false);
  });

  it("property: agrees with === for any pair of strings", () => {
    fc.assert(
      fc.property(codeUnits, codeUnits, (a, b) => {
        expect(safeEqual(a, b)).toBe(a === b);
        expect(safeEqual(a, a)).toBe(true);
      }),
    );
  });
});

describe("verifyConversationsWebhook", () => {
  const expected = { sharedSecret: "sh4red-secret", appId: "app1", webhookId: "wh1" };
  const body = { app: { id: "app1" }, webhook: { id: "wh1", version: "v2" }, events: [] };

  it("accepts the right key, app and webhook", () => {
    expect(verifyConversationsWebhook({ headers: { "x-api-key": "sh4red-secret" }, body, expected })).toEqual({ ok: true });
  });

  it("finds X-API-Key whatever its case", () => {
    expect(verifyConversationsWebhook({ headers: { "X-API-Key": "sh4red-secret" }, body, expected })).toEqual({ ok: true });
  });

  it("rejects a missing or empty key", () => {
    expect(verifyConversationsWebhook({ headers: {}, body, expected })).toEqual({ ok: false, reason: "missing_api_key" });
    expect(verifyConversationsWebhook({ headers: { "x-api-key": "" }, body, expected })).toEqual({
      ok: false,
      reason: "missing_api_key",
    });
  });

  it("rejects a wrong key, before looking at the body", () => {
    expect(verifyConversationsWebhook({ headers: { "x-api-key": "sh4red-secreT" }, body: null, expected })).toEqual({
      ok: false,
      reason: "bad_api_key",
    });
    expect(verifyConversationsWebhook({ headers: { "x-api-key": ["sh4red-secret", "x"] }, body, expected })).toEqual({
      ok: false,
      reason: "missing_api_key",
    });
  });

  it("never accepts anything when the configured secret is empty", () => {
    expect(
      verifyConversationsWebhook({ headers: { "x-api-key": "x" }, body, expected: { ...expected, sharedSecret: "" } }),
    ).toEqual({ ok: false, reason: "bad_api_key" });
  });

  it("rejects another app's delivery", () => {
    const other = { ...body, app: { id: "app2" } };
    expect(verifyConversationsWebhook({ headers: { "x-api-key": "sh4red-secret" }, body: other, expected })).toEqual({
      ok: false,
      reason: "wrong_app",
    });
    expect(verifyConversationsWebhook({ headers: { "x-api-key": "sh4red-secret" }, body: "junk", expected })).toEqual({
      ok: false,
      reason: "wrong_app",
    });
  });

  it("rejects another webhook's delivery", () => {
    const other = { ...body, webhook: { id: "wh2", version: "v2" } };
    expect(verifyConversationsWebhook({ headers: { "x-api-key": "sh4red-secret" }, body: other, expected })).toEqual({
      ok: false,
      reason: "wrong_webhook",
    });
    const missing = { app: { id: "app1" } };
    expect(verifyConversationsWebhook({ headers: { "x-api-key": "sh4red-secret" }, body: missing, expected })).toEqual({
      ok: false,
      reason: "wrong_webhook",
    });
  });
});

describe("verifyStatusWebhook", () => {
  const secret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
  const now = new Date("2026-07-01T10:42:08Z");
  const timestamp = "2026-07-01T10:42:07Z";
  const rawBody = '{"type":"zen:event-type:ticket.status_changed","id":"e1","detail":{"id":"5158","status":"SOLVED"}}';
  const expected = { headerName: "X-Polyai-Key", headerValue: "status-key", signingSecret: secret };
  const signedHeaders = (overrides: Record<string, string> = {}) => ({
    "x-polyai-key": "status-key",
    "x-zendesk-webhook-signature": signStatusWebhook(secret, timestamp, rawBody),
    "x-zendesk-webhook-signature-timestamp": timestamp,
    ...overrides,
  });

  it("accepts a good signature", () => {
    expect(verifyStatusWebhook({ headers: signedHeaders(), rawBody, expected, now })).toEqual({ ok: true });
  });

  it("accepts the body as bytes", () => {
    expect(verifyStatusWebhook({ headers: signedHeaders(), rawBody: Buffer.from(rawBody), expected, now })).toEqual({ ok: true });
    const padded = Buffer.from(`xx${rawBody}yy`);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 2, padded.byteLength - 4);
    expect(verifyStatusWebhook({ headers: signedHeaders(), rawBody: view, expected, now })).toEqual({ ok: true });
  });

  it("matches the auth header name case-insensitively, in both directions", () => {
    const headers = { ...signedHeaders(), "X-POLYAI-KEY": "status-key" };
    delete (headers as Record<string, string>)["x-polyai-key"];
    expect(verifyStatusWebhook({ headers, rawBody, expected, now })).toEqual({ ok: true });
    expect(
      verifyStatusWebhook({ headers: signedHeaders(), rawBody, expected: { ...expected, headerName: "x-POLYAI-key" }, now }),
    ).toEqual({ ok: true });
  });

  it("reports a missing or wrong auth header", () => {
    const { "x-polyai-key": _omitted, ...withoutAuth } = signedHeaders();
    expect(verifyStatusWebhook({ headers: withoutAuth, rawBody, expected, now })).toEqual({ ok: false, reason: "missing_auth" });
    expect(verifyStatusWebhook({ headers: signedHeaders({ "x-polyai-key": "nope" }), rawBody, expected, now })).toEqual({
      ok: false,
      reason: "bad_auth",
    });
  });

  it("rejects a signature made with another secret", () => {
    const forged = signStatusWebhook("another-secret", timestamp, rawBody);
    expect(
      verifyStatusWebhook({ headers: signedHeaders({ "x-zendesk-webhook-signature": forged }), rawBody, expected, now }),
    ).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a tampered body", () => {
    const tampered = rawBody.replace("SOLVED", "OPEN");
    expect(verifyStatusWebhook({ headers: signedHeaders(), rawBody: tampered, expected, now })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    // Re-serialising changes bytes and must not verify either.
    const reserialised = JSON.stringify(JSON.parse(rawBody), null, 1);
    expect(verifyStatusWebhook({ headers: signedHeaders(), rawBody: reserialised, expected, now })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("rejects a timestamp swapped for a fresher one", () => {
    expect(
      verifyStatusWebhook({
        headers: signedHeaders({ "x-zendesk-webhook-signature-timestamp": "2026-07-01T10:42:08Z" }),
        rawBody,
        expected,
        now,
      }),
    ).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("requires the signature and its timestamp when a secret is configured", () => {
    const { "x-zendesk-webhook-signature": _s, ...noSignature } = signedHeaders();
    const { "x-zendesk-webhook-signature-timestamp": _t, ...noTimestamp } = signedHeaders();
    expect(verifyStatusWebhook({ headers: noSignature, rawBody, expected, now })).toEqual({
      ok: false,
      reason: "missing_signature",
    });
    expect(verifyStatusWebhook({ headers: noTimestamp, rawBody, expected, now })).toEqual({
      ok: false,
      reason: "missing_signature",
    });
  });

  it("ignores signatures when no secret is configured", () => {
    const { signingSecret: _none, ...noSecret } = expected;
    expect(verifyStatusWebhook({ headers: { "x-polyai-key": "status-key" }, rawBody, expected: noSecret, now })).toEqual({
      ok: true,
    });
  });

  it("reads the signature headers case-insensitively", () => {
    const headers = {
      "X-Polyai-Key": "status-key",
      "X-Zendesk-Webhook-Signature": signStatusWebhook(secret, timestamp, rawBody),
      "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
    };
    expect(verifyStatusWebhook({ headers, rawBody, expected, now })).toEqual({ ok: true });
  });

  it("rejects stale timestamps in the past and the future, honouring the tolerance", () => {
    const at = (iso: string) => ({
      headers: signedHeaders({
        "x-zendesk-webhook-signature": signStatusWebhook(secret, iso, rawBody),
        "x-zendesk-webhook-signature-timestamp": iso,
      }),
      rawBody,
      expected,
      now,
    });
    expect(verifyStatusWebhook(at("2026-07-01T10:37:07Z"))).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(verifyStatusWebhook(at("2026-07-01T10:47:09Z"))).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(verifyStatusWebhook(at("2026-07-01T10:37:09Z"))).toEqual({ ok: true });
    expect(verifyStatusWebhook(at("2026-07-01T10:47:07Z"))).toEqual({ ok: true });
    expect(verifyStatusWebhook({ ...at("2026-07-01T10:41:00Z"), toleranceSeconds: 30 })).toEqual({
      ok: false,
      reason: "stale_timestamp",
    });
    expect(verifyStatusWebhook(at("not a date"))).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("verifies PROTOCOL §3.3's worked example (body + timestamp order, secret used as text)", () => {
    const example = {
      secret: "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=",
      body: '{"say": "hello"}',
      timestamp: "2021-07-25T10:00:00Z",
      signature: "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=",
    };
    const headers = {
      "x-api-key": "k",
      "x-zendesk-webhook-signature": example.signature,
      "x-zendesk-webhook-signature-timestamp": example.timestamp,
    };
    const exampleExpected = { headerName: "X-Api-Key", headerValue: "k", signingSecret: example.secret };
    expect(
      verifyStatusWebhook({ headers, rawBody: example.body, expected: exampleExpected, now: new Date("2021-07-25T10:01:00Z") }),
    ).toEqual({ ok: true });
    // Our own signer uses the current documented order, so it does not reproduce the old example...
    expect(signStatusWebhook(example.secret, example.timestamp, example.body)).not.toBe(example.signature);
    // ...and the example is rejected as stale at any realistic present time.
    expect(verifyStatusWebhook({ headers, rawBody: example.body, expected: exampleExpected, now })).toEqual({
      ok: false,
      reason: "stale_timestamp",
    });
  });

  it("property: any body signed with the secret verifies, and any single-byte change does not", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), (bytes, position) => {
        const signature = signStatusWebhook(secret, timestamp, bytes);
        const headers = signedHeaders({ "x-zendesk-webhook-signature": signature });
        expect(verifyStatusWebhook({ headers, rawBody: bytes, expected, now })).toEqual({ ok: true });
        const changed = Uint8Array.from(bytes);
        const index = position % changed.length;
        changed[index] = (changed[index]! + 1) % 256;
        expect(verifyStatusWebhook({ headers, rawBody: changed, expected, now })).toEqual({ ok: false, reason: "bad_signature" });
      }),
      { numRuns: 200 },
    );
  });
});
