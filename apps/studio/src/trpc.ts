import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@zm/api/client";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (count, error) => count < 2 && !(error instanceof TRPCClientError && error.data?.httpStatus < 500),
      },
    },
  });
}

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: "/trpc", fetch: (url, init) => fetch(url, { ...init, credentials: "same-origin" }) })],
  });
}

/** Field messages from a server-side validation error, keyed by field name. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof TRPCClientError)) return {};
  const fieldErrors = (error.data as { zodError?: { fieldErrors?: Record<string, string[] | undefined> } } | undefined)
    ?.zodError?.fieldErrors;
  return Object.fromEntries(
    Object.entries(fieldErrors ?? {})
      .filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].length > 0)
      .map(([field, messages]) => [field, messages[0]!]),
  );
}

export function messageOf(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (error.data?.code === "BAD_REQUEST" && Object.keys(fieldErrorsOf(error)).length > 0) {
      return "Some fields need attention.";
    }
    return error.message;
  }
  return "Could not reach the server. Check your connection and try again.";
}
