import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link } from "react-router";
import { messageOf, useTRPC } from "../trpc.ts";
import { useNavigationNotice } from "./navigation-notice.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

export function KnowledgePage() {
  const trpc = useTRPC();
  const { projectId, project } = useProject();
  const [notice] = useNavigationNotice();
  const topics = useQuery({ ...trpc.knowledge.listTopics.queryOptions({ projectId }), enabled: project !== null });
  useEffect(() => {
    document.title = "Knowledge · Studio";
  }, []);
  if (!project) return <NotFoundPage />;

  return (
    <section aria-labelledby="knowledge-title">
      <p className="breadcrumb">Build</p>
      <h1 id="knowledge-title">Knowledge</h1>
      <p className="lead">The topics your AI agent recognises, what it answers, and the actions it runs, such as handing the conversation to a Zendesk agent.</p>
      <div role="status" aria-live="polite" className="notice">
        {notice}
      </div>
      <div className="page-actions">
        <Link className="zm-button zm-button--primary" to={`/projects/${projectId}/knowledge/new`}>
          New topic
        </Link>
      </div>
      {topics.isPending ? (
        <p role="status">Loading topics…</p>
      ) : topics.isError ? (
        <p role="alert" className="zm-form__error">
          {messageOf(topics.error)}
        </p>
      ) : topics.data.length === 0 ? (
        <p>No topics yet. Create one to teach your AI agent what end users ask about and when to hand them to an agent.</p>
      ) : (
        <table className="data-table">
          <caption>Topics</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Example phrases</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {topics.data.map((topic) => (
              <tr key={topic.id}>
                <th scope="row">
                  <Link to={`/projects/${projectId}/knowledge/${topic.id}`}>{topic.name}</Link>
                </th>
                <td>{topic.phraseCount}</td>
                <td>{topic.actions.length > 0 ? topic.actions.join(", ") : <span className="muted">None</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
