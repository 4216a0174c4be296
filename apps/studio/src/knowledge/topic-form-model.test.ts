import { DEFAULT_TRANSFER_UTTERANCE, topicInput, type TopicView } from "@zm/contracts";
import { get, type FieldErrors, type ResolverOptions } from "react-hook-form";
import { describe, expect, it } from "vitest";
import {
  FORM_LEVEL_FALLBACK,
  newActionForm,
  placeError,
  responsePreviewOf,
  topicFormFromView,
  topicFormResolver,
  topicInputOf,
  type ActionFormValues,
  type TopicFormValues,
} from "./topic-form-model.ts";

const resolverOptions: ResolverOptions<TopicFormValues> = { fields: {}, shouldUseNativeValidation: false };

function formWith(action: Partial<ActionFormValues> = {}, topic: Partial<TopicFormValues> = {}): TopicFormValues {
  return {
    name: "Talk to a human",
    phrases: "agent please\n\n  real person  \n",
    answer: "",
    actions: [{ ...newActionForm("transfer_to_zendesk"), ...action }],
    ...topic,
  };
}

async function errorsOf(form: TopicFormValues): Promise<Record<string, string>> {
  const { errors } = await topicFormResolver(form, undefined, resolverOptions);
  const paths = [
    "root",
    "name",
    "phrases",
    "answer",
    "actions.root",
    ...form.actions.flatMap((a, i) => [
      ...["root", "action", "utterance", "tags", "priority", "group_id", "brand_id", "requester_name", "requester_email", "customFields.root"].map(
        (f) => `actions.${i}.${f}`,
      ),
      ...a.customFields.flatMap((_, r) => [`actions.${i}.customFields.${r}.fieldId`, `actions.${i}.customFields.${r}.value`]),
    ]),
  ];
  const found: Record<string, string> = {};
  for (const path of paths) {
    const message = (get(errors as FieldErrors<TopicFormValues>, path) as { message?: unknown } | undefined)?.message;
    if (typeof message === "string") found[path] = message;
  }
  return found;
}

describe("form values in the schema's shape", () => {
  it("splits phrases by line and tags by comma, drops blanks and leaves unset options out", () => {
    const form = formWith({ tags: " vip, , billing ,", priority: "high", group_id: " 360001 ", customFields: [{ fieldId: " 42 ", value: " gold " }, { fieldId: "", value: "" }] });
    expect(topicInputOf(form)).toEqual({
      name: "Talk to a human",
      phrases: ["agent please", "real person"],
      answer: "",
      actions: [
        {
          action: "transfer_to_zendesk",
          utterance: DEFAULT_TRANSFER_UTTERANCE,
          options: { tags: ["vip", "billing"], priority: "high", group_id: " 360001 ", custom_fields: { "42": "gold" } },
        },
      ],
    });
  });

  it("round-trips a stored topic through the form unchanged", () => {
    const view: TopicView = {
      id: "topic_x",
      name: "Talk to a human",
      phrases: ["agent", "human"],
      answer: "Sure",
      actions: [
        {
          action: "transfer_to_zendesk",
          utterance: "One moment",
          options: { tags: ["vip", "billing"], priority: "urgent", brand_id: "9", requester_email: "a@b.co", custom_fields: { "42": "gold", "7": "x" } },
        },
      ],
      updatedAt: new Date(0).toISOString(),
    };
    const { id: _id, updatedAt: _updatedAt, ...content } = view;
    expect(topicInput.parse(topicInputOf(topicFormFromView(view)))).toEqual(content);
  });
});

