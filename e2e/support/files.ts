import fs from "node:fs";
import path from "node:path";

/** Files under `dir` whose bytes contain any of `needles` (each as UTF-8). */
export function findInFiles(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        const bytes = fs.readFileSync(p);
        for (const n of needles) if (bytes.includes(Buffer.from(n, "utf8"))) hits.push(`${path.relative(dir, p)}: ${n.slice(0, 4)}…`);
      }
    }
  };
  walk(dir);
  return hits;
}
