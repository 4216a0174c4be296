import { zodResolver } from "@hookform/resolvers/zod";
import {
  BUILT_IN_ACTIONS,
  DEFAULT_TRANSFER_UTTERANCE,
  topicActionInput,
  topicInput,
  transferToZendeskResponse,
  type TopicInput,
  type TopicValues,
  type TopicView,
} from "@zm/contracts";
import { set, type FieldErrors, type Resolver } from "react-hook-form";

/**
 * The topic editor's values. They differ from `topicInput` only where a form needs text:
 * phrases are one per line, tags are comma-separated, custom fields are rows.
 */
export interface TopicFormValues {
  name: string;
  phrases: string;
  answer: string;
  actions: ActionFormValues[];
}

export type BuiltInAction = (typeof BUILT_IN_ACTIONS)[number];
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;

export interface ActionFormValues {
  action: BuiltInAction;
  utterance: string;
  tags: string;
  priority: "" | (typeof PRIORITIES)[number];
  group_id: string;
  brand_id: string;
  requester_name: string;
  requester_email: string;
  customFields: CustomFieldRow[];
}

export interface CustomFieldRow {
  fieldId: string;
  value: string;
}

export const MAX_ACTIONS = 5;
export const MAX_CUSTOM_FIELDS = 50;

export function emptyTopicForm(): TopicFormValues {
  return { name: "", phrases: "", answer: "", actions: [] };
}

export function newActionForm(action: BuiltInAction): ActionFormValues {
  return {
    action,
    utterance: DEFAULT_TRANSFER_UTTERANCE,
    tags: "",
    priority: "",
    group_id: "",
    brand_id: "",
    requester_name: "",
    requester_email: "",
    customFields: [],
  };
}

export function topicFormFromView(view: TopicView): TopicFormValues {
  return {
    name: view.name,
    phrases: view.phrases.join("\n"),
    answer: view.answer,
    actions: view.actions.map(({ action, utterance, options }) => ({
      action,
      utterance,
      tags: (options.tags ?? []).join(", "),
      priority: options.priority ?? "",
      group_id: options.group_id ?? "",
      brand_id: options.brand_id ?? "",
      requester_name: options.requester_name ?? "",
      requester_email: options.requester_email ?? "",
      customFields: Object.entries(options.custom_fields ?? {}).map(([fieldId, value]) => ({ fieldId, value: String(value) })),
    })),
  };
}

const linesOf = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

const tagsOf = (text: string) =>
  text
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);

const isBlankRow = (row: CustomFieldRow) => !row.fieldId.trim() && !row.value.trim();

type ActionInput = NonNullable<TopicInput["actions"]>[number];
type OptionsInput = NonNullable<ActionInput["options"]>;

/** One action in the schema's shape. Blank fields are left out: the schema reads absence as "not set". */
export function actionInputOf(form: ActionFormValues): ActionInput {
  const options: OptionsInput = {};
  const tags = tagsOf(form.tags);
  if (tags.length > 0) options.tags = tags;
  if (form.priority) options.priority = form.priority;
  for (const key of ["group_id", "brand_id", "requester_name", "requester_email"] as const) {
    if (form[key].trim()) options[key] = form[key];
  }
  const rows = form.customFields.filter((row) => !isBlankRow(row) && row.fieldId.trim());
  if (rows.length > 0) options.custom_fields = Object.fromEntries(rows.map((row) => [row.fieldId.trim(), row.value.trim()]));
  return { action: form.action, utterance: form.utterance, options };
}

/** The form's values in `topicInput`'s shape, for the same schema the server applies. */
export function topicInputOf(form: TopicFormValues): TopicInput {
  return { name: form.name, phrases: linesOf(form.phrases), answer: form.answer, actions: form.actions.map(actionInputOf) };
}

/**
 * Where the message for a schema path goes in the form: the server and the schema name
 * `actions.0.options.tags.1`, the form has one Tags box at `actions.0.tags`. Returns the form
 * path (or `null` for the whole form) and the message, made specific when one box holds many values.
 */
