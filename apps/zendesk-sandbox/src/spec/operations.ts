import type { OpenApiDocument } from "@zm/sunshine-spec";
import { isObject } from "./openapi-to-json-schema.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type ApiScope = "integration" | "app" | "account";

export interface SpecParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  deepObject: boolean;
  schema: unknown;
}

/** One operation of the spec, indexed for routing, auth and validation. */
export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  specPath: string;
  /** The same path in Fastify syntax (`:param`). */
  routePath: string;
  pathPattern: RegExp;
  parameters: SpecParameter[];
  /** Media types the request body may use; empty when the operation takes no body. */
  requestContentTypes: string[];
  requestBodyRequired: boolean;
  requestBodySchemas: Record<string, unknown>;
  responseSchemas: Record<string, unknown>;
  /** Scopes allowed by the operation's Basic-auth security requirement. */
  scopes: ApiScope[];
}

const METHODS: HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export function indexOperations(doc: OpenApiDocument): Map<string, SpecOperation> {
  const operations = new Map<string, SpecOperation>();
  const sharedParameters = (doc.components.parameters ?? {}) as Record<string, unknown>;
  const resolveParameter = (p: unknown): SpecParameter | undefined => {
    const raw = isObject(p) && typeof p.$ref === "string" ? sharedParameters[p.$ref.split("/").pop()!] : p;
    if (!isObject(raw)) return undefined;
    return {
      name: String(raw.name),
      in: raw.in as SpecParameter["in"],
      required: raw.required === true,
      deepObject: raw.style === "deepObject",
      schema: raw.schema ?? {},
    };
  };

  for (const [specPath, item] of Object.entries(doc.paths)) {
    const shared = (Array.isArray(item.parameters) ? item.parameters : []).map(resolveParameter).filter(isDefined);
    for (const method of METHODS) {
      const op = item[method.toLowerCase()];
      if (!isObject(op) || typeof op.operationId !== "string") continue;
      const own = (Array.isArray(op.parameters) ? op.parameters : []).map(resolveParameter).filter(isDefined);
      const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      const body = isObject(op.requestBody) ? op.requestBody : undefined;
      const bodyContent = body && isObject(body.content) ? body.content : {};
      const responses = isObject(op.responses) ? op.responses : {};
      operations.set(op.operationId, {
        operationId: op.operationId,
        method,
        specPath,
        routePath: specPath.replace(/\{(\w+)\}/g, ":$1"),
        pathPattern: new RegExp("^" + specPath.replace(/\{\w+\}/g, "[^/]+") + "$"),
        parameters,
        requestContentTypes: Object.keys(bodyContent),
        requestBodyRequired: body?.required === true,
        requestBodySchemas: Object.fromEntries(Object.entries(bodyContent).map(([type, media]) => [type, isObject(media) ? media.schema : undefined])),
        responseSchemas: Object.fromEntries(
          Object.entries(responses).map(([status, response]) => {
            const content = isObject(response) && isObject(response.content) ? response.content : {};
            const json = content["application/json"];
            return [status, isObject(json) ? json.schema : undefined];
          }),
        ),
        scopes: basicAuthScopes(op.security ?? doc.security),
      });
    }
  }
  return operations;
}

function basicAuthScopes(security: unknown): ApiScope[] {
  if (!Array.isArray(security)) return [];
  for (const requirement of security) {
    if (isObject(requirement) && Array.isArray(requirement.basicAuth)) return requirement.basicAuth as ApiScope[];
  }
  return [];
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
