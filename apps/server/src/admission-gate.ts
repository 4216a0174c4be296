/**
 * Bounds how much work of one kind an instance takes on at once. Up to `maxConcurrent` run;
 * up to `maxQueued` more wait, first come first served, at most `maxWaitMs`; anything past that
 * is refused at once. A burst is absorbed by the queue; a sustained overload is shed at the
 * door, so the instance keeps working at its capacity instead of starting everything and timing
 * out on most of it.
 */
export interface AdmissionLimits {
  maxConcurrent: number;
  maxQueued: number;
  maxWaitMs: number;
}

export class AdmissionGate {
  private running = 0;
  private readonly waiting: Array<{ admit: () => void }> = [];

  constructor(private readonly limits: AdmissionLimits) {}

  get inFlight() {
    return this.running;
  }

  get queued() {
    return this.waiting.length;
  }

  /** Runs `work` once admitted; resolves `{ admitted: false }` without running it when refused. */
  async run<T>(work: () => Promise<T>): Promise<{ admitted: true; value: T } | { admitted: false }> {
    if (!(await this.enter())) return { admitted: false };
    try {
      return { admitted: true, value: await work() };
    } finally {
      this.leave();
    }
  }

  private enter(): Promise<boolean> | boolean {
    if (this.running < this.limits.maxConcurrent) {
      this.running++;
      return true;
    }
    if (this.waiting.length >= this.limits.maxQueued) return false;
    return new Promise<boolean>((resolve) => {
      const entry = {
        admit: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(false);
      }, this.limits.maxWaitMs);
      this.waiting.push(entry);
    });
  }

  private leave() {
    const next = this.waiting.shift();
    // The slot passes straight to the next in line, so `running` stays as it is.
    if (next) next.admit();
    else this.running--;
  }
}
