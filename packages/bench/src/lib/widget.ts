import { randomBytes } from "node:crypto";
import type { WidgetServerMessage } from "@zm/contracts";
import WebSocket from "ws";
import { monoMs } from "./stats.ts";

/** A minimal chat widget: says hello, sends, and reports what arrives with the monotonic time it arrived. */
export class BenchWidget {
  conversationId = "";
  onMessage: ((text: string, role: string, atMs: number) => void) | null = null;
  onAck: ((clientMessageId: string, atMs: number) => void) | null = null;
  onError: ((clientMessageId: string | undefined, code: string) => void) | null = null;
  state = "";

  private constructor(private readonly ws: WebSocket) {}

  static open(url: string, projectId: string, timeoutMs = 60_000): Promise<BenchWidget> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const widget = new BenchWidget(ws);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error("no welcome"));
      }, timeoutMs);
      ws.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      ws.on("open", () => ws.send(JSON.stringify({ type: "hello", projectId })));
      ws.on("message", (raw) => {
        const at = monoMs();
        const event = JSON.parse(String(raw)) as WidgetServerMessage;
        switch (event.type) {
          case "welcome":
            clearTimeout(timer);
            widget.conversationId = event.conversationId;
            widget.state = event.state;
            resolve(widget);
            break;
          case "state":
            widget.state = event.state;
            break;
          case "message":
            widget.onMessage?.(event.message.text, event.message.role, at);
            break;
          case "ack":
            widget.onAck?.(event.clientMessageId, at);
            break;
          case "error":
            widget.onError?.(event.clientMessageId, event.code);
            break;
          default:
            break;
        }
      });
    });
  }

  get open() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(text: string, clientMessageId: string) {
    this.ws.send(JSON.stringify({ type: "send", clientMessageId, text }));
  }

  /**
   * Sends until the server acknowledges, as a person retries a message the widget marked failed
   * (an overloaded server refuses sends it cannot take in time). Rejects after `attempts`.
   */
  async sendUntilAccepted(text: string, attempts = 20, retryDelayMs = 1000): Promise<void> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const clientMessageId = randomBytes(8).toString("hex");
      const accepted = await new Promise<boolean>((resolve) => {
        const previous = { onAck: this.onAck, onError: this.onError };
        const done = (ok: boolean) => {
          this.onAck = previous.onAck;
          this.onError = previous.onError;
          resolve(ok);
        };
        this.onAck = (id, at) => (id === clientMessageId ? done(true) : previous.onAck?.(id, at));
        this.onError = (id, code) => (id === clientMessageId ? done(false) : previous.onError?.(id, code));
        this.send(text, clientMessageId);
      });
      if (accepted) return;
      await new Promise((r) => setTimeout(r, retryDelayMs));
    }
    throw new Error(`"${text}" was refused ${attempts} times`);
  }

  close() {
    this.ws.terminate();
  }
}
