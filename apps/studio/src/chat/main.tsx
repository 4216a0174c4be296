import { createRoot } from "react-dom/client";

createRoot(document.getElementById("chat-root")!).render(<p>Chat is coming soon.</p>);
