import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const STUDIO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

// The chat widget is meant to be framed by customers' sites.
const WIDGET_CSP = STUDIO_CSP.replace("frame-ancestors 'none'", "frame-ancestors *");

export function securityHeaders(app: FastifyInstance) {
  app.addHook("onSend", async (req: FastifyRequest, reply: FastifyReply) => {
    const embeddable = req.url.startsWith("/chat/") || req.url.startsWith("/widget");
    reply.header("Content-Security-Policy", embeddable ? WIDGET_CSP : STUDIO_CSP);
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("Cross-Origin-Opener-Policy", "same-origin");
    reply.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (!embeddable) reply.header("X-Frame-Options", "DENY");
  });
}

/**
 * tRPC mutations are POSTs carrying the session cookie; refuse any that a browser says came
 * from another site. Together with SameSite=Strict cookies and the JSON content type (which a
 * cross-site form cannot send) this closes CSRF.
 */
export function isCrossSiteRequest(req: FastifyRequest, publicBaseUrl: string): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site === "cross-site" || site === "same-site") return true;
  const origin = req.headers.origin;
  if (!origin) return false;
  const allowed = new Set([new URL(publicBaseUrl).origin, `http://${req.headers.host}`, `https://${req.headers.host}`]);
  return !allowed.has(origin);
}
