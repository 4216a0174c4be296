/**
 * Turns OpenAPI 3.0 schema objects into JSON Schema that ajv understands.
 *
 * OpenAPI 3.0 is "almost" JSON Schema; the gaps that matter for the Sunshine spec are:
 * - `nullable: true` (not a JSON Schema keyword) → `anyOf: [schema, {type: "null"}]`;
 * - `discriminator` + `oneOf` → an explicit `type` enum plus `if/then` per mapped value, because
 *   the subschemas are open objects and would otherwise match several branches of `oneOf`;
 * - `readOnly` properties are not required in requests, `writeOnly` ones are not required in
 *   responses and must not appear there;
 * - local `$ref`s are rewritten to absolute ones so inline schemas resolve against the document.
 */

export type Direction = "request" | "response";
type Json = Record<string, unknown>;

const DROPPED_KEYS = new Set(["nullable", "discriminator", "example", "examples", "xml", "externalDocs", "deprecated", "description"]);

export class OpenApiSchemaConverter {
  constructor(
    private readonly components: Record<string, unknown>,
    private readonly direction: Direction,
    private readonly documentId: string,
  ) {}

  convert(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.convert(item));
    if (!isObject(node)) return node;

    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED_KEYS.has(key) || key.startsWith("x-")) continue;
      if (key === "$ref" && typeof value === "string") out.$ref = value.startsWith("#") ? this.documentId + value : value;
      else if (key === "properties" && isObject(value)) out.properties = this.convertProperties(value);
      else if (key === "required" && Array.isArray(value)) out.required = this.filterRequired(node, value as string[]);
      else out[key] = this.convert(value);
    }

    const discriminator = node.discriminator;
    if (isObject(discriminator) && Array.isArray(node.oneOf)) this.replaceOneOfWithDiscriminator(out, node.oneOf, discriminator);

    if (node.nullable === true) return { anyOf: [out, { type: "null" }] };
    return out;
  }

  private convertProperties(properties: Json): Json {
    const out: Json = {};
    for (const [name, schema] of Object.entries(properties)) {
      // A writeOnly property (e.g. author.userExternalId, content.markdownText) never comes back.
      out[name] = this.direction === "response" && this.hasFlag(schema, "writeOnly") ? false : this.convert(schema);
    }
    return out;
  }

  private filterRequired(node: Json, required: string[]): string[] {
    const properties = isObject(node.properties) ? node.properties : {};
    const flag = this.direction === "request" ? "readOnly" : "writeOnly";
    return required.filter((name) => !this.hasFlag(properties[name], flag));
  }

  private replaceOneOfWithDiscriminator(out: Json, branches: unknown[], discriminator: Json): void {
    const property = String(discriminator.propertyName);
    const mapping = isObject(discriminator.mapping) ? (discriminator.mapping as Record<string, string>) : this.implicitMapping(branches);
    const values = Object.keys(mapping);
    delete out.oneOf;
    out.type = "object";
    out.required = [...new Set([...(Array.isArray(out.required) ? (out.required as string[]) : []), property])];
    out.properties = { ...(isObject(out.properties) ? out.properties : {}), [property]: { type: "string", enum: values } };
    out.allOf = values.map((value) => ({
      if: { properties: { [property]: { const: value } }, required: [property] },
      then: { $ref: this.documentId + mapping[value] },
    }));
  }

  /** Without an explicit mapping, OpenAPI uses the referenced schema's name as the value. */
  private implicitMapping(branches: unknown[]): Record<string, string> {
    const mapping: Record<string, string> = {};
    for (const branch of branches) {
      if (!isObject(branch) || typeof branch.$ref !== "string") continue;
      const name = branch.$ref.split("/").pop()!;
      const target = this.resolve(branch.$ref);
      const typeProperty = isObject(target) && isObject(target.properties) ? target.properties.type : undefined;
      const declared = isObject(typeProperty) ? (Array.isArray(typeProperty.enum) ? typeProperty.enum[0] : typeProperty.default) : undefined;
      mapping[typeof declared === "string" ? declared : name] = branch.$ref;
    }
    return mapping;
  }

  private hasFlag(schema: unknown, flag: "readOnly" | "writeOnly", depth = 0): boolean {
    if (!isObject(schema) || depth > 5) return false;
    if (schema[flag] === true) return true;
    if (typeof schema.$ref === "string") return this.hasFlag(this.resolve(schema.$ref), flag, depth + 1);
    if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return this.hasFlag(schema.allOf[0], flag, depth + 1);
    return false;
  }

  private resolve(ref: string): unknown {
    const match = /^#\/components\/(\w+)\/(.+)$/.exec(ref);
    if (!match) return undefined;
    const group = this.components[match[1]!];
    return isObject(group) ? group[match[2]!] : undefined;
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
