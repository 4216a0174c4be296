import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { loadSpec, type OpenApiDocument } from "@zm/sunshine-spec";
import { OpenApiSchemaConverter, isObject, type Direction } from "./openapi-to-json-schema.ts";
import { indexOperations, type SpecOperation } from "./operations.ts";

// ajv-formats ships CommonJS with a default export that TypeScript sees one level deep.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** One schema failure, as a path into the checked value and a message. */
export interface SchemaIssue {
  where: string;
  message: string;
}

export interface RequestParts {
  params: Record<string, string>;
  /** Query as Fastify parsed it: flat keys such as `page[after]`. */
  query: Record<string, unknown>;
  body: unknown;
}

/** Webhook event types and the component schema the spec documents for each. */
const EVENT_SCHEMAS: Record<string, string> = {
  "client:add": "clientAddEvent",
  "client:remove": "clientRemoveEvent",
  "client:update": "clientUpdateEvent",
  "conversation:create": "conversationCreateEvent",
  "conversation:join": "conversationJoinEvent",
  "conversation:leave": "conversationLeaveEvent",
  "conversation:remove": "conversationRemoveEvent",
  "conversation:message:delivery:channel": "conversationMessageDeliveryChannelEvent",
  "conversation:message:delivery:failure": "conversationMessageDeliveryFailureEvent",
  "conversation:message:delivery:user": "conversationMessageDeliveryUserEvent",
  "conversation:message": "conversationMessageEvent",
  "conversation:postback": "conversationPostbackEvent",
  "conversation:read": "conversationReadEvent",
  "conversation:referral": "conversationReferralEvent",
  "conversation:typing": "conversationTypingEvent",
  "switchboard:acceptControl": "switchboardAcceptControl",
  "switchboard:acceptControl:failure": "switchboardAcceptControlFailure",
  "switchboard:offerControl": "switchboardOfferControl",
  "switchboard:offerControl:failure": "switchboardOfferControlFailure",
  "switchboard:passControl": "switchboardPassControl",
  "switchboard:passControl:failure": "switchboardPassControlFailure",
  "switchboard:releaseControl": "switchboardReleaseControl",
  "user:merge": "userMergeEvent",
  "user:update": "userUpdateEvent",
  "user:remove": "userRemoveEvent",
};

export const WEBHOOK_TRIGGERS = Object.keys(EVENT_SCHEMAS);

/**
 * Validates requests, responses and webhook events against the official Sunshine spec.
 * Requests see the spec with readOnly fields optional; responses and webhooks see it with
 * writeOnly fields forbidden. Validators are compiled on first use and cached.
 */
export class SpecValidator {
  private static sharedInstance: SpecValidator | undefined;

  /** Compiling the spec takes about a second; sandboxes in one process share the result. */
  static shared(): SpecValidator {
    SpecValidator.sharedInstance ??= new SpecValidator();
    return SpecValidator.sharedInstance;
  }

