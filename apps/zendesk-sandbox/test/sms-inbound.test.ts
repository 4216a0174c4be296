import { afterEach, describe, expect, it } from "vitest";
import { control } from "./helpers/harness.ts";
import { HANDSET, expectedSignature, formOf, startSmsHarness, type SmsHarness } from "./helpers/sms-harness.ts";

const PNG_1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("incoming SMS webhook", () => {
  let h: SmsHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("POSTs Twilio's parameters form-encoded, with an X-Twilio-Signature over the URL and the sorted parameters", async () => {
    // A query string and characters that need encoding: the signature covers the URL exactly as configured.
    h = await startSmsHarness("/twilio/sms?tenant=acme&x=1");
    const smsUrl = h.setup.smsUrl;
    const result = await h.sandbox.sendSms({ from: HANDSET, to: h.setup.phoneNumber, body: "Hi! Can I talk to a human? ü & = +" });
    expect(result.webhook).toMatchObject({ url: smsUrl, status: 200, errorCode: null, error: null });

    const [request] = h.receiver.on("/twilio/sms?tenant=acme&x=1");
    expect(request).toBeDefined();
    expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const params = formOf(request!);
    const sid = result.message.sid;
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(Object.fromEntries(params)).toEqual({
      MessageSid: sid,
      SmsMessageSid: sid,
      SmsSid: sid,
      AccountSid: h.setup.accountSid,
      From: HANDSET,
      To: h.setup.phoneNumber,
      Body: "Hi! Can I talk to a human? ü & = +",
      NumMedia: "0",
      NumSegments: "1",
      SmsStatus: "received",
      ApiVersion: "2010-04-01",
    });
    const signature = request!.headers["x-twilio-signature"];
    expect(signature).toBe(expectedSignature(h.setup.authToken, smsUrl, params));
    // The signature really depends on the token, the URL and every parameter.
    expect(signature).not.toBe(expectedSignature("f".repeat(32), smsUrl, params));
    expect(signature).not.toBe(expectedSignature(h.setup.authToken, smsUrl.replace("x=1", "x=2"), params));
    const tampered = new URLSearchParams(params);
    tampered.set("Body", "tampered");
    expect(signature).not.toBe(expectedSignature(h.setup.authToken, smsUrl, tampered));
    expect(request!.headers["i-twilio-idempotency-token"]).toEqual(expect.any(String));

    const fetched = await h.twilio.get(`/Messages/${sid}.json`);
    expect(fetched.body).toMatchObject({ direction: "inbound", status: "received", from: HANDSET, to: h.setup.phoneNumber });
  });

  it("does not retry a 500: one attempt, logged as Twilio error 11200", async () => {
    h = await startSmsHarness();
    h.receiver.script("/sms", { status: 500 });
    const result = await h.sandbox.sendSms({ body: "anyone there?" });
    expect(result.webhook).toMatchObject({ status: 500, errorCode: 11200 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await h.sandbox.idle();
    expect(h.receiver.on("/sms")).toHaveLength(1);
    const attempts = h.sandbox.deliveries().filter((d) => d.webhook === "sms");
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: 500, outcome: "failed", nextRetryAt: null, eventIds: [result.message.sid] });
    expect(attempts[0]!.note).toContain("11200");
    expect(h.sandbox.smsThread(HANDSET)[0]!.webhook).toMatchObject({ status: 500, errorCode: 11200 });
  });

  it("reports an unreachable SMS URL as error 11200 with no HTTP status", async () => {
    h = await startSmsHarness();
    h.sandbox.updateSmsNumber(h.setup.phoneNumber, { smsUrl: "http://127.0.0.1:9/unreachable" });
    const result = await h.sandbox.sendSms({ body: "hello?" });
    expect(result.webhook).toMatchObject({ url: "http://127.0.0.1:9/unreachable", status: null, errorCode: 11200 });
    expect(result.webhook.error).toEqual(expect.any(String));
  });

  it("keeps a text to a number without an SMS URL and calls nobody", async () => {
    h = await startSmsHarness();
    h.sandbox.updateSmsNumber(h.setup.phoneNumber, { smsUrl: "" });
    const result = await h.sandbox.sendSms({ body: "into the void" });
    expect(result.webhook).toMatchObject({ url: null, status: null, errorCode: null });
    expect(h.receiver.requests).toEqual([]);
    expect(h.sandbox.smsThread(HANDSET)[0]).toMatchObject({ body: "into the void", webhook: { url: null } });
  });

  it("sends media as NumMedia, MediaUrlN and MediaContentTypeN, serving attached files itself", async () => {
    h = await startSmsHarness();
    const result = await h.sandbox.sendSms({
      body: "Here is the receipt",
      media: [{ contentType: "image/png", base64: PNG_1x1 }],
      mediaUrl: "https://example.test/photos/damage.jpg",
    });
    expect(result.message.sid).toMatch(/^MM[0-9a-f]{32}$/);
    const params = formOf(h.receiver.on("/sms")[0]!);
    expect(params.get("NumMedia")).toBe("2");
    expect(params.get("MediaContentType0")).toBe("image/png");
    expect(params.get("MediaUrl1")).toBe("https://example.test/photos/damage.jpg");
    expect(params.get("MediaContentType1")).toBe("image/jpeg");
    const hosted = params.get("MediaUrl0")!;
    expect(hosted).toMatch(new RegExp(`^${h.sandbox.url}/2010-04-01/Accounts/${h.setup.accountSid}/Messages/${result.message.sid}/Media/ME[0-9a-f]{32}$`));
    const file = await fetch(hosted);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await file.arrayBuffer()).toString("base64")).toBe(PNG_1x1);
    expect(h.receiver.on("/sms")[0]!.headers["x-twilio-signature"]).toBe(expectedSignature(h.setup.authToken, h.setup.smsUrl, params));
  });

  it("passes STOP and START through to the product, and still lets the product text back", async () => {
    h = await startSmsHarness();
    await h.sandbox.sendSms({ body: "STOP" });
    await h.sandbox.sendSms({ body: "START" });
    expect(h.receiver.on("/sms").map((r) => formOf(r).get("Body"))).toEqual(["STOP", "START"]);
    expect((await h.twilio.createMessage({ To: HANDSET, From: h.setup.phoneNumber, Body: "You are subscribed again" })).status).toBe(201);
  });

  it("sends <Message> replies of a TwiML answer back to the handset", async () => {
    h = await startSmsHarness();
    h.receiver.script("/sms", { status: 200, headers: { "content-type": "text/xml" }, body: "<?xml version=\"1.0\"?><Response><Message>Got it &amp; thanks</Message></Response>" });
    h.receiver.script("/sms", { status: 200, headers: { "content-type": "text/xml" }, body: "<Response/>" });
    const first = await h.sandbox.sendSms({ body: "hello" });
    expect(first.webhook.replies.map((r) => [r.direction, r.body])).toEqual([["outbound-reply", "Got it & thanks"]]);
    const second = await h.sandbox.sendSms({ body: "again" });
    expect(second.webhook.replies).toEqual([]);
    await h.sandbox.idle();
    expect(h.sandbox.smsThread(HANDSET).map((m) => [m.direction, m.body, m.status])).toEqual([
      ["inbound", "hello", "received"],
      ["outbound-reply", "Got it & thanks", "delivered"],
      ["inbound", "again", "received"],
    ]);
  });

  it("offers the same through the control API, loopback JSON", async () => {
    h = await startSmsHarness();
    const again = await control(h.sandbox, "POST", "/sms/setup", { smsUrl: `${h.receiver.url}/sms2` });
    expect(again.body).toMatchObject({ accountSid: h.setup.accountSid, authToken: h.setup.authToken, phoneNumber: h.setup.phoneNumber, apiBaseUrl: h.sandbox.url, smsUrl: `${h.receiver.url}/sms2` });
    const patched = await control(h.sandbox, "PATCH", `/sms/numbers/${encodeURIComponent(h.setup.phoneNumber)}`, { smsUrl: `${h.receiver.url}/sms3` });
    expect(patched.body.number.smsUrl).toBe(`${h.receiver.url}/sms3`);
    expect((await control(h.sandbox, "PATCH", `/sms/numbers/${encodeURIComponent("+15009999999")}`, { smsUrl: "http://x.test/" })).status).toBe(404);
    expect((await control(h.sandbox, "PATCH", `/sms/numbers/${encodeURIComponent(h.setup.phoneNumber)}`, { smsUrl: "not a url" })).status).toBe(400);

    const sent = await control(h.sandbox, "POST", "/sms/send", { from: "+15551230002", to: h.setup.phoneNumber, body: "via control" });
    expect(sent.status).toBe(201);
    expect(sent.body.webhook).toMatchObject({ status: 200, errorCode: null });
    expect(h.receiver.on("/sms3")).toHaveLength(1);
    expect((await control(h.sandbox, "POST", "/sms/send", { to: "+15009999999", body: "x" })).status).toBe(404);
    expect((await control(h.sandbox, "POST", "/sms/send", { from: "555", body: "x" })).status).toBe(400);
    expect((await control(h.sandbox, "POST", "/sms/send", { body: "" })).status).toBe(400);
    for (const wrongType of [{ from: 5, body: "x" }, { body: ["x"] }, { body: "x", media: "photo" }, { body: "x", media: [null] }, { body: "x", mediaUrl: [3] }]) {
      expect((await control(h.sandbox, "POST", "/sms/send", wrongType)).status).toBe(400);
    }

    const thread = await control(h.sandbox, "GET", `/sms/messages?handset=${encodeURIComponent("+15551230002")}`);
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual(["via control"]);
    const added = await control(h.sandbox, "POST", "/sms/numbers", {});
    expect(added.status).toBe(201);
    expect(added.body.number.phoneNumber).not.toBe(h.setup.phoneNumber);
    expect((await control(h.sandbox, "GET", "/sms/setup")).body.phoneNumbers).toHaveLength(2);
  });

  it("answers 409 before set-up", async () => {
    const { startSandbox } = await import("../src/index.ts");
    const sandbox = await startSandbox({ port: 0, log: false });
    try {
      expect((await control(sandbox, "GET", "/sms/setup")).status).toBe(404);
      expect((await control(sandbox, "POST", "/sms/send", { body: "x" })).status).toBe(409);
      expect((await control(sandbox, "POST", "/sms/setup", { smsUrl: "ftp://x" })).status).toBe(400);
    } finally {
      await sandbox.close();
    }
  });
});
