/** An error with the HTTP status and Sunshine-style `{code, title}` it should be answered with. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    title: string,
    readonly extraErrors: { code: string; title: string }[] = [],
  ) {
    super(title);
  }

  get title(): string {
    return this.message;
  }
}

export const notFound = (code: string, title: string) => new SandboxHttpError(404, code, title);
export const badRequest = (title: string) => new SandboxHttpError(400, "bad_request", title);
export const forbidden = (title = "Forbidden") => new SandboxHttpError(403, "forbidden", title);
export const conflict = (title: string) => new SandboxHttpError(409, "conflict", title);
