import "./chat.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ChatApp } from "./chat-app.tsx";
import { ChatClient, widgetSocketUrl } from "./chat-client.ts";
import { isEmbedded } from "./embed-bridge.ts";

// Same shape as the contracts' projectIdSchema, without pulling zod into the widget bundle.
const PROJECT_ID_IN_PATH = /^\/chat\/(PROJECT-[0-9a-f]{8})\/?$/;

const root = createRoot(document.getElementById("chat-root")!);
const embedded = isEmbedded(location.search);
document.documentElement.classList.toggle("chat-page--embedded", embedded);

const projectId = PROJECT_ID_IN_PATH.exec(location.pathname)?.[1];
if (!projectId) {
  root.render(
    <main className="chat-missing">
      <h1>Chat unavailable</h1>
      <p>This chat link is incomplete. Check the address, or contact the site that sent you here.</p>
    </main>,
  );
} else {
  // Created outside React so StrictMode's double effects cannot open two sockets.
  const client = new ChatClient({ projectId, url: widgetSocketUrl(location) });
  client.start();
  window.addEventListener("online", () => client.reconnectNow());
  root.render(
    <StrictMode>
      <ChatApp client={client} embedded={embedded} />
    </StrictMode>,
  );
}
