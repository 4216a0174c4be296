import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSandbox } from "../src/index.ts";
import { control } from "./helpers/harness.ts";
import { FAST_SMS, HANDSET, TwilioClient, expectedSignature, formOf, startSmsHarness, type SmsHarness } from "./helpers/sms-harness.ts";

const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

describe("Twilio Messages API", () => {
  let h: SmsHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("answers a create with 201 and a Twilio message resource, then fetches it by sid", async () => {
    h = await startSmsHarness();
    const { setup, twilio } = h;
    expect(setup.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(setup.authToken).toMatch(/^[0-9a-f]{32}$/);
    expect(setup.phoneNumber).toMatch(/^\+1\d{10}$/);
    expect(setup.messagesUrl).toBe(`${h.sandbox.url}/2010-04-01/Accounts/${setup.accountSid}/Messages.json`);

    const created = await twilio.createMessage({ To: HANDSET, From: setup.phoneNumber, Body: "Your agent is Sam" });
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toContain("application/json");
    const message = created.body;
    expect(message).toMatchObject({
      account_sid: setup.accountSid,
      api_version: "2010-04-01",
      to: HANDSET,
      from: setup.phoneNumber,
      body: "Your agent is Sam",
      status: "queued",
      direction: "outbound-api",
      num_segments: "1",
      num_media: "0",
      error_code: null,
      date_sent: null,
      uri: `/2010-04-01/Accounts/${setup.accountSid}/Messages/${message.sid}.json`,
    });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.date_created).toMatch(RFC_2822);
    expect(message.date_updated).toMatch(RFC_2822);

    const fetched = await twilio.get(`/Messages/${message.sid}.json`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.sid).toBe(message.sid);

    await h.sandbox.idle();
    const delivered = (await twilio.get(`/Messages/${message.sid}.json`)).body;
    expect(delivered.status).toBe("delivered");
    expect(delivered.date_sent).toMatch(RFC_2822);
    expect(h.sandbox.smsThread(HANDSET).map((m) => [m.direction, m.body, m.status])).toEqual([["outbound-api", "Your agent is Sam", "delivered"]]);
  });

  it("answers 401 with Twilio's error body for a wrong token or no credentials", async () => {
    h = await startSmsHarness();
    const authenticate = { code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: 401 };
    const wrong = await h.twilio.withToken("0".repeat(32)).createMessage({ To: HANDSET, From: h.setup.phoneNumber, Body: "x" });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(authenticate);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic /);
    const anonymous = await fetch(`${h.twilio.accountUrl}/Messages.json`, { method: "POST", body: new URLSearchParams({ To: HANDSET, From: h.setup.phoneNumber, Body: "x" }) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual(authenticate);
    expect(h.sandbox.smsMessages()).toEqual([]);
  });

  it("refuses bad parameters with 400 and Twilio's error codes", async () => {
    h = await startSmsHarness();
    const from = h.setup.phoneNumber;
    const cases: [Record<string, string>, number][] = [
      [{ From: from, Body: "no To" }, 21604],
      [{ To: "12345", From: from, Body: "bad To" }, 21211],
      [{ To: HANDSET, Body: "no From" }, 21603],
      [{ To: HANDSET, From: "+15557654321", Body: "not our number" }, 21606],
      [{ To: HANDSET, From: from }, 21602],
      [{ To: HANDSET, From: from, Body: "" }, 21602],
      [{ To: HANDSET, From: from, Body: "x".repeat(1601) }, 21617],
    ];
    for (const [params, code] of cases) {
      const response = await h.twilio.createMessage(params);
      expect({ params, status: response.status, body: response.body }).toEqual({
        params,
        status: 400,
        body: { code, message: expect.any(String), more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 },
      });
    }
    expect((await h.twilio.createMessage({ From: from, Body: "x" })).body.message).toBe("A 'To' phone number is required.");
    expect(h.sandbox.smsMessages()).toEqual([]);
    expect((await h.twilio.createMessage({ To: HANDSET, From: from, Body: "x".repeat(1600) })).status).toBe(201);
  });

  it("counts segments like Twilio and takes repeated MediaUrl values", async () => {
    h = await startSmsHarness();
    const send = (params: Record<string, string | string[]>) => h!.twilio.createMessage({ To: HANDSET, From: h!.setup.phoneNumber, ...params });
    expect((await send({ Body: "a".repeat(160) })).body.num_segments).toBe("1");
    expect((await send({ Body: "a".repeat(161) })).body.num_segments).toBe("2");
    expect((await send({ Body: "€".repeat(80) })).body.num_segments).toBe("1");
    expect((await send({ Body: "👋" + "a".repeat(68) })).body.num_segments).toBe("1");
    expect((await send({ Body: "👋" + "a".repeat(69) })).body.num_segments).toBe("2");
    const withMedia = (await send({ MediaUrl: ["https://example.test/a.png", "https://example.test/b.jpg"] })).body;
    expect(withMedia).toMatchObject({ num_media: "2", body: "" });
    expect(withMedia.sid).toMatch(/^MM[0-9a-f]{32}$/);
    const media = await h.twilio.get(`/Messages/${withMedia.sid}/Media.json`);
    expect(media.body.media_list.map((m: { content_type: string }) => m.content_type)).toEqual(["image/png", "image/jpeg"]);
    expect((await send({ MediaUrl: "ftp://example.test/a.png" })).body.code).toBe(21620);
  });

  it("answers 404 for unknown sids and for another account's URL", async () => {
    h = await startSmsHarness();
    const unknown = await h.twilio.get(`/Messages/SM${"0".repeat(32)}.json`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 20404, status: 404 });
    const other = await fetch(`${h.setup.apiBaseUrl}/2010-04-01/Accounts/AC${"1".repeat(32)}/Messages.json`, {
      headers: { authorization: "Basic " + Buffer.from(`${h.setup.accountSid}:${h.setup.authToken}`).toString("base64") },
    });
    expect(other.status).toBe(404);
  });

  it("lists messages newest first, filtered by To", async () => {
    h = await startSmsHarness();
    for (const [to, body] of [[HANDSET, "one"], ["+15551230002", "other"], [HANDSET, "two"]] as const) {
      expect((await h.twilio.createMessage({ To: to, From: h.setup.phoneNumber, Body: body })).status).toBe(201);
    }
    const list = await h.twilio.get(`/Messages.json?To=${encodeURIComponent(HANDSET)}&PageSize=1`);
    expect(list.status).toBe(200);
    expect(list.body.messages.map((m: { body: string }) => m.body)).toEqual(["two"]);
    expect(list.body.next_page_uri).toContain("Page=1");
    const second = await fetch(`${h.setup.apiBaseUrl}${list.body.next_page_uri}`, { headers: { authorization: "Basic " + Buffer.from(`${h.setup.accountSid}:${h.setup.authToken}`).toString("base64") } });
    expect(((await second.json()) as { messages: { body: string }[] }).messages.map((m) => m.body)).toEqual(["one"]);
    expect(h.sandbox.currentSmsSetup()!.handsets).toEqual([HANDSET, "+15551230002"]);
  });

  it("posts signed status callbacks for sent and delivered", async () => {
    h = await startSmsHarness();
    const statusCallback = `${h.receiver.url}/status?message=1`;
    const created = (await h.twilio.createMessage({ To: HANDSET, From: h.setup.phoneNumber, Body: "tracked", StatusCallback: statusCallback })).body;
    await h.sandbox.idle();
    const callbacks = h.receiver.on("/status?message=1");
    expect(callbacks.map((r) => formOf(r).get("MessageStatus"))).toEqual(["sent", "delivered"]);
    for (const request of callbacks) {
      const params = formOf(request);
      expect(params.get("MessageSid")).toBe(created.sid);
      expect(params.get("AccountSid")).toBe(h.setup.accountSid);
      expect(request.headers["x-twilio-signature"]).toBe(expectedSignature(h.setup.authToken, statusCallback, params));
    }
    expect(h.sandbox.smsThread(HANDSET)[0]!.status).toBe("delivered");
  });
});

