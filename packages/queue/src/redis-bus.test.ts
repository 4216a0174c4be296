import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisBus } from "./redis-bus.ts";
import { describeBusContract, eventually, recordingLogger, sleep } from "./testing/contract.ts";
import { assertRedisReachable, deleteKeysWithPrefix, inspectionConnection, SKIP_REDIS_TESTS, TEST_REDIS_URL, uniquePrefix } from "./testing/redis-test-env.ts";
import type { Logger } from "./types.ts";

describe.skipIf(SKIP_REDIS_TESTS)("RedisBus on Redis", () => {
  const runPrefix = uniquePrefix("bus");
  let testNumber = 0;
  const nextPrefix = () => `${runPrefix}-${++testNumber}`;
  let redis: Redis | undefined;
  const opened: RedisBus[] = [];

  function open(prefix: string, log: Logger = recordingLogger()) {
    const bus = new RedisBus({ redisUrl: TEST_REDIS_URL, prefix, log });
    opened.push(bus);
    return bus;
  }

  /** Ids of the connections Redis sees under `name`. */
  async function connectionsNamed(name: string): Promise<string[]> {
    const list = (await redis!.client("LIST")) as string;
    return list
      .split("\n")
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? "");
  }

  async function subscribedChannels(pattern: string): Promise<string[]> {
    return (await redis!.pubsub("CHANNELS", pattern)) as string[];
  }

  beforeAll(async () => {
    await assertRedisReachable();
    redis = inspectionConnection();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((b) => b.close()));
  });

  afterAll(async () => {
    if (!redis) return;
    await deleteKeysWithPrefix(redis, runPrefix);
    await redis.quit();
  });

  describeBusContract("RedisBus", (log) => open(nextPrefix(), log));

  it("delivers an event published on one instance to subscribers on another, both ways", async () => {
    const prefix = nextPrefix();
    const a = open(prefix);
    const b = open(prefix);
    const onA: unknown[] = [];
    const onB: unknown[] = [];
    a.subscribe("conversation:c1", (p) => onA.push(p));
    b.subscribe("conversation:c1", (p) => onB.push(p));
    await Promise.all([a.whenSubscribed(), b.whenSubscribed()]);
    await b.publish("conversation:c1", { type: "typing", active: true, authorName: "Ana" });
    await a.publish("conversation:c1", { type: "state", state: "with_agent", agentName: "Ana" });
    const expected = [
      { type: "typing", active: true, authorName: "Ana" },
      { type: "state", state: "with_agent", agentName: "Ana" },
    ];
    await eventually(() => expect(onA).toEqual(expected));
    await eventually(() => expect(onB).toEqual(expected));
  });

  it("keeps instances with different prefixes apart", async () => {
    const mine = open(nextPrefix());
    const theirs = open(nextPrefix());
    const received: unknown[] = [];
    mine.subscribe("t", (p) => received.push(p));
    mine.subscribe("sentinel", (p) => received.push(p));
    await mine.whenSubscribed();
    await theirs.publish("t", "not for me");
    await mine.publish("sentinel", "mine");
    await eventually(() => expect(received).toEqual(["mine"]));
  });

  it("carries 1,000 topics on one subscriber connection and unsubscribes each topic with its last handler", async () => {
    const prefix = nextPrefix();
    const bus = open(prefix);
    const unsubscribers = Array.from({ length: 1000 }, (_, i) => [bus.subscribe(`topic-${i}`, () => undefined), bus.subscribe(`topic-${i}`, () => undefined)]);
    await bus.whenSubscribed();
    expect(await connectionsNamed(`${prefix}:bus-subscriber`)).toHaveLength(1);
    expect(await subscribedChannels(`${prefix}:bus:*`)).toHaveLength(1000);

    for (const [first] of unsubscribers) first!();
    await bus.whenSubscribed();
    expect(await subscribedChannels(`${prefix}:bus:*`)).toHaveLength(1000);

    for (const [, second] of unsubscribers) second!();
    await bus.whenSubscribed();
    expect(await subscribedChannels(`${prefix}:bus:*`)).toEqual([]);
  });

  it("resubscribes after Redis drops its subscriber connection", async () => {
    const prefix = nextPrefix();
    const a = open(prefix);
    const b = open(prefix);
    const received: unknown[] = [];
    a.subscribe("conversation:c1", (p) => received.push(p));
    await a.whenSubscribed();
    const [subscriberId] = await connectionsNamed(`${prefix}:bus-subscriber`);
    expect(subscriberId).toBeTruthy();
    expect(await redis!.client("KILL", "ID", subscriberId!)).toBe(1);

    // Events published while the connection is down are lost (pub/sub); keep publishing until
    // the resubscribed connection hears one.
    const deadline = Date.now() + 5000;
    let attempt = 0;
    while (received.length === 0 && Date.now() < deadline) {
      await b.publish("conversation:c1", { attempt: attempt++ });
      await sleep(50);
    }
    expect(received.length).toBeGreaterThan(0);
    const [newSubscriberId] = await connectionsNamed(`${prefix}:bus-subscriber`);
    expect(newSubscriberId).not.toBe(subscriberId);
  });

  it("keeps delivering to the other handlers when one throws, and logs it", async () => {
    const log = recordingLogger();
    const bus = open(nextPrefix(), log);
    const received: unknown[] = [];
    bus.subscribe("t", () => {
      throw new Error("socket gone");
    });
    bus.subscribe("t", (p) => received.push(p));
    await bus.whenSubscribed();
    await bus.publish("t", "hello");
    await eventually(() => expect(received).toEqual(["hello"]));
    expect(log.errors.map((e) => e.msg)).toContain("bus handler failed");
  });
});
