import type { PGlite, Transaction } from "@electric-sql/pglite";

/**
 * PGlite runs inside this process and settles its promises without ever returning to the event
 * loop, so a chain of queries (draining a backlog, a sweep) would starve sockets and timers until
 * it ends. Every query here resumes its caller from a setImmediate, which lets pending I/O run
 * between two queries. The cost is one event-loop turn per query.
 */
export function fairPglite(pglite: PGlite): PGlite {
  return withFairQueries(pglite, {
    transaction: <T>(fn: (tx: Transaction) => Promise<T>) => pglite.transaction((tx) => fn(withFairQueries(tx))),
  });
}

/** The same connection (or transaction) with `query` made fair; `overrides` replace other members. */
function withFairQueries<C extends Pick<PGlite, "query">>(target: C, overrides: Record<string, unknown> = {}): C {
  const query = (async (...args: Parameters<PGlite["query"]>) => {
    try {
      return await target.query(...args);
    } finally {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }) as PGlite["query"];
  return new Proxy(target, {
    get(object, property, receiver) {
      if (property === "query") return query;
      if (typeof property === "string" && property in overrides) return overrides[property];
      const value = Reflect.get(object, property, receiver) as unknown;
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}