export function placeError(schemaPath: string, message: string, form: TopicFormValues): { path: string | null; message: string } {
  const parts = schemaPath.split(".");
  const [head, second, third, fourth] = parts;
  if (head === "name" || head === "answer") return { path: head, message };
  if (head === "phrases") return { path: "phrases", message: second === undefined ? message : `Phrase ${Number(second) + 1}: ${message}` };
  if (head !== "actions") return { path: null, message };
  if (second === undefined) return { path: "actions.root", message };
  const index = Number(second);
  const action = form.actions[index];
  if (!Number.isInteger(index) || !action) return { path: null, message };
  const at = (field: string) => `actions.${index}.${field}`;
  if (third === "action" || third === "utterance") return { path: at(third), message };
  if (third !== "options" || fourth === undefined) return { path: at("root"), message };
  if (fourth === "tags") {
    const tag = parts[4] === undefined ? undefined : tagsOf(action.tags)[Number(parts[4])];
    return { path: at("tags"), message: tag === undefined ? message : `Tag "${tag}": ${message}` };
  }
  if (fourth === "custom_fields") {
    // Record keys may contain dots, so the key is everything after "custom_fields.".
    const key = parts.slice(4).join(".");
    const row = key ? action.customFields.findIndex((r) => r.fieldId.trim() === key) : -1;
    if (row < 0) return { path: at("customFields.root"), message };
    return { path: at(`customFields.${row}.${/^\d{1,20}$/.test(key) ? "value" : "fieldId"}`), message };
  }
  if (["priority", "group_id", "brand_id", "requester_name", "requester_email"].includes(fourth)) return { path: at(fourth), message };
  return { path: at("root"), message };
}

/** Checks the schema cannot make: a record has no room for a row without an id, or for two rows with one id. */
export function customFieldRowErrors(form: TopicFormValues): Array<{ path: string; message: string }> {
  const errors: Array<{ path: string; message: string }> = [];
  form.actions.forEach((action, a) => {
    const seen = new Set<string>();
    action.customFields.forEach((row, r) => {
      const id = row.fieldId.trim();
      if (isBlankRow(row)) return;
      if (!id) errors.push({ path: `actions.${a}.customFields.${r}.fieldId`, message: "Enter the ticket field ID for this value" });
      else if (seen.has(id)) errors.push({ path: `actions.${a}.customFields.${r}.fieldId`, message: `Field ID ${id} is already used in this action` });
      seen.add(id);
    });
  });
  return errors;
}

/** Every message in a nested react-hook-form error tree, with its dotted path. */
function messagesIn(node: unknown, path: string[] = []): Array<[string, string]> {
  if (!node || typeof node !== "object") return [];
  const entries = Object.entries(node as Record<string, unknown>);
  const isLeaf = typeof (node as { message?: unknown }).message === "string";
  const found: Array<[string, string]> = isLeaf ? [[path.join("."), (node as { message: string }).message]] : [];
  for (const [key, child] of entries) {
    // A leaf's own bookkeeping; anything else that is an object is a nested field (a custom field id may be "type").
    if (isLeaf && (key === "ref" || key === "types")) continue;
    if (child && typeof child === "object") found.push(...messagesIn(child, [...path, key]));
  }
  return found;
}

export const FORM_LEVEL_FALLBACK = "Some values could not be checked. Review the topic and try again.";

const validateTopicInput = zodResolver(topicInput);

/**
 * Validates with the contracts' `topicInput`, the schema the server applies, after converting
 * the form to its shape; messages are then moved onto the form's own fields.
 */
export const topicFormResolver: Resolver<TopicFormValues, unknown, TopicValues> = async (form, context, options) => {
  const result = await validateTopicInput(topicInputOf(form), context, {
    criteriaMode: options.criteriaMode,
    // No DOM refs and no field-array guessing: the paths are the schema's, not the form's.
    fields: {},
    names: [],
    shouldUseNativeValidation: false,
  });
  const schemaMessages = messagesIn(result.errors);
  const placed = [...schemaMessages.map(([path, message]) => placeError(path, message, form)), ...customFieldRowErrors(form)];
  const schemaRefused = Object.keys(result.errors).length > 0;
  if (!schemaRefused && placed.length === 0) return { values: result.values as TopicValues, errors: {} };
  const errors: FieldErrors<TopicFormValues> = {};
  for (const { path, message } of placed) {
    const target = path ?? "root";
    if (!hasMessageAt(errors, target)) set(errors, target, { type: "validate", message });
  }
  // The schema refused something no field could show (react-hook-form stores nothing under "constructor"): never submit.
  if (Object.keys(errors).length === 0) set(errors, "root", { type: "validate", message: FORM_LEVEL_FALLBACK });
  return { values: {}, errors };
};

function hasMessageAt(errors: object, path: string): boolean {
  let node: unknown = errors;
  for (const key of path.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  return typeof (node as { message?: unknown } | undefined)?.message === "string";
}

/** What the action returns to the conversation, pretty-printed; null while the action's fields are invalid. */
export function responsePreviewOf(action: ActionFormValues): string | null {
  const parsed = topicActionInput.safeParse(actionInputOf(action));
  if (!parsed.success) return null;
  return JSON.stringify(transferToZendeskResponse(parsed.data), null, 2);
}
