import { z } from "zod";

export const DEFAULT_TRANSFER_UTTERANCE = "No problem, I'll transfer you to one of our agents now.";
export const DEFAULT_CLOSING_MESSAGE =
  "Your conversation with our agent has ended. I'm the virtual assistant again. Is there anything else I can help with?";

const zendeskNumericId = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, `${label} is the number Zendesk shows for it, e.g. 360001234567`);

/** Zendesk tags are lower-case words without spaces; Zendesk lower-cases them anyway. */
const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "A tag cannot be empty")
  .max(80, "A tag has at most 80 characters")
  .regex(/^[\p{L}\p{N}_\-:/.]+$/u, "Tags have no spaces or commas (use _ or -)");

const CUSTOM_FIELD_KEY_MESSAGE = "Custom fields are keyed by the ticket field id (digits)";

const customFieldValue = z.union([z.string().max(1000, "A custom field value has at most 1000 characters"), z.number(), z.boolean()]);

/**
 * Routing for the ticket Agent Workspace creates: mapped to passControl metadata
 * (`dataCapture.systemField.*` and `dataCapture.ticketField.<id>`).
 */
export const zendeskIntegrationOptions = z
  .object({
    tags: z.array(tag).max(20, "At most 20 tags").optional(),
    priority: z.enum(["low", "normal", "high", "urgent"], { message: "Priority is low, normal, high or urgent" }).optional(),
    group_id: zendeskNumericId("group_id").optional(),
    brand_id: zendeskNumericId("brand_id").optional(),
    custom_fields: z
      .record(z.string().regex(/^\d{1,20}$/, CUSTOM_FIELD_KEY_MESSAGE), customFieldValue, {
        // zod reports a bad record key as "Invalid key in record" unless the record says otherwise.
        error: (issue) => (issue.code === "invalid_key" ? CUSTOM_FIELD_KEY_MESSAGE : undefined),
      })
      .refine((r) => Object.keys(r).length <= 50, "At most 50 custom fields")
      .optional(),
    requester_name: z.string().trim().min(1).max(200, "requester_name has at most 200 characters").optional(),
    requester_email: z.string().trim().toLowerCase().pipe(z.email("requester_email must be an email address")).optional(),
  })
  .strict()
  // Sunshine caps passControl metadata at 4 KB; leave room for the keys we add around these.
  .refine((options) => JSON.stringify(options).length <= ROUTING_OPTIONS_MAX_CHARS, {
    message: "These routing fields are too large for Zendesk (passControl metadata is limited to 4 KB): use fewer or shorter tags and custom fields",
  });

/** The most routing data (as JSON) a hand-off may carry; see the 4 KB metadata limit. */
export const ROUTING_OPTIONS_MAX_CHARS = 2_500;
export type ZendeskIntegrationOptions = z.infer<typeof zendeskIntegrationOptions>;

/** The shared chat hand-off shape every hand-off function returns. */
export const handoffResponse = z.object({
  utterance: z.string(),
  handoff: z.object({
    text_chat: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
});
export type HandoffResponse = z.infer<typeof handoffResponse>;

export const BUILT_IN_ACTIONS = ["transfer_to_zendesk"] as const;

export const topicActionInput = z.object({
  action: z.enum(BUILT_IN_ACTIONS, { message: "Unknown action" }),
  utterance: z.string().trim().min(1, "The utterance cannot be empty").max(500, "At most 500 characters").default(DEFAULT_TRANSFER_UTTERANCE),
  options: zendeskIntegrationOptions.default({}),
});
export type TopicActionInput = z.input<typeof topicActionInput>;

export const topicInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(100, "At most 100 characters"),
  phrases: z
    .array(z.string().trim().min(1, "A phrase cannot be empty").max(200, "A phrase has at most 200 characters"))
    .min(1, "Add at least one example phrase")
    .max(50, "At most 50 phrases"),
  answer: z.string().trim().max(2000, "At most 2000 characters").default(""),
  actions: z.array(topicActionInput).max(5, "At most 5 actions").default([]),
});
export type TopicInput = z.input<typeof topicInput>;

export const topicView = z.object({
  id: z.string(),
  name: z.string(),
  phrases: z.array(z.string()),
  answer: z.string(),
  actions: z.array(z.object({ action: z.enum(BUILT_IN_ACTIONS), utterance: z.string(), options: zendeskIntegrationOptions })),
  updatedAt: z.iso.datetime(),
});
export type TopicView = z.infer<typeof topicView>;

export const handoffSettingsInput = z.object({
  closingMessage: z.string().trim().min(1, "The closing message cannot be empty").max(1000, "At most 1000 characters"),
  waitNoticeAfterSeconds: z.coerce.number().int().min(10, "At least 10 seconds").max(3600, "At most an hour"),
  waitNoticeMessage: z.string().trim().min(1, "The waiting message cannot be empty").max(1000, "At most 1000 characters"),
  idleTimeoutMinutes: z.coerce.number().int().min(1, "At least 1 minute").max(1440, "At most 24 hours"),
});
export type HandoffSettings = z.output<typeof handoffSettingsInput>;

export const DEFAULT_HANDOFF_SETTINGS: HandoffSettings = {
  closingMessage: DEFAULT_CLOSING_MESSAGE,
  waitNoticeAfterSeconds: 120,
  waitNoticeMessage: "Thanks for waiting. All our agents are busy right now; you're still in the queue and an agent will be with you soon.",
  idleTimeoutMinutes: 30,
};

/** Topic ids look like topic_ followed by URL-safe random characters. */
export const topicIdSchema = z.string().regex(/^topic_[A-Za-z0-9_-]{1,64}$/, "Topic ids look like topic_ followed by letters and digits");

/** One row of the Knowledge list: enough to recognise a topic without loading its phrases. */
export const topicSummary = z.object({
  id: z.string(),
  name: z.string(),
  phraseCount: z.number().int(),
  actions: z.array(z.enum(BUILT_IN_ACTIONS)),
  updatedAt: z.iso.datetime(),
});
export type TopicSummary = z.infer<typeof topicSummary>;

/** Stored settings, defaults filled in. Looser than the input so a tightened rule never hides saved values. */
export const handoffSettingsView = z.object({
  closingMessage: z.string(),
  waitNoticeAfterSeconds: z.number().int(),
  waitNoticeMessage: z.string(),
  idleTimeoutMinutes: z.number().int(),
});
export type HandoffSettingsView = z.infer<typeof handoffSettingsView>;

export const HANDOFF_SETTINGS_FIELDS = ["closingMessage", "waitNoticeAfterSeconds", "waitNoticeMessage", "idleTimeoutMinutes"] as const;

/** What the transfer_to_zendesk action returns: the utterance, then the routing for Zendesk. */
export function transferToZendeskResponse(action: { utterance: string; options: ZendeskIntegrationOptions }): HandoffResponse {
  return { utterance: action.utterance, handoff: { text_chat: { zendesk_integration: { ...action.options } } } };
}

/** A topic after validation: defaults applied, text trimmed, tags lower-cased. */
export type TopicValues = z.output<typeof topicInput>;
