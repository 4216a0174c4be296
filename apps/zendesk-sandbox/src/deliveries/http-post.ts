export interface PostResult {
  status: number | null;
  /** `timeout` when no response came within the limit; otherwise the network error. */
  error: string | null;
  timedOut: boolean;
  retryAfter: string | null;
  latencyMs: number;
}

/** One POST with a hard deadline; never throws. */
export async function postWithTimeout(url: string, headers: Record<string, string>, body: string, timeoutMs: number, cancel: AbortSignal): Promise<PostResult> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([deadline, cancel]);
  try {
    const response = await fetch(url, { method: "POST", headers, body, signal, redirect: "manual" });
    // Drain the body so the connection is released, but do not wait past the deadline for it.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, error: null, timedOut: false, retryAfter: response.headers.get("retry-after"), latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const timedOut = deadline.aborted;
    const message = timedOut ? `timeout: no response within ${timeoutMs} ms` : cancel.aborted ? "cancelled: sandbox closing" : describe(error);
    return { status: null, error: message, timedOut, retryAfter: null, latencyMs: Math.round(performance.now() - started) };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
