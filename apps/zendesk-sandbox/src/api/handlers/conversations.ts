import type { Sunshine } from "@zm/sunshine-spec";
import { presentConversation, presentMessage } from "../../domain/presenters.ts";
import type { CursorQuery, NewMessage, Page } from "../../domain/sunshine.ts";
import type { Metadata } from "../../state/model.ts";
import { created, ok, type ApiContext, type ApiHandler, type ApiServices } from "../handler-types.ts";

type ConversationCreateBody = Sunshine.components["schemas"]["conversationCreateBody"];
type ActivityPost = { author: NewMessage["author"]; type: string };

export function conversationHandlers({ sunshine }: ApiServices): Record<string, ApiHandler> {
  return {
    CreateConversation: ({ app, body }) => {
      const input = body as ConversationCreateBody;
      const conversation = sunshine.createConversation(app, {
        type: input.type ?? "personal",
        participants: (input.participants ?? []) as { userId?: string; userExternalId?: string }[],
        ...(input.displayName != null ? { displayName: input.displayName } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.iconUrl != null ? { iconUrl: input.iconUrl } : {}),
        ...(input.metadata ? { metadata: input.metadata as Metadata } : {}),
      });
      return created({ conversation: presentConversation(app, conversation) });
    },
    GetConversation: ({ app, params }) => ok({ conversation: presentConversation(app, sunshine.getConversation(app, params.conversationId!)) }),
    ListConversations: (context) => {
      const { app, query } = context;
      const filter = (query.filter ?? {}) as { userId?: string; userExternalId?: string };
      const page = sunshine.listConversations(app, filter, cursorQuery(query));
      return ok({ conversations: page.items.map((c) => presentConversation(app, c)), ...pageMeta(context, page) });
    },
    DeleteConversation: ({ app, params }) => {
      sunshine.deleteConversation(app, params.conversationId!);
      return ok({});
    },
    PostMessage: ({ app, params, body, caller }) => {
      const conversation = sunshine.getConversation(app, params.conversationId!);
      const input = body as { author: NewMessage["author"]; content: NewMessage["content"]; metadata?: Metadata };
      const message = sunshine.postMessage(app, conversation, {
        author: input.author,
        content: input.content,
        ...(input.metadata ? { metadata: input.metadata } : {}),
        // Messages posted through the API carry this source type (spec response examples).
        source: input.author.type === "user" && caller.key.integrationId ? { type: "api:conversations", integrationId: caller.key.integrationId } : { type: "api:conversations" },
      });
      return created({ messages: [presentMessage(message)] });
    },
    ListMessages: (context) => {
      const conversation = sunshine.getConversation(context.app, context.params.conversationId!);
      const page = sunshine.listMessages(conversation, cursorQuery(context.query));
      return ok({ messages: page.items.map(presentMessage), ...pageMeta(context, page) });
    },
    PostActivity: ({ app, params, body, caller }) => {
      const conversation = sunshine.getConversation(app, params.conversationId!);
      const input = body as ActivityPost;
      sunshine.postActivity(app, conversation, {
        author: input.author,
        type: input.type,
        source: { type: "api:conversations", ...(caller.key.integrationId ? { integrationId: caller.key.integrationId } : {}) },
      });
      return ok({});
    },
  };
}

function cursorQuery(query: Record<string, unknown>): CursorQuery {
  const page = (query.page ?? {}) as { after?: string; before?: string; size?: number };
  return {
    ...(page.after !== undefined ? { after: page.after } : {}),
    ...(page.before !== undefined ? { before: page.before } : {}),
    ...(page.size !== undefined ? { size: page.size } : {}),
  };
}

/** `meta` and `links` as the spec's list responses carry them. */
function pageMeta(context: ApiContext, page: Page<unknown>): Record<string, unknown> {
  const url = new URL(context.request.url, context.baseUrl);
  const link = (cursor: "after" | "before", id: string) => {
    const next = new URL(url);
    next.searchParams.delete("page[after]");
    next.searchParams.delete("page[before]");
    next.searchParams.set(`page[${cursor}]`, id);
    return next.toString();
  };
  return {
    meta: {
      hasMore: page.hasMore,
      ...(page.beforeCursor ? { beforeCursor: page.beforeCursor } : {}),
      ...(page.afterCursor ? { afterCursor: page.afterCursor } : {}),
    },
    links: {
      ...(page.beforeCursor ? { prev: link("before", page.beforeCursor) } : {}),
      ...(page.afterCursor ? { next: link("after", page.afterCursor) } : {}),
    },
  };
}
