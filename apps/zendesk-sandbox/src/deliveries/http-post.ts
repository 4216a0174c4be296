export interface PostResult {
  status: number | null;
  /** `timeout` when no response came within the limit; otherwise the network error. */
  error: string | null;
  timedOut: boolean;
  retryAfter: string | null;
  latencyMs: number;
  contentType: string | null;
  /** The response text, when asked for with `keepBody` (cut at `MAX_KEPT_BODY_CHARS`). */
  body: string | null;
}

const MAX_KEPT_BODY_CHARS = 64 * 1024;

/** One POST with a hard deadline; never throws. */
export async function postWithTimeout(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  cancel: AbortSignal,
  options: { keepBody?: boolean } = {},
): Promise<PostResult> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([deadline, cancel]);
  try {
    const response = await fetch(url, { method: "POST", headers, body, signal, redirect: "manual" });
    // Drain the body so the connection is released, but do not wait past the deadline for it.
    const text = options.keepBody ? await response.text().catch(() => null) : await response.arrayBuffer().then(() => null, () => null);
    return {
      status: response.status,
      error: null,
      timedOut: false,
      retryAfter: response.headers.get("retry-after"),
      latencyMs: Math.round(performance.now() - started),
      contentType: response.headers.get("content-type"),
      body: text === null ? null : text.slice(0, MAX_KEPT_BODY_CHARS),
    };
  } catch (error) {
    const timedOut = deadline.aborted;
    const message = timedOut ? `timeout: no response within ${timeoutMs} ms` : cancel.aborted ? "cancelled: sandbox closing" : describe(error);
    return { status: null, error: message, timedOut, retryAfter: null, latencyMs: Math.round(performance.now() - started), contentType: null, body: null };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
