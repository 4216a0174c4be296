import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SmsClient, SmsProviderError } from "./client.ts";
import { optKeyword, parseInboundSms } from "./inbound.ts";
import { twilioSignature, verifyTwilioSignature } from "./signature.ts";

describe("X-Twilio-Signature", () => {
  // The worked example from Twilio's security documentation.
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const params = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };

  it("matches Twilio's documented example", () => {
    expect(twilioSignature("12345", url, params)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  });

  it("accepts the right signature and refuses a wrong, absent, or tampered one", () => {
    const signature = twilioSignature("12345", url, params);
    expect(verifyTwilioSignature({ authToken: "12345", url, params, signature })).toBe(true);
    expect(verifyTwilioSignature({ authToken: "wrong", url, params, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken: "12345", url, params, signature: undefined })).toBe(false);
    expect(verifyTwilioSignature({ authToken: "12345", url, params: { ...params, Digits: "9999" }, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken: "12345", url: url.replace("foo=1", "foo=2"), params, signature })).toBe(false);
  });

  it("does not depend on the order parameters arrive in", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 })), (p) => {
        const reversed = Object.fromEntries(Object.entries(p).reverse());
        return twilioSignature("t", "https://x/y", p) === twilioSignature("t", "https://x/y", reversed);
      }),
    );
  });
});

describe("inbound form", () => {
  const base = { MessageSid: `SM${"a".repeat(32)}`, AccountSid: `AC${"b".repeat(32)}`, From: "+15551230001", To: "+15005550006", Body: "Hi", NumMedia: "1", MediaUrl0: "https://x.test/a.jpg", MediaContentType0: "image/jpeg" };

  it("parses the parameters and media", () => {
    expect(parseInboundSms(base)).toEqual({
      ok: true,
      sms: { messageSid: base.MessageSid, accountSid: base.AccountSid, from: "+15551230001", to: "+15005550006", body: "Hi", media: [{ url: "https://x.test/a.jpg", contentType: "image/jpeg" }] },
    });
  });

  it("names the bad field and never throws", () => {
    expect(parseInboundSms({ ...base, From: "not a number" })).toEqual({ ok: false, error: expect.stringMatching(/^From must be an E.164/) });
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.string()), (p) => typeof parseInboundSms(p).ok === "boolean"));
  });

  it("recognises opt-out and opt-in keywords only on their own", () => {
    expect(["STOP", " stop ", "Unsubscribe", "QUIT"].map(optKeyword)).toEqual(["opt_out", "opt_out", "opt_out", "opt_out"]);
    expect(["START", "yes", "UNSTOP"].map(optKeyword)).toEqual(["opt_in", "opt_in", "opt_in"]);
    expect(["please stop texting me", "start over", ""].map(optKeyword)).toEqual([null, null, null]);
  });
});

describe("Messages API client", () => {
  const requests: Array<{ url: string; auth: string; form: URLSearchParams }> = [];
  let answer: (res: http.ServerResponse, n: number) => void = () => {};
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        requests.push({ url: req.url!, auth: req.headers.authorization ?? "", form: new URLSearchParams(body) });
        answer(res, requests.length);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const client = () => new SmsClient({ accountSid: `AC${"1".repeat(32)}`, authToken: "tok", baseUrl: base, timeoutMs: 2000 });

  it("posts form-encoded with Basic auth and splits long texts at 1600 characters", async () => {
    requests.length = 0;
    answer = (res, n) => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ sid: `SM${String(n).padStart(32, "0")}`, status: "queued" }));
    const sent = await client().send({ from: "+15005550006", to: "+15551230001", body: "y".repeat(3000) });
    expect(sent).toHaveLength(2);
    expect(requests[0]!.url).toBe(`/2010-04-01/Accounts/AC${"1".repeat(32)}/Messages.json`);
    expect(requests[0]!.auth).toBe(`Basic ${Buffer.from(`AC${"1".repeat(32)}:tok`).toString("base64")}`);
    expect(requests.map((r) => r.form.get("Body")!.length)).toEqual([1600, 1400]);
    expect(requests[0]!.form.get("To")).toBe("+15551230001");
  });

  it("surfaces Twilio's error code; 429 and 5xx are retryable, 400 is not", async () => {
    answer = (res) => res.writeHead(429, { "content-type": "application/json", "retry-after": "3" }).end(JSON.stringify({ code: 20429, message: "Too Many Requests", status: 429 }));
    const limited = await client().send({ from: "+1", to: "+2", body: "x" }).catch((e) => e);
    expect(limited).toBeInstanceOf(SmsProviderError);
    expect([limited.status, limited.code, limited.retryable, limited.retryAfterMs]).toEqual([429, 20429, true, 3000]);
    answer = (res) => res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ code: 21211, message: "Invalid 'To' Phone Number", status: 400 }));
    const refused = await client().send({ from: "+1", to: "+2", body: "x" }).catch((e) => e);
    expect([refused.status, refused.code, refused.retryable]).toEqual([400, 21211, false]);
  });

  it("treats an unreachable provider as retryable", async () => {
    const down = new SmsClient({ accountSid: "AC", authToken: "t", baseUrl: "http://127.0.0.1:9", timeoutMs: 1000 });
    const err = await down.send({ from: "+1", to: "+2", body: "x" }).catch((e) => e);
    expect(err).toBeInstanceOf(SmsProviderError);
    expect(err.retryable).toBe(true);
  });
});
