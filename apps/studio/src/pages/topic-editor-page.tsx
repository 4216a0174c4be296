import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import type { TopicValues } from "@zm/contracts";
import { ConfirmDialog } from "@zm/ui";
import { useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { TopicForm, type TopicSubmitResult } from "../knowledge/topic-form.tsx";
import { fieldErrorsOf, messageOf, useTRPC } from "../trpc.ts";
import { useNavigationNotice, type NoticeState } from "./navigation-notice.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

/** Creates a topic at /knowledge/new, edits one at /knowledge/:topicId. */
export function TopicEditorPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { projectId, project } = useProject();
  const { topicId } = useParams();
  const topicQuery = trpc.knowledge.getTopic.queryOptions({ projectId, topicId: topicId ?? "" });
  const topic = useQuery({ ...topicQuery, enabled: project !== null && topicId !== undefined });
  const [notice, setNotice] = useNavigationNotice();
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const create = useMutation(trpc.knowledge.createTopic.mutationOptions());
  const update = useMutation(trpc.knowledge.updateTopic.mutationOptions());
  const remove = useMutation(trpc.knowledge.deleteTopic.mutationOptions());
  const savedName = topic.data?.name;
  useEffect(() => {
    document.title = `${topicId ? (savedName ?? "Topic") : "New topic"} · Knowledge · Studio`;
  }, [topicId, savedName]);

  if (!project) return <NotFoundPage />;
  if (topicId && topic.isPending) return <p role="status">Loading…</p>;
  if (topicId && topic.isError) {
    if (topic.error instanceof TRPCClientError && (topic.error.data?.code === "NOT_FOUND" || topic.error.data?.code === "BAD_REQUEST")) return <NotFoundPage />;
    return <p role="alert">{messageOf(topic.error)}</p>;
  }
  const view = topic.data ?? null;
  const listPath = `/projects/${projectId}/knowledge`;
  const refreshList = () => queryClient.invalidateQueries(trpc.knowledge.listTopics.queryFilter({ projectId }));

  const save = async (values: TopicValues): Promise<TopicSubmitResult> => {
    setNotice(null);
    try {
      if (!topicId) {
        const created = await create.mutateAsync({ projectId, ...values });
        queryClient.setQueryData(trpc.knowledge.getTopic.queryKey({ projectId, topicId: created.id }), created);
        void refreshList();
        const state: NoticeState = { notice: "Topic created." };
        await navigate(`${listPath}/${created.id}`, { replace: true, state });
      } else {
        const result = await update.mutateAsync({ projectId, topicId, ...values });
        queryClient.setQueryData(topicQuery.queryKey, result.topic);
        void refreshList();
        setNotice("Topic saved.");
      }
      return { ok: true };
    } catch (err) {
      return { ok: false, fieldErrors: fieldErrorsOf(err), formError: messageOf(err) };
    }
  };

  const confirmDelete = async () => {
    if (!topicId || !view) return;
    setDeleteError(null);
    try {
      await remove.mutateAsync({ projectId, topicId });
      queryClient.removeQueries({ queryKey: topicQuery.queryKey });
      void refreshList();
      const state: NoticeState = { notice: `Topic "${view.name}" was deleted.` };
      await navigate(listPath, { state });
    } catch (err) {
      setConfirming(false);
      setDeleteError(messageOf(err));
    }
  };

  return (
    <section aria-labelledby="topic-title" className="narrow">
      <p className="breadcrumb">
        <Link to={listPath}>Knowledge</Link> /
      </p>
      <h1 id="topic-title">{view ? view.name : "New topic"}</h1>
      <div role="status" aria-live="polite" className="notice">
        {notice}
      </div>
      {deleteError ? (
        <p role="alert" className="zm-form__error">
          {deleteError}
        </p>
      ) : null}
      <TopicForm
        key={topicId ?? "new"}
        view={view}
        onSubmit={save}
        extraActions={
          view ? (
            <button type="button" className="zm-button zm-button--danger" onClick={() => setConfirming(true)}>
              Delete topic
            </button>
          ) : null
        }
      />
      {view ? (
        <ConfirmDialog
          open={confirming}
          title="Delete this topic?"
          body={`The AI agent stops recognising "${view.name}" and its actions are removed. This cannot be undone.`}
          confirmLabel="Delete topic"
          busy={remove.isPending}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}