describe("validation with the contracts' schema, placed on the form's fields", () => {
  it("accepts a valid topic and yields the schema's output", async () => {
    const result = await topicFormResolver(formWith({ tags: "VIP", requester_email: " Ann@Example.com " }), undefined, resolverOptions);
    expect(result.errors).toEqual({});
    expect(result.values).toMatchObject({ actions: [{ options: { tags: ["vip"], requester_email: "ann@example.com" } }] });
  });

  it("puts each routing error next to its own field", async () => {
    const form = formWith({ tags: "ok, vip customer", group_id: "support", brand_id: "12a", requester_email: "ann at example" });
    expect(await errorsOf(form)).toEqual({
      "actions.0.tags": 'Tag "vip customer": Tags have no spaces or commas (use _ or -)',
      "actions.0.group_id": "group_id is the number Zendesk shows for it, e.g. 360001234567",
      "actions.0.brand_id": "brand_id is the number Zendesk shows for it, e.g. 360001234567",
      "actions.0.requester_email": "requester_email must be an email address",
    });
  });

  it("shows topic-level errors on name and phrases and an empty utterance on the utterance", async () => {
    expect(await errorsOf(formWith({ utterance: "  " }, { name: " ", phrases: "\n \n" }))).toEqual({
      name: "Name is required",
      phrases: "Add at least one example phrase",
      "actions.0.utterance": "The utterance cannot be empty",
    });
    expect(await errorsOf(formWith({}, { phrases: `ok\n${"x".repeat(201)}` }))).toEqual({ phrases: "Phrase 2: A phrase has at most 200 characters" });
  });

  it("puts a custom field error on the row it came from: the id when the id is wrong, else the value", async () => {
    const form = formWith({
      customFields: [
        { fieldId: "42", value: "fine" },
        { fieldId: "plan", value: "gold" },
        { fieldId: "7", value: "x".repeat(1001) },
      ],
    });
    expect(await errorsOf(form)).toEqual({
      "actions.0.customFields.1.fieldId": "Custom fields are keyed by the ticket field id (digits)",
      "actions.0.customFields.2.value": "A custom field value has at most 1000 characters",
    });
  });

  it("refuses rows the record cannot hold: a value without an id, the same id twice", async () => {
    const form = formWith({
      customFields: [
        { fieldId: "42", value: "a" },
        { fieldId: "", value: "orphan" },
        { fieldId: " 42 ", value: "b" },
        { fieldId: "", value: "" },
      ],
    });
    expect(await errorsOf(form)).toEqual({
      "actions.0.customFields.1.fieldId": "Enter the ticket field ID for this value",
      "actions.0.customFields.2.fieldId": "Field ID 42 is already used in this action",
    });
  });

  it("points at the second action when only the second is wrong", async () => {
    const form = formWith();
    form.actions.push({ ...newActionForm("transfer_to_zendesk"), requester_email: "nope" });
    expect(await errorsOf(form)).toEqual({ "actions.1.requester_email": "requester_email must be an email address" });
  });

  it("never lets a refused topic through, even when no field can show why", async () => {
    // The schema refuses the key "constructor", and react-hook-form will not store an error under it.
    const form = formWith({ customFields: [{ fieldId: "constructor", value: "x" }] });
    const result = await topicFormResolver(form, undefined, resolverOptions);
    expect(result.values).toEqual({});
    expect(await errorsOf(form)).toEqual({ root: FORM_LEVEL_FALLBACK });
  });
});

describe("server errors mapped onto the same fields", () => {
  const form = formWith({ tags: "a, b c", customFields: [{ fieldId: "99", value: "v" }] });
  it.each([
    ["actions.0.options.priority", "actions.0.priority"],
    ["actions.0.options.tags.1", "actions.0.tags"],
    ["actions.0.options.tags", "actions.0.tags"],
    ["actions.0.options.custom_fields.99", "actions.0.customFields.0.value"],
    ["actions.0.options.custom_fields", "actions.0.customFields.root"],
    ["actions.0.options", "actions.0.root"],
    ["actions.0.utterance", "actions.0.utterance"],
    ["actions", "actions.root"],
    ["phrases.0", "phrases"],
    ["name", "name"],
    ["actions.7.options.priority", null],
    ["projectId", null],
  ])("%s → %s", (schemaPath, formPath) => {
    expect(placeError(schemaPath, "m", form).path).toBe(formPath);
  });
});

describe("response preview", () => {
  it("shows what the action returns, routing nested under zendesk_integration", () => {
    const preview = responsePreviewOf({ ...newActionForm("transfer_to_zendesk"), tags: "VIP", priority: "high", customFields: [{ fieldId: "42", value: "gold" }] });
    expect(JSON.parse(preview!)).toEqual({
      utterance: DEFAULT_TRANSFER_UTTERANCE,
      handoff: { text_chat: { zendesk_integration: { tags: ["vip"], priority: "high", custom_fields: { "42": "gold" } } } },
    });
    expect(preview).toContain('\n  "handoff": {');
  });

  it("shows nothing while the action is invalid", () => {
    expect(responsePreviewOf({ ...newActionForm("transfer_to_zendesk"), group_id: "abc" })).toBeNull();
  });
});
