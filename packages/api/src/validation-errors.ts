import type { z } from "zod";

/** What a client gets for refused input: messages keyed by the field's full path. */
export interface ValidationErrors {
  formErrors: string[];
  fieldErrors: Record<string, string[]>;
}

/**
 * Like `z.flattenError`, but keyed by the whole path ("actions.0.options.priority") rather than
 * its first segment, so a form can put the message next to a nested field. Top-level fields keep
 * the key flattenError gives them.
 */
export function validationErrorsOf(error: z.ZodError): ValidationErrors {
  const formErrors: string[] = [];
  const byPath = new Map<string, string[]>();
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    if (path === "") {
      formErrors.push(issue.message);
      continue;
    }
    const messages = byPath.get(path) ?? [];
    messages.push(issue.message);
    byPath.set(path, messages);
  }
  // fromEntries defines own properties, so a user-chosen key such as "__proto__" stays data.
  return { formErrors, fieldErrors: Object.fromEntries(byPath) };
}
