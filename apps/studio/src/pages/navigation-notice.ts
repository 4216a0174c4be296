/** A message for the next page ("Topic deleted."), carried in the router's location state. */
export interface NoticeState {
  notice: string;
}

export function noticeFrom(state: unknown): string | null {
  if (state && typeof state === "object" && "notice" in state && typeof state.notice === "string") return state.notice;
  return null;
}
