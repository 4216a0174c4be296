/*
 * Message text is always rendered as text. The only markup the widget adds is links, and only
 * to http(s) URLs it has parsed itself, so a message cannot smuggle in `javascript:` or other
 * schemes.
 */

export type TextSegment = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that usually ends the sentence rather than the URL.
const TRAILING_PUNCTUATION = /[.,;:!?'"\]}>]+$/;

/** The URL as an absolute http(s) href, or null for anything else (relative, javascript:, data:, garbage). */
export function safeHttpUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let cursor = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const candidate = trimUrl(match[0]);
    const href = safeHttpUrl(candidate);
    if (!href) continue;
    if (start > cursor) segments.push({ kind: "text", text: text.slice(cursor, start) });
    segments.push({ kind: "link", text: candidate, href });
    cursor = start + candidate.length;
  }
  if (cursor < text.length) segments.push({ kind: "text", text: text.slice(cursor) });
  return segments;
}

function trimUrl(candidate: string): string {
  let url = candidate.replace(TRAILING_PUNCTUATION, "");
  // "(see https://example.com/a)" — keep a closing parenthesis only if the URL opened one.
  while (url.endsWith(")") && count(url, "(") < count(url, ")")) url = url.slice(0, -1).replace(TRAILING_PUNCTUATION, "");
  return url;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

const IMAGE_PATH = /\.(?:png|jpe?g|gif|webp|avif)$/i;

/** Whether a media URL is worth showing inline as an image (judged by its path, the only hint there is). */
export function looksLikeImage(href: string): boolean {
  try {
    return IMAGE_PATH.test(new URL(href).pathname);
  } catch {
    return false;
  }
}
