/** Plain word matching: good enough to route "can I talk to a human?" to the right topic. */

const STOP_WORDS = new Set(
  "a an the i me my to of and or is are be can could would you your please pls it this that with for on in do does want need some".split(" "),
);

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !STOP_WORDS.has(w));
}

/**
 * How well `text` matches one example phrase, 0..1: the share of the phrase's words found in
 * the text, with a bonus when the whole phrase appears verbatim.
 */
export function phraseScore(text: string, phrase: string): number {
  const phraseWords = words(phrase);
  if (phraseWords.length === 0) return 0;
  const textWords = new Set(words(text));
  const found = phraseWords.filter((w) => textWords.has(w)).length;
  const coverage = found / phraseWords.length;
  const verbatim = text.toLowerCase().includes(phrase.toLowerCase().trim()) ? 0.25 : 0;
  return Math.min(1, coverage + verbatim);
}

export const MATCH_THRESHOLD = 0.6;

export function bestMatch<T extends { phrases: string[] }>(items: readonly T[], text: string): { item: T; score: number } | null {
  let best: { item: T; score: number } | null = null;
  for (const item of items) {
    for (const phrase of item.phrases) {
      const score = phraseScore(text, phrase);
      if (score >= MATCH_THRESHOLD && (!best || score > best.score)) best = { item, score };
    }
  }
  return best;
}
