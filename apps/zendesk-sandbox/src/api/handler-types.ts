import type { FastifyRequest } from "fastify";
import type { SunshineService } from "../domain/sunshine.ts";
import type { AppRecord, AttachmentRecord } from "../state/model.ts";
import type { Caller } from "./auth.ts";

export interface ApiContext {
  request: FastifyRequest;
  caller: Caller;
  app: AppRecord;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** The public base URL, for links and media URLs. */
  baseUrl: string;
}

export interface ApiResult {
  status: number;
  body: unknown;
}

export type ApiHandler = (context: ApiContext) => ApiResult;

export interface ApiServices {
  sunshine: SunshineService;
  saveAttachment(attachment: AttachmentRecord): void;
}

export const ok = (body: unknown = {}): ApiResult => ({ status: 200, body });
export const created = (body: unknown): ApiResult => ({ status: 201, body });
