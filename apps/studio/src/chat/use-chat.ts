import { useSyncExternalStore } from "react";
import type { ChatClient, ChatSnapshot } from "./chat-client.ts";

export function useChatSnapshot(client: ChatClient): ChatSnapshot {
  return useSyncExternalStore(client.subscribe, client.getSnapshot);
}
