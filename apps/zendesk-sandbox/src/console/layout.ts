import { html, type SafeHtml } from "./html.ts";

export type ConsoleSection = "tickets" | "deliveries" | "settings" | "phone";

const NAV: { section: ConsoleSection; href: string; label: string }[] = [
  { section: "tickets", href: "/console", label: "Tickets" },
  { section: "deliveries", href: "/console/deliveries", label: "Delivery log" },
  { section: "settings", href: "/console/settings", label: "Settings" },
  { section: "phone", href: "/phone", label: "Phone" },
];

/** The page shell: one script module, one stylesheet, no inline code (the CSP forbids it). */
export function layout(options: { title: string; section: ConsoleSection | null; page: string; body: SafeHtml; data?: Record<string, string> }): string {
  const dataAttributes = Object.entries(options.data ?? {})
    .map(([key, value]) => html` data-${key}="${value}"`.value)
    .join("");
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Zendesk sandbox</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script type="module" src="/console/assets/console.js"></script>
</head>`.value}
<body data-page="${options.page}"${dataAttributes}>
${html`<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <p class="brand">Zendesk sandbox <span class="muted">Agent Workspace stand-in</span></p>
  <nav aria-label="Main">
    <ul>
      ${NAV.map((item) => html`<li><a href="${item.href}"${item.section === options.section ? html` aria-current="page"` : ""}>${item.label}</a></li>`)}
    </ul>
  </nav>
</header>
<main id="main">
${options.body}
</main>`.value}
</body>
</html>`;
}
