import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { Navigate, NavLink, Outlet, useLocation, useNavigate, useParams } from "react-router";
import { useTRPC } from "../trpc.ts";

/** Signed-in layout: header, project navigation, and the page. Signed-out visitors go to /login. */
export function AppShell() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const location = useLocation();
  const { projectId } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: async () => {
        queryClient.clear();
        await navigate("/login");
      },
    }),
  );
  const project = me.data?.projects.find((p) => p.id === projectId);
  useEffect(() => {
    document.title = project ? `${project.name} · Studio` : "Studio";
  }, [project]);

  if (me.isPending) return <p className="page-status" role="status">Loading…</p>;
  if (me.isError) return <p className="page-status" role="alert">Studio could not reach the server. Reload to try again.</p>;
  if (!me.data.user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell__header">
        <span className="shell__brand">Studio</span>
        {project ? (
          <span className="shell__project">
            {project.name} <span className="shell__role">({project.role})</span>
          </span>
        ) : null}
        <span className="shell__user">{me.data.user.name}</span>
        <button type="button" className="zm-button zm-button--small" onClick={() => signOut.mutate()}>
          Sign out
        </button>
      </header>
      <div className="shell__body">
        {projectId ? (
          <nav className="shell__nav" aria-label="Project">
            <p className="shell__nav-group" id="nav-build">
              Build
            </p>
            <ul aria-labelledby="nav-build">
              <li>
                <NavLink to={`/projects/${projectId}/knowledge`}>Knowledge</NavLink>
              </li>
            </ul>
            <p className="shell__nav-group" id="nav-configure">
              Configure
            </p>
            <ul aria-labelledby="nav-configure">
              <li>
                <NavLink to={`/projects/${projectId}/configure/integrations`}>Integrations</NavLink>
              </li>
              <li>
                <NavLink to={`/projects/${projectId}/configure/handoff`}>Hand-off</NavLink>
              </li>
            </ul>
            <p className="shell__nav-group" id="nav-monitor">
              Monitor
            </p>
            <ul aria-labelledby="nav-monitor">
              <li>
                <NavLink to={`/projects/${projectId}/handoffs`}>Hand-offs</NavLink>
              </li>
            </ul>
          </nav>
        ) : null}
        <main id="main" className="shell__main" tabIndex={-1}>
          <Outlet context={me.data} />
        </main>
      </div>
    </div>
  );
}
