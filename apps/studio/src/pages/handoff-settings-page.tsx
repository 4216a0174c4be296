import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { handoffSettingsInput, type HandoffSettings, type HandoffSettingsView } from "@zm/contracts";
import { Field } from "@zm/ui";
import { useEffect, useState } from "react";
import { useForm, type FieldPath } from "react-hook-form";
import type { z } from "zod";
import { useFocusFirstInvalid } from "../components/use-focus-first-invalid.ts";
import { fieldErrorsOf, messageOf, useTRPC } from "../trpc.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

type SettingsFormInput = z.input<typeof handoffSettingsInput>;

export function HandoffSettingsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { projectId, project, isAdmin } = useProject();
  const settingsQuery = trpc.handoffSettings.get.queryOptions({ projectId });
  const settings = useQuery({ ...settingsQuery, enabled: project !== null });
  const update = useMutation(trpc.handoffSettings.update.mutationOptions());
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    document.title = "Hand-off settings · Studio";
  }, []);

  if (!project) return <NotFoundPage />;
  if (settings.isPending) return <p role="status">Loading…</p>;
  if (settings.isError) return <p role="alert">{messageOf(settings.error)}</p>;

  const save = async (values: HandoffSettings) => {
    setNotice(null);
    const result = await update.mutateAsync({ projectId, ...values });
    queryClient.setQueryData(settingsQuery.queryKey, result.settings);
    setNotice("Settings saved.");
  };

  return (
    <section aria-labelledby="handoff-title" className="narrow">
      <p className="breadcrumb">Configure</p>
      <h1 id="handoff-title">Hand-off settings</h1>
      <p className="lead">What end users see and how long hand-offs wait while a conversation is with a Zendesk agent.</p>
      <div role="status" aria-live="polite" className="notice">
        {notice}
      </div>
      <HandoffSettingsForm settings={settings.data} readOnly={!isAdmin} onSubmit={save} />
      {!isAdmin ? <p className="hint">Only project admins can change hand-off settings.</p> : null}
    </section>
  );
}

interface HandoffSettingsFormProps {
  settings: HandoffSettingsView;
  readOnly: boolean;
  onSubmit(values: HandoffSettings): Promise<void>;
}

function HandoffSettingsForm({ settings, readOnly, onSubmit }: HandoffSettingsFormProps) {
  const form = useForm<SettingsFormInput, unknown, HandoffSettings>({
    resolver: zodResolver(handoffSettingsInput),
    defaultValues: settings,
    // Not on blur: an error appearing as a field loses focus moves the Save button between
    // mouse down and up, and the click is lost. After the first submit, errors follow typing.
    mode: "onSubmit",
    reValidateMode: "onChange",
    shouldFocusError: false,
  });
  const { register, handleSubmit, formState, setError, reset } = form;
  const [formError, setFormError] = useState<string | null>(null);
  const [formRef, focusFirstInvalid] = useFocusFirstInvalid(formState.errors);
  useEffect(() => reset(settings), [settings, reset]);

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(values);
    } catch (err) {
      for (const [name, message] of Object.entries(fieldErrorsOf(err))) {
        setError(name as FieldPath<SettingsFormInput>, { type: "server", message });
      }
      setFormError(messageOf(err));
      focusFirstInvalid();
    }
  }, focusFirstInvalid);

  const errorOf = (name: keyof SettingsFormInput) => formState.errors[name]?.message;

  return (
    <form ref={formRef} className="zm-form" onSubmit={submit} noValidate aria-label="Hand-off settings">
      <fieldset className="zm-fieldset">
        <legend>When the agent's session ends</legend>
        <Field label="Closing message" help="Shown to the end user when the agent's session ends, as the AI agent takes the conversation back." error={errorOf("closingMessage")}>
          {({ inputId, describedBy, invalid }) => (
            <textarea id={inputId} className="zm-input" rows={3} aria-describedby={describedBy} aria-invalid={invalid || undefined} readOnly={readOnly} {...register("closingMessage")} />
          )}
        </Field>
      </fieldset>
      <fieldset className="zm-fieldset">
        <legend>While the end user waits</legend>
        <Field label="Wait notice after (seconds)" help="When no agent has answered after this long, the end user gets the wait notice. 10 to 3600." error={errorOf("waitNoticeAfterSeconds")}>
          {({ inputId, describedBy, invalid }) => (
            <input id={inputId} className="zm-input zm-input--number" type="number" inputMode="numeric" min={10} max={3600} aria-describedby={describedBy} aria-invalid={invalid || undefined} readOnly={readOnly} {...register("waitNoticeAfterSeconds")} />
          )}
        </Field>
        <Field label="Wait notice message" help="Shown to the end user once, while they wait for an agent." error={errorOf("waitNoticeMessage")}>
          {({ inputId, describedBy, invalid }) => (
            <textarea id={inputId} className="zm-input" rows={3} aria-describedby={describedBy} aria-invalid={invalid || undefined} readOnly={readOnly} {...register("waitNoticeMessage")} />
          )}
        </Field>
        <Field label="Idle timeout (minutes)" help="The hand-off ends when neither the end user nor the agent has written for this long. 1 to 1440." error={errorOf("idleTimeoutMinutes")}>
          {({ inputId, describedBy, invalid }) => (
            <input id={inputId} className="zm-input zm-input--number" type="number" inputMode="numeric" min={1} max={1440} aria-describedby={describedBy} aria-invalid={invalid || undefined} readOnly={readOnly} {...register("idleTimeoutMinutes")} />
          )}
        </Field>
      </fieldset>
      {formError ? (
        <p className="zm-form__error" role="alert">
          {formError}
        </p>
      ) : null}
      {readOnly ? null : (
        <div className="zm-form__actions">
          <button type="submit" className="zm-button zm-button--primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? "Saving…" : "Save settings"}
          </button>
        </div>
      )}
    </form>
  );
}
