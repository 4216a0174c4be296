import { describe, expect, test } from "vitest";
import { linkify, looksLikeImage, safeHttpUrl } from "./linkify.ts";

describe("linkify", () => {
  test("links http and https URLs and keeps the rest as text", () => {
    expect(linkify("See https://help.example.com/a?b=1 and http://x.test.")).toEqual([
      { kind: "text", text: "See " },
      { kind: "link", text: "https://help.example.com/a?b=1", href: "https://help.example.com/a?b=1" },
      { kind: "text", text: " and " },
      { kind: "link", text: "http://x.test", href: "http://x.test/" },
      { kind: "text", text: "." },
    ]);
  });

  test("leaves other schemes and markup as plain text", () => {
    const text = 'javascript:alert(1) <a href="https://evil.test">x</a> data:text/html,hi';
    const segments = linkify(text);
    expect(segments.filter((s) => s.kind === "link").map((s) => s.text)).toEqual(["https://evil.test"]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });

  test("drops a closing parenthesis the URL did not open, keeps one it did", () => {
    expect(linkify("(see https://example.com/a)")[1]).toEqual({ kind: "link", text: "https://example.com/a", href: "https://example.com/a" });
    expect(linkify("https://en.wikipedia.org/wiki/Foo_(bar)")[0]).toMatchObject({ text: "https://en.wikipedia.org/wiki/Foo_(bar)" });
  });

  test("returns the text whole when there is no URL", () => {
    expect(linkify("no links here")).toEqual([{ kind: "text", text: "no links here" }]);
    expect(linkify("")).toEqual([]);
  });
});

describe("media URLs", () => {
  test("only absolute http(s) URLs are accepted", () => {
    expect(safeHttpUrl("https://cdn.example.com/a.png")).toBe("https://cdn.example.com/a.png");
    expect(safeHttpUrl("javascript:alert(1)")).toBeNull();
    expect(safeHttpUrl("/relative.png")).toBeNull();
    expect(safeHttpUrl("data:image/png;base64,AAAA")).toBeNull();
  });

  test("images are recognised by their path", () => {
    expect(looksLikeImage("https://cdn.example.com/a/photo.JPG?size=2")).toBe(true);
    expect(looksLikeImage("https://cdn.example.com/report.pdf")).toBe(false);
  });
});
