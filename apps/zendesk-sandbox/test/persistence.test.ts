import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startSandbox } from "../src/index.ts";
import { SunshineClient } from "./helpers/harness.ts";

describe("persistence", () => {
  it("keeps the app, users, conversations and tickets across a restart", async () => {
    const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "zd-sandbox-")), "state.json");
    const first = await startSandbox({ port: 0, log: false, dataFile });
    const setup = first.setup({});
    const api = new SunshineClient(setup);
    const user = await api.createUser("persisted", { givenName: "Per" });
    const conversation = await api.createConversation(user);
    const messageId = await api.postText(conversation, { type: "business" }, "remember me");
    await api.call("POST", `/conversations/${conversation}/passControl`, { switchboardIntegration: "zd-agentWorkspace", metadata: { "dataCapture.systemField.tags": "kept" } });
    first.reply(1001, { agentName: "Jane Agent", text: "still here" });
    await first.close();
    expect(fs.existsSync(dataFile)).toBe(true);

    const second = await startSandbox({ port: 0, log: false, dataFile });
    try {
      const again = second.setup({});
      expect(again).toMatchObject({ appId: setup.appId, apiKeyId: setup.apiKeyId, apiKeySecret: setup.apiKeySecret, webhookSecret: setup.webhookSecret });
      const client = new SunshineClient(again);
      expect((await client.call("GET", "/users/persisted")).body.user.id).toBe(user);
      const messages = (await client.call("GET", `/conversations/${conversation}/messages`)).body.messages;
      expect(messages[0].id).toBe(messageId);
      const ticket = second.getTicket(1001);
      expect(ticket).toMatchObject({ tags: ["kept"], conversationId: conversation });
      expect(ticket.transcript.map((e) => e.text)).toEqual(["remember me", "still here"]);
      const nextUser = await client.createUser("after-restart");
      await client.call("POST", `/conversations`, { type: "personal", participants: [{ userId: nextUser }] }).then(async (r) => {
        await client.call("POST", `/conversations/${r.body.conversation.id}/passControl`, { switchboardIntegration: "zd-agentWorkspace" });
      });
      expect(second.listTickets().map((t) => t.id)).toEqual([1002, 1001]);
      second.reset();
      expect(second.currentSetup()).toBeNull();
    } finally {
      await second.close();
    }
    const third = await startSandbox({ port: 0, log: false, dataFile });
    expect(third.currentSetup()).toBeNull();
    await third.close();
  });
});
