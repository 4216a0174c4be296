import type { PGlite, Transaction } from "@electric-sql/pglite";

/**
 * PGlite runs inside this process and settles its promises without ever returning to the event
 * loop, so a chain of queries (draining a backlog, a sweep) would starve sockets and timers until
 * it ends. Every query here resumes its caller from a setImmediate, which lets pending I/O run
 * between two queries. The cost is one event-loop turn per query.
 */
export function fairPglite(pglite: PGlite): PGlite {
  return new Proxy(pglite, {
    get(target, property, receiver) {
      if (property === "query") return fairQuery(target);
      if (property === "transaction") {
        return <T>(fn: (tx: Transaction) => Promise<T>) => target.transaction((tx) => fn(fairTransaction(tx)));
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function fairTransaction(tx: Transaction): Transaction {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === "query") return fairQuery(target);
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function fairQuery(target: Pick<PGlite, "query">): PGlite["query"] {
  return (async (...args: Parameters<PGlite["query"]>) => {
    try {
      return await target.query(...args);
    } finally {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }) as PGlite["query"];
}
