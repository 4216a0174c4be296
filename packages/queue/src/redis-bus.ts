import type { Redis } from "ioredis";
import { closeRedisConnection, openRedisConnection } from "./redis-connection.ts";
import { assertValidPrefix } from "./redis-names.ts";
import type { EventBus, Logger } from "./types.ts";

export interface RedisBusOptions {
  redisUrl: string;
  /** Namespaces the channels, so several deployments or test runs can share one Redis. */
  prefix: string;
  log: Logger;
}

type Handler = (payload: unknown) => void;

/**
 * `EventBus` on Redis pub/sub, for live events that must reach whichever instance holds the
 * socket. Delivery is at most once: a message published while an instance is disconnected from
 * Redis is not replayed to it (the widget catches up from the store when it reconnects).
 *
 * One subscriber connection per process carries every topic; handlers live in a local map.
 * The connection SUBSCRIBEs to a topic's channel when the topic gets its first local handler
 * and UNSUBSCRIBEs when it loses its last. Chosen over a pattern or one shared channel because
 * then every instance would receive and discard every event of the cluster, so the traffic per
 * instance would grow with the cluster; per-channel subscriptions cost Redis a hash entry each
 * (10,000 on one connection is cheap) and deliver to an instance only what its sockets follow.
 * ioredis re-issues the subscriptions after a reconnect (`autoResubscribe`).
 */
export class RedisBus implements EventBus {
  private readonly handlersByTopic = new Map<string, Set<Handler>>();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channelPrefix: string;
  private subscriptionChanges: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: RedisBusOptions) {
    assertValidPrefix(options.prefix);
    this.channelPrefix = `${options.prefix}:bus:`;
    this.publisher = openRedisConnection({
      redisUrl: options.redisUrl,
      connectionName: `${options.prefix}:bus-publisher`,
      log: options.log,
      // A publish during an outage fails after a few retries rather than hanging its caller.
      maxRetriesPerRequest: 3,
    });
    this.subscriber = openRedisConnection({
      redisUrl: options.redisUrl,
      connectionName: `${options.prefix}:bus-subscriber`,
      log: options.log,
      // A SUBSCRIBE issued during an outage waits for the reconnect instead of leaving its
      // handler deaf.
      maxRetriesPerRequest: null,
    });
    this.subscriber.on("message", (channel: string, message: string) => this.route(channel, message));
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    if (this.closed) return;
    // JSON has no `undefined`; a bare publish arrives as null.
    await this.publisher.publish(this.channelPrefix + topic, JSON.stringify(payload) ?? "null");
  }

  subscribe(topic: string, handler: Handler): () => void {
    if (this.closed) return () => undefined;
    let handlers = this.handlersByTopic.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.handlersByTopic.set(topic, handlers);
      this.changeSubscription("subscribe", topic);
    }
    // Wrapped so the same function subscribed twice is two subscriptions, as on an EventEmitter.
    const subscription: Handler = (payload) => handler(payload);
    handlers.add(subscription);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const current = this.handlersByTopic.get(topic);
      if (!current) return;
      current.delete(subscription);
      if (current.size === 0 && !this.closed) {
        this.handlersByTopic.delete(topic);
        this.changeSubscription("unsubscribe", topic);
      }
    };
  }

  /**
   * Resolves once Redis has confirmed every subscribe and unsubscribe made so far. A reader
   * that subscribes and then catches up from the store awaits this in between, so an event
   * published after the catch-up read cannot slip past both.
   */
  whenSubscribed(): Promise<void> {
    return this.subscriptionChanges;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlersByTopic.clear();
    await Promise.all([closeRedisConnection(this.publisher), closeRedisConnection(this.subscriber)]);
  }

  private changeSubscription(command: "subscribe" | "unsubscribe", topic: string) {
    const channel = this.channelPrefix + topic;
    const change = this.subscriber[command](channel).then(
      () => undefined,
      (err: unknown) => {
        if (!this.closed) this.options.log.error({ err, topic }, `redis ${command} failed`);
      },
    );
    // Replies come back in command order on the one connection; chaining keeps that order
    // visible to `whenSubscribed` even if a reply is an error.
    this.subscriptionChanges = Promise.all([this.subscriptionChanges, change]).then(() => undefined);
  }

  private route(channel: string, message: string) {
    if (!channel.startsWith(this.channelPrefix)) return;
    const handlers = this.handlersByTopic.get(channel.slice(this.channelPrefix.length));
    if (!handlers) return; // Unsubscribed locally; Redis has not processed the UNSUBSCRIBE yet.
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch (err) {
      this.options.log.warn({ err, channel }, "bus message is not JSON; dropped");
      return;
    }
    // A snapshot, so a handler that unsubscribes (itself or another) does not skip anyone.
    for (const handler of [...handlers]) {
      try {
        handler(payload);
      } catch (err) {
        this.options.log.error({ err, channel }, "bus handler failed");
      }
    }
  }
}
