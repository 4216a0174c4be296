import fs from "node:fs";
import path from "node:path";
import { emptyState, type SandboxState } from "./model.ts";

const SAVE_DEBOUNCE_MS = 100;

/**
 * Holds the sandbox state in memory and, when a data file is given, mirrors it to disk:
 * loaded once at start, saved (debounced, atomically via rename) after every change.
 */
export class StateStore {
  state: SandboxState;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dataFile: string | undefined) {
    this.state = dataFile ? loadState(dataFile) : emptyState();
  }

  /** Call after every mutation. */
  changed(): void {
    if (!this.dataFile || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.saveNow();
    }, SAVE_DEBOUNCE_MS);
  }

  replace(state: SandboxState): void {
    this.state = state;
    this.changed();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.saveNow();
  }

  private saveNow(): void {
    if (!this.dataFile) return;
    fs.mkdirSync(path.dirname(this.dataFile), { recursive: true });
    const temp = `${this.dataFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.state));
    fs.renameSync(temp, this.dataFile);
  }
}

function loadState(file: string): SandboxState {
  if (!fs.existsSync(file)) return emptyState();
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<SandboxState>;
  if (parsed.version !== 1) throw new Error(`${file}: unsupported sandbox data version ${String(parsed.version)}`);
  return { ...emptyState(), ...parsed } as SandboxState;
}
