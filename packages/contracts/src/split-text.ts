/** Sunshine Conversations rejects text content longer than this many characters (UTF-16 code units). */
export const SUNSHINE_TEXT_LIMIT = 4096;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits `text` into chunks of at most `max` UTF-16 code units so each fits one provider message
 * (4096 for Sunshine Conversations, 1600 for an SMS through Twilio).
 *
 * - Concatenating the chunks gives back `text` exactly: nothing is trimmed, so whitespace and newlines
 *   the user typed survive the split.
 * - A chunk never ends between the two halves of a surrogate pair (an emoji or other astral character).
 * - When a chunk must be cut, the cut goes after the last newline in the final quarter of the chunk,
 *   otherwise after the last breaking whitespace there, otherwise at the hard limit; reading a
 *   transcript split mid-word is worse than a slightly shorter message.
 * - Empty input returns `[]`: there is nothing to send.
 *
 * @throws RangeError when `max` is not an integer ≥ 2 (one code unit cannot hold a surrogate pair).
 */
export function splitText(text: string, max: number = SUNSHINE_TEXT_LIMIT): string[] {
  if (!Number.isInteger(max) || max < 2) {
    throw new RangeError(`splitText: max must be an integer >= 2, got ${String(max)}`);
  }
  const chunks: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    const cut = findCut(text, start, start + max);
    chunks.push(text.slice(start, cut));
    start = cut;
  }
  if (start < text.length) chunks.push(text.slice(start));
  return chunks;
}

/**
 * The number of code units at the end of a chunk in which a natural break is looked for.
 * Exported so tests can state the preference rule without duplicating the constant.
 */
export function breakWindow(max: number): number {
  return Math.max(1, Math.floor(max / 4));
}

/** Where to end the chunk that starts at `start`, given that `hardEnd` (= start + max) is inside the text. */
function findCut(text: string, start: number, hardEnd: number): number {
  // breakWindow(max) < max, so every candidate cut lies strictly after `start` and progress is guaranteed.
  const windowStart = hardEnd - breakWindow(hardEnd - start);

  for (let i = hardEnd - 1; i >= windowStart; i--) {
    if (text.charCodeAt(i) === NEWLINE) return i + 1;
  }
  for (let i = hardEnd - 1; i >= windowStart; i--) {
    if (isBreakingWhitespace(text, i)) return i + 1;
  }
  const last = text.charCodeAt(hardEnd - 1);
  const next = text.charCodeAt(hardEnd);
  if (isHighSurrogate(last) && isLowSurrogate(next)) return hardEnd - 1;
  if (last === CARRIAGE_RETURN && next === NEWLINE) return hardEnd - 1;
  return hardEnd;
}

function isBreakingWhitespace(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  // Keep "\r\n" together so a Windows line ending is not torn across two messages.
  if (code === CARRIAGE_RETURN) return text.charCodeAt(index + 1) !== NEWLINE;
  // No-break spaces exist precisely so that text is not broken there.
  if (code === 0x00a0 || code === 0x2007 || code === 0x202f) return false;
  return /\s/.test(text.charAt(index));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
