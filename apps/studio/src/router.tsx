import { createBrowserRouter, Navigate } from "react-router";
import { AppShell } from "./components/app-shell.tsx";
import { HomeRedirect } from "./pages/home-redirect.tsx";
import { IntegrationsPage } from "./pages/integrations-page.tsx";
import { NotFoundPage } from "./pages/not-found-page.tsx";

// Pages with forms load zod and react-hook-form; they are split out so the Integrations
// page stays small.
export const router = createBrowserRouter([
  { path: "/login", lazy: async () => ({ Component: (await import("./pages/sign-in-page.tsx")).SignInPage }) },
  {
    element: <AppShell />,
    children: [
      { path: "/", element: <HomeRedirect /> },
      { path: "/projects/:projectId", element: <Navigate to="configure/integrations" replace /> },
      { path: "/projects/:projectId/configure/integrations", element: <IntegrationsPage /> },
      {
        path: "/projects/:projectId/knowledge",
        lazy: async () => ({ Component: (await import("./pages/knowledge-page.tsx")).KnowledgePage }),
      },
      {
        path: "/projects/:projectId/knowledge/new",
        lazy: async () => ({ Component: (await import("./pages/topic-editor-page.tsx")).TopicEditorPage }),
      },
      {
        path: "/projects/:projectId/knowledge/:topicId",
        lazy: async () => ({ Component: (await import("./pages/topic-editor-page.tsx")).TopicEditorPage }),
      },
      {
        path: "/projects/:projectId/configure/handoff",
        lazy: async () => ({ Component: (await import("./pages/handoff-settings-page.tsx")).HandoffSettingsPage }),
      },
      {
        path: "/projects/:projectId/configure/integrations/zendesk-messaging",
        lazy: async () => ({ Component: (await import("./pages/zendesk-messaging-page.tsx")).ZendeskMessagingPage }),
      },
      {
        path: "/projects/:projectId/configure/integrations/sms",
        lazy: async () => ({ Component: (await import("./pages/sms-page.tsx")).SmsPage }),
      },
      // The logs pages refresh on a timer and carry their own tables; loaded only when opened.
      {
        path: "/projects/:projectId/handoffs",
        lazy: async () => ({ Component: (await import("./pages/handoffs-page.tsx")).HandoffsPage }),
      },
      {
        path: "/projects/:projectId/handoffs/deliveries",
        lazy: async () => ({ Component: (await import("./pages/handoff-deliveries-page.tsx")).HandoffDeliveriesPage }),
      },
      {
        path: "/projects/:projectId/handoffs/calls",
        lazy: async () => ({ Component: (await import("./pages/handoff-calls-page.tsx")).HandoffCallsPage }),
      },
      {
        path: "/projects/:projectId/handoffs/:sessionId",
        lazy: async () => ({ Component: (await import("./pages/handoff-session-page.tsx")).HandoffSessionPage }),
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
