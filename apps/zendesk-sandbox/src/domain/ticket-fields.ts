import type { Metadata } from "../state/model.ts";

/**
 * Reads the passControl metadata keys Agent Workspace understands (PROTOCOL §2.6):
 * `dataCapture.systemField.*`, `dataCapture.ticketField.<id>`, `first_message_id`, `origin_source_type`.
 */
export interface CapturedTicketFields {
  requesterName?: string;
  requesterEmail?: string;
  tags: string[];
  priority: string | null;
  groupId: number | string | null;
  brandId: number | string | null;
  assigneeId: number | string | null;
  organizationId: number | string | null;
  formId: number | string | null;
  subject?: string;
  description?: string;
  customFields: Record<string, string>;
  firstMessageId?: string;
  originSourceType: string | null;
}

const SYSTEM = "dataCapture.systemField.";
const TICKET_FIELD = "dataCapture.ticketField.";
const PRIORITIES = new Set(["low", "normal", "high", "urgent"]);

export function captureTicketFields(metadata: Metadata): CapturedTicketFields {
  const text = (key: string): string | undefined => {
    const value = metadata[key];
    return value === undefined || value === "" ? undefined : String(value);
  };
  const priority = text(`${SYSTEM}priority`)?.toLowerCase();
  const customFields: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key.startsWith(TICKET_FIELD) && key.length > TICKET_FIELD.length) customFields[key.slice(TICKET_FIELD.length)] = String(value);
  }
  return {
    requesterName: text(`${SYSTEM}requester.name`),
    requesterEmail: text(`${SYSTEM}requester.email`),
    tags: parseTags(text(`${SYSTEM}tags`) ?? ""),
    priority: priority && PRIORITIES.has(priority) ? priority : null,
    groupId: numericId(text(`${SYSTEM}group_id`)),
    brandId: numericId(text(`${SYSTEM}brand_id`)),
    assigneeId: numericId(text(`${SYSTEM}assignee_id`)),
    organizationId: numericId(text(`${SYSTEM}organization_id`)),
    formId: numericId(text(`${SYSTEM}ticket_form_id`)),
    subject: text(`${SYSTEM}subject`),
    description: text(`${SYSTEM}description`),
    customFields,
    firstMessageId: text("first_message_id"),
    originSourceType: text("origin_source_type") ?? null,
  };
}

/** Zendesk tags are lower-case and cannot hold spaces: a space separates two tags, like a comma. */
export function parseTags(raw: string): string[] {
  const tags = raw
    .split(/[,\s]+/)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
  return [...new Set(tags)];
}

/** Zendesk ids are numbers; keep a non-numeric value as text so nothing given is lost. */
function numericId(value: string | undefined): number | string | null {
  if (value === undefined) return null;
  return /^\d{1,15}$/.test(value) ? Number(value) : value;
}
