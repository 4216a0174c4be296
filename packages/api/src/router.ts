import { me } from "./auth/me.ts";
import { signIn } from "./auth/sign-in.ts";
import { signOut } from "./auth/sign-out.ts";
import { createTopic } from "./knowledge/create-topic.ts";
import { deleteTopic } from "./knowledge/delete-topic.ts";
import { getTopic } from "./knowledge/get-topic.ts";
import { listTopics } from "./knowledge/list-topics.ts";
import { updateTopic } from "./knowledge/update-topic.ts";
import { getHandoffSettings } from "./settings/get-handoff-settings.ts";
import { updateHandoffSettings } from "./settings/update-handoff-settings.ts";
import { createCallerFactory, router } from "./trpc.ts";
import { connect } from "./zendesk/connect.ts";
import { disconnect } from "./zendesk/disconnect.ts";
import { getConnection } from "./zendesk/get-connection.ts";
import { update } from "./zendesk/update.ts";

export const appRouter = router({
  auth: router({ signIn, signOut, me }),
  zendesk: router({ getConnection, connect, update, disconnect }),
  knowledge: router({ listTopics, getTopic, createTopic, updateTopic, deleteTopic }),
  handoffSettings: router({ get: getHandoffSettings, update: updateHandoffSettings }),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
