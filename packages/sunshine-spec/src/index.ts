import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** The official Sunshine Conversations OpenAPI document (v17.12.1), committed byte-for-byte. */
export const SPEC_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../openapi.yaml");
export const SPEC_SHA256 = "87c086e2dd2449ff2c1e316e7bfd33b0d555660a78e9b3ddfc6935e4f1880ee0";

export type OpenApiDocument = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; [k: string]: unknown };
  [k: string]: unknown;
};

let cached: OpenApiDocument | undefined;

export function loadSpec(): OpenApiDocument {
  cached ??= parse(fs.readFileSync(SPEC_PATH, "utf8"), { maxAliasCount: -1 }) as OpenApiDocument;
  return cached;
}

export type * as Sunshine from "./generated/sunshine.ts";
