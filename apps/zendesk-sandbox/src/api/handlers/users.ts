import type { Sunshine } from "@zm/sunshine-spec";
import { presentUser } from "../../domain/presenters.ts";
import type { Metadata, UserProfile } from "../../state/model.ts";
import { created, ok, type ApiHandler, type ApiServices } from "../handler-types.ts";

type UserCreateBody = Sunshine.components["schemas"]["userCreateBody"];

export function userHandlers({ sunshine }: ApiServices): Record<string, ApiHandler> {
  return {
    CreateUser: ({ app, body }) => {
      const input = body as UserCreateBody;
      const user = sunshine.createUser(app, {
        ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
        ...(input.profile ? { profile: input.profile as UserProfile } : {}),
        ...(input.metadata ? { metadata: input.metadata as Metadata } : {}),
        ...(input.signedUpAt ? { signedUpAt: input.signedUpAt } : {}),
        ...(input.toBeRetained !== undefined ? { toBeRetained: input.toBeRetained } : {}),
      });
      return created({ user: presentUser(user) });
    },
    GetUser: ({ app, params }) => ok({ user: presentUser(sunshine.getUser(app, params.userIdOrExternalId!)) }),
  };
}
