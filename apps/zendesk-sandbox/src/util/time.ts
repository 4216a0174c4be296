/** `YYYY-MM-DDThh:mm:ss.SSSZ`, the format Sunshine uses for `received` and `createdAt`. */
export function isoMillis(date = new Date()): string {
  return date.toISOString();
}

/** `YYYY-MM-DDThh:mm:ssZ`, the format Zendesk uses for ticket dates and the signature timestamp. */
export function isoSeconds(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
