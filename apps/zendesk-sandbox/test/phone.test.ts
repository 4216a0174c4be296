import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HANDSET, formOf, startSmsHarness, type SmsHarness } from "./helpers/sms-harness.ts";

/** The phone simulator's HTML contract: accessible names, text kept as text, forms that work without script. */
describe("phone simulator page", () => {
  let h: SmsHarness;

  beforeAll(async () => {
    h = await startSmsHarness();
    await h.sandbox.sendSms({ body: "<script>alert('x')</script> & <b>bold?</b>" });
    await h.twilio.createMessage({ To: HANDSET, From: h.setup.phoneNumber, Body: "An agent will text you shortly", MediaUrl: "https://example.test/card.png" });
    await h.sandbox.idle();
  });
  afterAll(() => h.close());

  const get = async (path: string) => {
    const response = await fetch(`${h.sandbox.url}${path}`);
    return { status: response.status, html: await response.text(), headers: response.headers };
  };

  function expectCspSafe(html: string): void {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<[^>]*\sstyle\s*=/i);
  }

  it("renders the thread in a log named Messages, with the labelled controls", async () => {
    const { status, html, headers } = await get("/phone");
    expect(status).toBe(200);
    expect(headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(html).toContain("<h1>Phone simulator</h1>");
    expect(html).toMatch(/<label for="handset">Your number<\/label>\s*<select id="handset" name="handset">/);
    expect(html).toContain(`<option value="${HANDSET}" selected>${HANDSET}</option>`);
    expect(html).toMatch(/<label for="to">To<\/label>\s*<select id="to" name="to"/);
    expect(html).toContain(`<option value="${h.setup.phoneNumber}" selected>${h.setup.phoneNumber}</option>`);
    expect(html).toMatch(/<label for="text-message">Text message<\/label>\s*<textarea id="text-message" name="body"/);
    expect(html).toMatch(/<button type="submit" id="send">Send<\/button>/);
    expect(html).toMatch(/<div role="log" aria-label="Messages"[^>]*id="thread"/);
    expect(html).toContain("<strong>You sent</strong>");
    expect(html).toContain("the product answered HTTP 200");
    expect(html).toContain("<strong>You received</strong>");
    expect(html).toContain("An agent will text you shortly");
    expect(html).toContain(`<a href="https://example.test/card.png">Photo 1 (image/png)</a>`);
    expect(html).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T[^"]+">\d{2}:\d{2}:\d{2} UTC<\/time>/);
    expect(html).toContain(`<a href="/phone" aria-current="page">Phone</a>`);
    expectCspSafe(html);
    expect((await get("/console")).html).toContain(`<a href="/phone">Phone</a>`);
  });

  it("shows message text as text, never as markup", async () => {
    const { html } = await get("/phone");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold?&lt;/b&gt;");
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<b>bold?</b>");
  });

  it("sends a plain form post (no script) and redirects back to the thread", async () => {
    const form = new URLSearchParams({ from: HANDSET, to: h.setup.phoneNumber, body: "Sent without script" });
    const response = await fetch(`${h.sandbox.url}/phone/send`, { method: "POST", body: form, redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/phone?handset=${encodeURIComponent(HANDSET)}&to=${encodeURIComponent(h.setup.phoneNumber)}`);
    expect(h.receiver.on("/sms").map((r) => formOf(r).get("Body"))).toContain("Sent without script");
    expect((await get("/phone")).html).toContain("Sent without script");
  });

  it("sends the module's multipart post with a photo and answers JSON", async () => {
    const form = new FormData();
    form.set("from", "+15551230077");
    form.set("to", h.setup.phoneNumber);
    form.set("body", "Photo of the parcel");
    form.set("media", new Blob([Buffer.from("fake-jpeg-bytes")], { type: "image/jpeg" }), "parcel.jpg");
    const response = await fetch(`${h.sandbox.url}/phone/send`, { method: "POST", body: form, headers: { accept: "application/json" } });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { message: { sid: string; media: { url: string }[] }; webhook: { status: number } };
    expect(result.webhook.status).toBe(200);
    expect(result.message.sid).toMatch(/^MM/);
    const params = formOf(h.receiver.on("/sms").at(-1)!);
    expect(params.get("From")).toBe("+15551230077");
    expect(params.get("NumMedia")).toBe("1");
    expect(params.get("MediaContentType0")).toBe("image/jpeg");
    expect(await (await fetch(params.get("MediaUrl0")!)).text()).toBe("fake-jpeg-bytes");
    // The new handset is now on the phone, and its own thread holds only its messages.
    const { html } = await get(`/phone?handset=${encodeURIComponent("+15551230077")}`);
    expect(html).toContain(`<option value="+15551230077" selected>+15551230077</option>`);
    expect(html).toContain("Photo of the parcel");
    expect(html).not.toContain("Sent without script");
  });

  it("refuses an empty text with a readable error, and adds handsets from the form", async () => {
    const refused = await fetch(`${h.sandbox.url}/phone/send`, { method: "POST", body: new URLSearchParams({ from: HANDSET, body: "" }), headers: { accept: "application/json" } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/body/);
    const page = await fetch(`${h.sandbox.url}/phone/send`, { method: "POST", body: new URLSearchParams({ from: HANDSET, body: "" }) });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("<h1>Request refused</h1>");

    const added = await fetch(`${h.sandbox.url}/phone/handsets`, { method: "POST", body: new URLSearchParams({ number: "+15551230042" }), redirect: "manual" });
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe(`/phone?handset=${encodeURIComponent("+15551230042")}`);
    expect(h.sandbox.currentSmsSetup()!.handsets).toContain("+15551230042");
    const bad = await fetch(`${h.sandbox.url}/phone/handsets`, { method: "POST", body: new URLSearchParams({ number: "call me" }), headers: { accept: "application/json" } });
    expect(bad.status).toBe(400);
  });
});

describe("phone simulator before SMS set-up", () => {
  it("offers to create the SMS number and disables sending", async () => {
    const { startSandbox } = await import("../src/index.ts");
    const sandbox = await startSandbox({ port: 0, log: false });
    try {
      const html = await (await fetch(`${sandbox.url}/phone`)).text();
      expect(html).toContain("No SMS number yet.");
      expect(html).toMatch(/<button type="submit" id="send" disabled>Send<\/button>/);
      const created = await fetch(`${sandbox.url}/phone/setup`, { method: "POST", redirect: "manual" });
      expect(created.status).toBe(303);
      expect(sandbox.currentSmsSetup()?.phoneNumber).toMatch(/^\+1500/);
    } finally {
      await sandbox.close();
    }
  });
});
