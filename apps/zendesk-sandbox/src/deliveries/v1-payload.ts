import type { SunshineEvent } from "../domain/event-sink.ts";
import type { AppRecord } from "../state/model.ts";

/**
 * An approximation of the legacy v1.1 webhook body, so a client wired to a webhook left on "v1"
 * can see (and reject) the old shape: one trigger per POST, `_id` fields, `appUser`/`appMaker`
 * roles, `received` in epoch seconds. Not a full v1 implementation.
 */
export function toV1Payloads(app: AppRecord, events: SunshineEvent[]): { event: SunshineEvent; body: Record<string, unknown> }[] {
  return events.map((event) => {
    const payload = event.payload as { conversation?: { id?: string }; message?: V2Message; activity?: { type?: string; author?: V2Author } };
    const base = { app: { _id: app.id }, version: "v1.1", conversation: { _id: payload.conversation?.id } };
    if (event.type === "conversation:message" && payload.message) {
      const m = payload.message;
      const fromUser = m.author?.type === "user";
      return {
        event,
        body: {
          ...base,
          trigger: fromUser ? "message:appUser" : "message:appMaker",
          messages: [
            {
              _id: m.id,
              type: m.content?.type,
              text: m.content?.text,
              mediaUrl: m.content?.mediaUrl,
              role: fromUser ? "appUser" : "appMaker",
              authorId: m.author?.userId,
              name: m.author?.displayName,
              avatarUrl: m.author?.avatarUrl,
              received: m.received ? Date.parse(m.received) / 1000 : undefined,
              source: { type: m.source?.type },
              metadata: m.metadata,
            },
          ],
          ...(fromUser ? { appUser: { _id: m.author?.userId } } : {}),
        },
      };
    }
    if (event.type === "conversation:typing" && payload.activity) {
      return { event, body: { ...base, trigger: payload.activity.author?.type === "user" ? "typing:appUser" : "typing:appMaker", activity: { type: payload.activity.type } } };
    }
    return { event, body: { ...base, trigger: event.type, ...event.payload } };
  });
}

interface V2Author {
  type?: string;
  userId?: string;
  displayName?: string;
  avatarUrl?: string;
}

interface V2Message {
  id?: string;
  received?: string;
  author?: V2Author;
  content?: { type?: string; text?: string; mediaUrl?: string };
  source?: { type?: string };
  metadata?: unknown;
}
