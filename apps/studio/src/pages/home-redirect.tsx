import { useQuery } from "@tanstack/react-query";
import { Navigate } from "react-router";
import { useTRPC } from "../trpc.ts";

export function HomeRedirect() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const first = me.data?.projects[0];
  if (!first) return <p className="page-status">You are not a member of any project yet. Ask an admin to add you.</p>;
  return <Navigate to={`/projects/${first.id}/configure/integrations`} replace />;
}
