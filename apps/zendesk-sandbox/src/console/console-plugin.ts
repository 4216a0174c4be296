import type { FastifyInstance } from "fastify";
import type { SandboxCore } from "../sandbox-core.ts";

export interface ConsolePluginOptions {
  core: SandboxCore;
  allowRemote: boolean;
}

export async function consolePlugin(_console: FastifyInstance, _options: ConsolePluginOptions): Promise<void> {}
