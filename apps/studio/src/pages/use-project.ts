import { useOutletContext, useParams } from "react-router";

interface ShellData {
  user: { id: string; name: string; email: string } | null;
  projects: Array<{ id: string; name: string; role: "admin" | "designer" }>;
}

/** The current project and the signed-in user's role on it (null when not a member). */
export function useProject() {
  const { projectId = "" } = useParams();
  const shell = useOutletContext<ShellData>();
  const project = shell.projects.find((p) => p.id === projectId) ?? null;
  return { projectId, project, isAdmin: project?.role === "admin" };
}
