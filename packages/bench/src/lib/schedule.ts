import { monoMs, sleep } from "./stats.ts";

/**
 * Fixed-rate open loop: job i is due at start + i/rate whatever earlier jobs are doing, so a slow
 * server cannot slow the generator down (no coordinated omission). `fire` gets the due time on
 * the monotonic clock; latencies are counted from it, not from when the generator got round to it.
 * Resolves once every job has been fired (not finished); returns the fired jobs' promises.
 */
export async function openLoop(opts: { rate: number; seconds: number; maxCount?: number }, fire: (i: number, dueMs: number) => Promise<unknown> | void): Promise<{ fired: number; lagMs: number; pending: Promise<unknown>[] }> {
  const total = Math.min(Math.round(opts.rate * opts.seconds), opts.maxCount ?? Infinity);
  const start = monoMs();
  const pending: Promise<unknown>[] = [];
  let lagMs = 0;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - monoMs();
    if (wait > 1) await sleep(wait);
    else if (i % 64 === 0) await new Promise<void>((r) => setImmediate(r)); // let I/O in
    lagMs = Math.max(lagMs, monoMs() - due);
    const p = fire(i, due);
    if (p) pending.push(p.then(undefined, () => undefined));
  }
  return { fired: total, lagMs, pending };
}

/** Closed loop: `concurrency` workers each repeat `call` until the time is up. */
export async function closedLoop(opts: { concurrency: number; seconds: number }, call: () => Promise<unknown>): Promise<{ completed: number; seconds: number }> {
  const start = monoMs();
  const end = start + opts.seconds * 1000;
  let completed = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (monoMs() < end) {
        await call();
        completed++;
      }
    }),
  );
  return { completed, seconds: (monoMs() - start) / 1000 };
}

/** Runs `fn` over items with at most `limit` at a time. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}
