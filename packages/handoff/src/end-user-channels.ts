import type { ChatMessageView, WidgetServerMessage, WidgetState } from "@zm/contracts";
import type { ChatMessageRow, ConversationRow } from "@zm/db";
import type { EventBus } from "@zm/queue";

/** Bus topic of one conversation's live events; widget sockets on any instance subscribe to it. */
export function conversationTopic(conversationId: string): string {
  return `conversation:${conversationId}`;
}

export function toMessageView(m: ChatMessageRow): ChatMessageView {
  return {
    id: m.id,
    seq: m.seq,
    role: m.role,
    text: m.text,
    authorName: m.authorName,
    mediaUrl: m.mediaUrl,
    sentAt: m.sentAt.toISOString(),
    clientMessageId: m.clientMessageId,
  };
}

/** How the end user hears from us on one channel. */
export interface EndUserChannel {
  deliver(conversation: ConversationRow, message: ChatMessageRow): Promise<void>;
  typing(conversation: ConversationRow, active: boolean, authorName: string | null): Promise<void>;
  state(conversation: ConversationRow, state: WidgetState, agentName: string | null): Promise<void>;
}

/** Webchat: the transcript is already stored; live events go to the widget sockets over the bus. */
export class WebchatChannel implements EndUserChannel {
  constructor(private readonly bus: EventBus) {}

  private publish(conversationId: string, event: WidgetServerMessage) {
    return this.bus.publish(conversationTopic(conversationId), event);
  }

  deliver(conversation: ConversationRow, message: ChatMessageRow) {
    return this.publish(conversation.id, { type: "message", message: toMessageView(message) });
  }

  typing(conversation: ConversationRow, active: boolean, authorName: string | null) {
    return this.publish(conversation.id, { type: "typing", active, authorName });
  }

  state(conversation: ConversationRow, state: WidgetState, agentName: string | null) {
    return this.publish(conversation.id, { type: "state", state, agentName });
  }
}

export class ChannelRegistry {
  private readonly channels = new Map<string, EndUserChannel>();

  register(name: ConversationRow["channel"], channel: EndUserChannel) {
    this.channels.set(name, channel);
  }

  for(conversation: ConversationRow): EndUserChannel {
    const channel = this.channels.get(conversation.channel);
    if (!channel) throw new Error(`no end-user channel registered for ${conversation.channel}`);
    return channel;
  }
}
