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

  close() {
    this.ws.terminate();
  }
}
