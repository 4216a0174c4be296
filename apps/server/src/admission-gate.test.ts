import { describe, expect, it } from "vitest";
import { AdmissionGate } from "./admission-gate.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("AdmissionGate", () => {
  it("runs up to the limit at once, queues the next ones in order, and refuses past the queue", async () => {
    const gate = new AdmissionGate({ maxConcurrent: 2, maxQueued: 2, maxWaitMs: 5_000 });
    const release = [deferred(), deferred()];
    const order: number[] = [];
    const first = [0, 1].map((i) => gate.run(async () => { order.push(i); await release[i]!.promise; return i; }));
    const queued = [2, 3].map((i) => gate.run(async () => { order.push(i); return i; }));
    const refused = await gate.run(async () => 4);
    expect(refused).toEqual({ admitted: false });
    expect(gate.inFlight).toBe(2);
    expect(gate.queued).toBe(2);
    expect(order).toEqual([0, 1]);
    release[0]!.resolve();
    release[1]!.resolve();
    expect(await Promise.all([...first, ...queued])).toEqual([0, 1, 2, 3].map((value) => ({ admitted: true, value })));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(gate.inFlight).toBe(0);
  });

  it("refuses a queued call that waited longer than maxWaitMs, and its slot is not lost", async () => {
    const gate = new AdmissionGate({ maxConcurrent: 1, maxQueued: 5, maxWaitMs: 30 });
    const hold = deferred();
    const running = gate.run(() => hold.promise);
    expect(await gate.run(async () => "late")).toEqual({ admitted: false });
    expect(gate.queued).toBe(0);
    hold.resolve();
    await running;
    expect(await gate.run(async () => "next")).toEqual({ admitted: true, value: "next" });
    expect(gate.inFlight).toBe(0);
  });

  it("frees the slot when the work throws", async () => {
    const gate = new AdmissionGate({ maxConcurrent: 1, maxQueued: 0, maxWaitMs: 10 });
    await expect(gate.run(async () => { throw new Error("boom"); })).rejects.toThrow("boom");
    expect(await gate.run(async () => 1)).toEqual({ admitted: true, value: 1 });
  });
});
