/** What a handler asks for after a run: nothing (done for now) or another run later. */
export type RunResult = void | { retryInMs: number };
export type KeyHandler = (key: string) => Promise<RunResult>;

/**
 * Runs a handler per key. Guarantees: at least one run starts after every kick; runs of the same
 * key never overlap (across instances when distributed); runs of different keys may.
 */
export interface KeyedJobQueue {
  register(queue: string, handler: KeyHandler): void;
  kick(queue: string, key: string, delayMs?: number): Promise<void>;
  /** Resolves when no run is in progress or due within `horizonMs` (tests, shutdown). */
  idle(horizonMs?: number): Promise<void>;
  /**
   * True once close() was called. A handler working through a backlog stops between two items
   * when it sees this: what is left stays stored and is picked up after a restart or elsewhere.
   */
  readonly closing: boolean;
  close(): Promise<void>;
}

export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(topic: string, handler: (payload: unknown) => void): () => void;
  /** Resolves once every subscription made so far is live (a reader can then catch up from storage without a gap). */
  whenSubscribed(): Promise<void>;
  close(): Promise<void>;
}

/** Periodic tasks; in a cluster each tick runs on one instance only. */
export interface Scheduler {
  every(name: string, intervalMs: number, task: () => Promise<void>): void;
  close(): Promise<void>;
}

export interface Logger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
