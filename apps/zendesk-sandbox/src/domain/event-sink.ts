import type { AppRecord, TicketRecord, TicketStatus } from "../state/model.ts";

/** A Sunshine webhook event before it is shaped for a particular webhook's options. */
export interface SunshineEvent {
  id: string;
  createdAt: string;
  type: string;
  /** Built with full users and full sources; the dispatcher trims them per webhook settings. */
  payload: Record<string, unknown>;
}

export interface SunshineEventSink {
  publish(app: AppRecord, event: SunshineEvent): void;
}

export interface TicketStatusSink {
  statusChanged(app: AppRecord, ticket: TicketRecord, previous: TicketStatus): void;
}