  readonly operations: Map<string, SpecOperation>;
  private readonly bodyAjv = new Map<Direction, Ajv>();
  private readonly converters = new Map<Direction, OpenApiSchemaConverter>();
  /** Path and query parameters arrive as strings, so their validator coerces types. */
  private readonly paramAjv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument = loadSpec()) {
    this.operations = indexOperations(doc);
    this.paramAjv = makeAjv(true);
    for (const direction of ["request", "response"] as const) {
      const documentId = `sunshine-${direction}`;
      const converter = new OpenApiSchemaConverter(doc.components, direction, documentId);
      this.converters.set(direction, converter);
      // Converted one by one: the map itself is not a schema (it has schemas named "description" and "example").
      const schemas = Object.fromEntries(Object.entries(doc.components.schemas).map(([name, schema]) => [name, converter.convert(schema)]));
      const document = { $id: documentId, components: { schemas } };
      const ajv = makeAjv(false);
      ajv.addSchema(document);
      this.bodyAjv.set(direction, ajv);
      if (direction === "request") this.paramAjv.addSchema(document);
    }
  }

  validateRequest(op: SpecOperation, parts: RequestParts, contentType: string | undefined): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    for (const location of ["path", "query"] as const) {
      const params = op.parameters.filter((p) => p.in === location);
      if (params.length === 0) continue;
      const value = location === "path" ? { ...parts.params } : groupQuery(parts.query, params.map((p) => p.name));
      const validate = this.compileParams(op, location);
      if (!validate(value)) issues.push(...toIssues(validate.errors, location === "path" ? "path" : "query"));
      if (location === "query") Object.assign(parts.query, value);
    }
    if (op.requestContentTypes.length > 0 && parts.body !== undefined && contentType?.startsWith("application/json")) {
      const schema = op.requestBodySchemas["application/json"];
      if (schema !== undefined) {
        const validate = this.compile(`req:${op.operationId}`, "request", schema);
        if (!validate(parts.body)) issues.push(...toIssues(validate.errors, "body"));
      }
    }
    return issues;
  }

  /** Issues for a response body; undocumented error statuses are checked against `errorResponse`. */
  validateResponse(op: SpecOperation, status: number, body: unknown): SchemaIssue[] {
    const key = String(status);
    const documented = key in op.responseSchemas;
    const schema = documented ? op.responseSchemas[key] : status >= 400 ? { $ref: "#/components/schemas/errorResponse" } : undefined;
    if (!documented && status < 400) return [{ where: "status", message: `status ${status} is not documented for ${op.operationId}` }];
    if (schema === undefined) return [];
    const validate = this.compile(`res:${op.operationId}:${documented ? key : "error"}`, "response", schema);
    return validate(body) ? [] : toIssues(validate.errors, "response");
  }

  validateWebhookEvent(event: unknown): SchemaIssue[] {
    const type = isObject(event) ? event.type : undefined;
    const name = typeof type === "string" ? EVENT_SCHEMAS[type] : undefined;
    if (!name) return [{ where: "event.type", message: `unknown webhook event type ${String(type)}` }];
    const validate = this.compile(`event:${name}`, "response", { $ref: `#/components/schemas/${name}` });
    return validate(event) ? [] : toIssues(validate.errors, "event");
  }

  validateComponent(name: string, value: unknown, direction: Direction = "response"): SchemaIssue[] {
    const validate = this.compile(`component:${direction}:${name}`, direction, { $ref: `#/components/schemas/${name}` });
    return validate(value) ? [] : toIssues(validate.errors, name);
  }

  private compile(key: string, direction: Direction, schema: unknown): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      const converted = this.converters.get(direction)!.convert(schema);
      validate = this.bodyAjv.get(direction)!.compile(isObject(converted) ? converted : {});
      this.cache.set(key, validate);
    }
    return validate;
  }

  private compileParams(op: SpecOperation, location: "path" | "query"): ValidateFunction {
    const key = `params:${location}:${op.operationId}`;
    let validate = this.cache.get(key);
    if (!validate) {
      const converter = this.converters.get("request")!;
      const params = op.parameters.filter((p) => p.in === location);
      validate = this.paramAjv.compile({
        type: "object",
        properties: Object.fromEntries(params.map((p) => [p.name, converter.convert(p.schema)])),
        required: params.filter((p) => p.required).map((p) => p.name),
      });
      this.cache.set(key, validate);
    }
    return validate;
  }
}

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat("binary", true);
  return ajv;
}

/** Folds `page[after]=x` style keys into `{ page: { after: "x" } }` for deepObject parameters. */
function groupQuery(query: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const match = /^(\w+)\[(\w+)\]$/.exec(key);
    const scalar = Array.isArray(value) ? value[value.length - 1] : value;
    if (match && names.includes(match[1]!)) {
      const group = (out[match[1]!] ??= {}) as Record<string, unknown>;
      group[match[2]!] = scalar;
    } else if (names.includes(key)) {
      out[key] = scalar;
    }
  }
  return out;
}

/** ajv errors to readable issues, without the noise of nullable wrappers and discriminator branches. */
function toIssues(errors: ErrorObject[] | null | undefined, root: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    if (["anyOf", "oneOf", "if", "allOf"].includes(error.keyword)) continue;
    if (error.keyword === "type" && (error.params as { type?: string }).type === "null") continue;
    const where = root + error.instancePath.replace(/\//g, ".");
    let message = error.message ?? "is invalid";
    if (error.keyword === "enum") message += `: ${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(", ")}`;
    if (error.keyword === "required") message = `must have property '${(error.params as { missingProperty: string }).missingProperty}'`;
    if (error.keyword === "additionalProperties") message = `must not have property '${(error.params as { additionalProperty: string }).additionalProperty}'`;
    if (error.keyword === "false schema") message = "must not be present";
    const text = `${where} ${message}`;
    if (seen.has(text)) continue;
    seen.add(text);
    issues.push({ where, message });
  }
  if (issues.length === 0 && errors && errors.length > 0) issues.push({ where: root, message: "does not match the schema" });
  return issues;
}
