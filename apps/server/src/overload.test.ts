import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHandoffStack, type HandoffStack } from "./test/handoff-stack.ts";

/** Past the instance's concurrent-send limit a send is refused at once, named, and not stored. */
let stack: HandoffStack;
beforeAll(async () => {
  stack = await startHandoffStack({ widget: { sendLimits: { maxConcurrent: 1, maxQueued: 5, maxWaitMs: 5_000 } } });
});
afterAll(() => stack?.close());

describe("widget sends under overload", () => {
  it("takes a burst in turn up to the queue, refuses the rest by name, and stores only the acknowledged", async () => {
    const widgets = await Promise.all(Array.from({ length: 20 }, () => stack.openWidget()));
    const ids = widgets.map((w, i) => w.send(`hello ${i}`));
    const answers = await Promise.all(
      widgets.map((w, i) => w.waitFor((e) => (e.type === "ack" || e.type === "error") && e.clientMessageId === ids[i], 20_000)),
    );
    const acked = answers.filter((a) => a.type === "ack").length;
    const refused = answers.filter((a) => a.type === "error");
    expect(acked + refused.length).toBe(20);
    // One running and five waiting are always taken; twenty at once cannot all be.
    expect(acked).toBeGreaterThanOrEqual(6);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r).toMatchObject({ type: "error", code: "unavailable", message: expect.stringMatching(/busy/) });

    const stored = await stack.services.db.prisma.chatMessage.findMany({ where: { role: "user", clientMessageId: { in: ids } }, select: { clientMessageId: true } });
    const ackedIds = answers.flatMap((a, i) => (a.type === "ack" ? [ids[i]] : []));
    expect(stored.map((s) => s.clientMessageId).sort()).toEqual([...ackedIds].sort());

    // Once the rush is over, a refused message goes through when sent again.
    const retry = widgets[answers.findIndex((a) => a.type === "error")]!;
    await retry.say("hello again");
    expect(retry.messages.some((m) => m.text === "hello again")).toBe(true);
  });
});
