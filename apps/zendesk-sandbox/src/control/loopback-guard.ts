import type { FastifyInstance } from "fastify";

/** The control API and console are for whoever runs the sandbox, so only loopback callers get in. */
export function restrictToLoopback(instance: FastifyInstance, allowRemote: boolean): void {
  if (allowRemote) return;
  instance.addHook("onRequest", async (request, reply) => {
    const address = request.socket.remoteAddress ?? "";
    const loopback = address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
    if (!loopback) return reply.code(403).send({ error: "The sandbox control API and console only answer loopback callers" });
  });
}
