import { me } from "./auth/me.ts";
import { signIn } from "./auth/sign-in.ts";
import { signOut } from "./auth/sign-out.ts";
import { connectSms } from "./sms/connect.ts";
import { disconnectSms } from "./sms/disconnect.ts";
import { getSmsConnection } from "./sms/get-connection.ts";
import { updateSms } from "./sms/update.ts";
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
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
