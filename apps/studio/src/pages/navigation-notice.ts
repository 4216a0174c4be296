import { useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";

/** A message for the next page ("Topic deleted."), carried in the router's location state. */
export interface NoticeState {
  notice: string;
}

export function noticeFrom(state: unknown): string | null {
  if (state && typeof state === "object" && "notice" in state && typeof state.notice === "string") return state.notice;
  return null;
}

/**
 * The page's status message: one the previous page passed along, or one this page sets.
 * Re-read on every navigation, because /knowledge/new → /knowledge/:id keeps the same component.
 */
export function useNavigationNotice() {
  const location = useLocation();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<string | null>(() => noticeFrom(location.state));
  const incoming = noticeFrom(location.state);
  const here = location.pathname + location.search;
  useEffect(() => {
    if (!incoming) return;
    setNotice(incoming);
    // Dropped from history, so a reload or Back does not announce it again.
    void navigate(here, { replace: true, state: null });
  }, [incoming, here, location.key, navigate]);
  return [notice, setNotice] as const;
}
