/**
 * Constraints the spec states in prose rather than in its schemas; real Zendesk enforces them,
 * so the sandbox does too. Each returns readable problems for a 400.
 */

const METADATA_LIMIT_BYTES = 4096;

/** "Flat object … strings, numbers and booleans … limited to 4KB" (spec `metadata`). */
export function metadataProblems(metadata: unknown, where: string): string[] {
  if (metadata === undefined || metadata === null) return [];
  if (typeof metadata !== "object" || Array.isArray(metadata)) return [`${where} must be an object`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (!["string", "number", "boolean"].includes(typeof value)) problems.push(`${where}.${key} must be a string, number or boolean: metadata must be flat`);
  }
  if (Buffer.byteLength(JSON.stringify(metadata)) > METADATA_LIMIT_BYTES) problems.push(`${where} is larger than 4KB`);
  return problems;
}

/** Text content needs `text` unless `actions`, `htmlText` or `markdownText` is given; html and markdown exclude each other. */
export function contentProblems(content: unknown): string[] {
  if (typeof content !== "object" || content === null) return [];
  const c = content as Record<string, unknown>;
  const problems: string[] = [];
  if (c.type === "text") {
    const hasActions = Array.isArray(c.actions) && c.actions.length > 0;
    const hasText = typeof c.text === "string" && c.text.length > 0;
    if (!hasText && !hasActions && c.htmlText === undefined && c.markdownText === undefined) {
      problems.push("content.text is required unless actions, htmlText or markdownText is provided");
    }
  }
  if (c.htmlText !== undefined && c.markdownText !== undefined) problems.push("content.htmlText cannot be used with content.markdownText");
  return problems;
}

/** Every rule that applies to an operation's body. */
export function documentedRuleProblems(operationId: string, body: unknown): string[] {
  if (typeof body !== "object" || body === null) return [];
  const b = body as Record<string, unknown>;
  const problems = metadataProblems(b.metadata, "body.metadata");
  if (operationId === "PostMessage") problems.push(...contentProblems(b.content));
  if (operationId === "PostActivity") {
    const author = b.author as { type?: unknown } | undefined;
    if (author?.type === "user" && b.type !== "conversation:read") {
      problems.push(`body.type ${String(b.type)} is not supported when author.type is user; only conversation:read is`);
    }
  }
  return problems;
}