describe("Messages API faults", () => {
  let h: SmsHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("answers the next calls with 429 (code 20429, Retry-After), then recovers", async () => {
    h = await startSmsHarness();
    expect((await control(h.sandbox, "POST", "/faults", { target: "sms", mode: "429", count: 2, retryAfterSeconds: 7 })).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const limited = await h.twilio.createMessage({ To: HANDSET, From: h.setup.phoneNumber, Body: "x" });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("7");
      expect(limited.body).toEqual({ code: 20429, message: "Too Many Requests", more_info: "https://www.twilio.com/docs/errors/20429", status: 429 });
    }
    expect((await h.twilio.createMessage({ To: HANDSET, From: h.setup.phoneNumber, Body: "x" })).status).toBe(201);
    await control(h.sandbox, "POST", "/faults", { target: "sms", mode: "429" });
    expect((await h.twilio.get("/Messages.json")).headers.get("retry-after")).toBe("1");
    expect(h.sandbox.listFaults()).toEqual([]);
  });

  it("answers 500 and sends nothing", async () => {
    h = await startSmsHarness();
    h.sandbox.addFault({ target: "sms", mode: "500" });
    const failed = await h.twilio.createMessage({ To: HANDSET, From: h.setup.phoneNumber, Body: "lost" });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ code: 20500, status: 500 });
    expect(h.sandbox.smsMessages()).toEqual([]);
    expect((await h.twilio.createMessage({ To: HANDSET, From: h.setup.phoneNumber, Body: "kept" })).status).toBe(201);
  });

  it("refuses malformed sms faults", async () => {
    h = await startSmsHarness();
    expect((await control(h.sandbox, "POST", "/faults", { target: "sms", mode: "hang" })).status).toBe(400);
    expect((await control(h.sandbox, "POST", "/faults", { target: "sms", mode: "429", retryAfterSeconds: "soon" })).status).toBe(400);
  });
});

describe("SMS persistence", () => {
  it("keeps the account, numbers, handsets and messages across a restart, and reset clears them", async () => {
    const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "zd-sandbox-sms-")), "state.json");
    const first = await startSandbox({ port: 0, log: false, dataFile, ...FAST_SMS });
    const setup = first.smsSetup({ smsUrl: "http://127.0.0.1:9/sms" });
    first.addSmsHandset("+15551230009");
    expect((await new TwilioClient(setup).createMessage({ To: "+15551230009", From: setup.phoneNumber, Body: "kept" })).status).toBe(201);
    await first.idle();
    await first.close();

    const second = await startSandbox({ port: 0, log: false, dataFile, ...FAST_SMS });
    try {
      const again = second.smsSetup({});
      expect(again).toMatchObject({ accountSid: setup.accountSid, authToken: setup.authToken, phoneNumber: setup.phoneNumber, smsUrl: "http://127.0.0.1:9/sms" });
      expect(again.handsets).toEqual([HANDSET, "+15551230009"]);
      const client = new TwilioClient({ ...again, apiBaseUrl: second.url });
      expect((await client.get("/Messages.json")).body.messages.map((m: { body: string; status: string }) => [m.body, m.status])).toEqual([["kept", "delivered"]]);
      second.reset();
      expect(second.currentSmsSetup()).toBeNull();
      expect(second.smsMessages()).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
