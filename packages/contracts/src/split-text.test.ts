import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { breakWindow, splitText, SUNSHINE_TEXT_LIMIT } from "./split-text.ts";

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Text biased towards the hard cases: astral characters, long words, newlines and odd whitespace. */
const trickyText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("a", "b", "é", "中") },
      { weight: 2, arbitrary: fc.constantFrom("😀", "👍🏽", "𝒜", "🇬🇧", "\u{10FFFF}") },
      { weight: 2, arbitrary: fc.constantFrom(" ", "\n", "\t", "\r\n", "\u00a0") },
      // Raw code units, lone surrogates included.
      { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }) },
      { weight: 1, arbitrary: fc.string({ minLength: 10, maxLength: 60 }).map((s) => s.replace(/\s/g, "x")) },
    ),
    { maxLength: 300 },
  )
  .map((parts) => parts.join(""));

const maxArb = fc.integer({ min: 2, max: 64 });

describe("splitText", () => {
  it("returns [] for empty input", () => {
    expect(splitText("")).toEqual([]);
  });

  it("keeps short text whole", () => {
    expect(splitText("hello")).toEqual(["hello"]);
    expect(splitText("x".repeat(SUNSHINE_TEXT_LIMIT))).toEqual(["x".repeat(SUNSHINE_TEXT_LIMIT)]);
  });

  it("cuts after the last newline in the tail of the chunk", () => {
    expect(splitText("aaaa bbbb\ncc dd", 12)).toEqual(["aaaa bbbb\n", "cc dd"]);
  });

  it("falls back to whitespace when there is no newline", () => {
    expect(splitText("aaaaaaaaaa bbbbbb", 12)).toEqual(["aaaaaaaaaa ", "bbbbbb"]);
  });

  it("ignores a break outside the final quarter of the chunk rather than send a stub message", () => {
    expect(splitText("aaaaaaaa bbbbbbb", 12)).toEqual(["aaaaaaaa bbb", "bbbb"]);
  });

  it("hard-cuts a long word at the limit", () => {
    expect(splitText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });

  it("does not split a surrogate pair at the hard limit", () => {
    const chunks = splitText("abc😀def", 4);
    expect(chunks).toEqual(["abc", "😀de", "f"]);
  });

  it("does not tear a CRLF apart or break at a no-break space", () => {
    expect(splitText("aaaaaaaaa\r\nb", 10)).toEqual(["aaaaaaaaa", "\r\nb"]);
    expect(splitText("aaaaaaaa\u00a0bbb", 10)).toEqual(["aaaaaaaa\u00a0b", "bb"]);
  });

  it("rejects a limit too small to hold a surrogate pair", () => {
    expect(() => splitText("abc", 1)).toThrow(RangeError);
    expect(() => splitText("abc", 2.5)).toThrow(RangeError);
  });

  it("property: chunks concatenate to the input, fit the limit, are non-empty and never split a pair", () => {
    fc.assert(
      fc.property(trickyText, maxArb, (text, max) => {
        const chunks = splitText(text, max);
        expect(chunks.join("")).toBe(text);
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          expect(chunk.length).toBeLessThanOrEqual(max);
        }
        for (let i = 0; i + 1 < chunks.length; i++) {
          const end = chunks[i]!.charCodeAt(chunks[i]!.length - 1);
          const next = chunks[i + 1]!.charCodeAt(0);
          expect(isHigh(end) && isLow(next)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("property: a chunk ends at a newline whenever its break window holds one", () => {
    fc.assert(
      fc.property(trickyText, maxArb, (text, max) => {
        const chunks = splitText(text, max);
        let start = 0;
        for (let i = 0; i + 1 < chunks.length; i++) {
          const hardEnd = start + max;
          const window = text.slice(hardEnd - breakWindow(max), hardEnd);
          if (window.includes("\n")) expect(chunks[i]!.endsWith("\n")).toBe(true);
          // Short chunks only come from a natural break, never from an arbitrary cut.
          if (chunks[i]!.length < max - 1) expect(chunks[i]!).toMatch(/\s$/);
          start += chunks[i]!.length;
        }
      }),
      { numRuns: 500 },
    );
  });

  it("property: the default limit is Sunshine's 4096 code units", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 3000, maxLength: 6000 }), (text) => {
        for (const chunk of splitText(text)) expect(chunk.length).toBeLessThanOrEqual(4096);
        expect(splitText(text).join("")).toBe(text);
      }),
      { numRuns: 30 },
    );
  });
});
