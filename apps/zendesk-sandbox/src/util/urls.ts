import { badRequest } from "../domain/errors.ts";

/** Webhook targets and media links must be absolute http(s) URLs; anything else is a 400. */
export function assertHttpUrl(value: string, what = value): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(`${what} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badRequest(`${what} must be an http(s) URL`);
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
