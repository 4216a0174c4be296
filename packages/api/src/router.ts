import { me } from "./auth/me.ts";
import { signIn } from "./auth/sign-in.ts";
import { signOut } from "./auth/sign-out.ts";
import { connectSms } from "./sms/connect.ts";
import { disconnectSms } from "./sms/disconnect.ts";
import { getSmsConnection } from "./sms/get-connection.ts";
import { updateSms } from "./sms/update.ts";
import { createTopic } from "./knowledge/create-topic.ts";
import { deleteTopic } from "./knowledge/delete-topic.ts";
import { getTopic } from "./knowledge/get-topic.ts";
import { listTopics } from "./knowledge/list-topics.ts";
import { updateTopic } from "./knowledge/update-topic.ts";
import { getSession } from "./logs/get-session.ts";
import { listCalls } from "./logs/list-calls.ts";
import { listDeliveries } from "./logs/list-deliveries.ts";
import { listSessions } from "./logs/list-sessions.ts";
import { getHandoffSettings } from "./settings/get-handoff-settings.ts";
import { updateHandoffSettings } from "./settings/update-handoff-settings.ts";
import { createCallerFactory, router } from "./trpc.ts";
import { connect } from "./zendesk/connect.ts";
import { disconnect } from "./zendesk/disconnect.ts";
import { getConnection } from "./zendesk/get-connection.ts";
import { testConnection } from "./zendesk/test-connection.ts";
import { update } from "./zendesk/update.ts";

export const appRouter = router({
  auth: router({ signIn, signOut, me }),
  zendesk: router({ getConnection, connect, update, disconnect, testConnection }),
  sms: router({ getConnection: getSmsConnection, connect: connectSms, update: updateSms, disconnect: disconnectSms }),
  knowledge: router({ listTopics, getTopic, createTopic, updateTopic, deleteTopic }),
  handoffSettings: router({ get: getHandoffSettings, update: updateHandoffSettings }),
  logs: router({ listSessions, getSession, listDeliveries, listCalls }),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
