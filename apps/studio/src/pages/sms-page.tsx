import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { smsConnectionSchema, type SmsConnectionFormInput, type SmsConnectionValues, type SmsConnectionView } from "@zm/contracts";
import { ConfirmDialog, CopyButton, Field } from "@zm/ui";
import { useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { fieldErrorsOf, messageOf, useTRPC } from "../trpc.ts";
import { NotFoundPage } from "./not-found-page.tsx";
import { useProject } from "./use-project.ts";

export function SmsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { projectId, project, isAdmin } = useProject();
  const query = trpc.sms.getConnection.queryOptions({ projectId });
  const connection = useQuery({ ...query, enabled: project !== null });
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    document.title = "SMS · Integrations · Studio";
  }, []);
  const refresh = (view: SmsConnectionView) => queryClient.setQueryData(query.queryKey, view);
  const connect = useMutation(trpc.sms.connect.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.sms.update.mutationOptions({ onSuccess: refresh }));
  const disconnect = useMutation(
    trpc.sms.disconnect.mutationOptions({
      onSuccess: (view) => {
        refresh(view);
        setConfirming(false);
        setNotice("SMS was disconnected. The stored auth token was deleted.");
      },
    }),
  );

  if (!project) return <NotFoundPage />;
  if (connection.isPending) return <p role="status">Loading…</p>;
  if (connection.isError) return <p role="alert">{messageOf(connection.error)}</p>;
  const view = connection.data;

  return (
    <section aria-labelledby="sms-title" className="narrow">
      <p className="breadcrumb">
        <Link to={`/projects/${projectId}/configure/integrations`}>Integrations</Link> /
      </p>
      <h1 id="sms-title">SMS</h1>
      <p className="lead">
        Status:{" "}
        <span className={`zm-badge ${view.connected ? "zm-badge--ok" : "zm-badge--muted"}`}>{view.connected ? "Connected" : "Not connected"}</span>
      </p>
      <div role="status" aria-live="polite" className="notice">
        {notice}
      </div>
      <section className="zm-card" aria-labelledby="sms-inbound-title">
        <h2 id="sms-inbound-title" className="zm-card__title">
          Incoming messages URL
        </h2>
        <div className="zm-webhook__url">
          <code aria-label="Incoming messages URL">{view.inboundUrl}</code>
          <CopyButton value={view.inboundUrl} label="Copy incoming messages URL" />
        </div>
        <ul className="zm-webhook__settings">
          <li>In your SMS provider's console: Phone Numbers &gt; your number &gt; Messaging configuration</li>
          <li>
            A message comes in: <strong>Webhook</strong>, the URL above, <strong>HTTP POST</strong>
          </li>
        </ul>
      </section>
      {isAdmin ? (
        <SmsForm
          view={view}
          onSave={async (values) => {
            setNotice(null);
            try {
              if (view.connected) await update.mutateAsync({ projectId, ...values });
              else await connect.mutateAsync({ projectId, ...values });
              setNotice(view.connected ? "Changes saved." : "SMS is connected.");
              return {};
            } catch (err) {
              return { fieldErrors: fieldErrorsOf(err), formError: messageOf(err) };
            }
          }}
        />
      ) : view.connected ? (
        <section className="zm-card">
          <dl className="settings-list">
            <div>
              <dt>Account SID</dt>
              <dd>{view.accountSid}</dd>
            </div>
            <div>
              <dt>Phone number</dt>
              <dd>{view.phoneNumber}</dd>
            </div>
          </dl>
          <p className="hint">Only project admins can change these settings.</p>
        </section>
      ) : (
        <p>SMS is not connected yet. A project admin can connect it.</p>
      )}
      {isAdmin && view.connected ? (
        <section className="zm-card danger-zone" aria-labelledby="sms-disconnect-title">
          <h2 id="sms-disconnect-title" className="zm-card__title">
            Disconnect
          </h2>
          <button type="button" className="zm-button zm-button--danger" onClick={() => setConfirming(true)}>
            Disconnect SMS
          </button>
          <ConfirmDialog
            open={confirming}
            title="Disconnect SMS?"
            body="Incoming texts will be refused and nothing more is sent by SMS. The stored auth token is deleted."
            confirmLabel="Disconnect"
            busy={disconnect.isPending}
            onConfirm={() => disconnect.mutate({ projectId })}
            onCancel={() => setConfirming(false)}
          />
        </section>
      ) : null}
    </section>
  );
}

function SmsForm({ view, onSave }: { view: SmsConnectionView; onSave(values: SmsConnectionValues): Promise<{ fieldErrors?: Record<string, string>; formError?: string }> }) {
  const schema = useMemo(() => smsConnectionSchema(view.connected ? "update" : "connect"), [view.connected]);
  const form = useForm<SmsConnectionFormInput, unknown, SmsConnectionValues>({
    resolver: zodResolver(schema),
    defaultValues: { accountSid: view.accountSid ?? "", authToken: "", phoneNumber: view.phoneNumber ?? "" },
  });
  const [replacing, setReplacing] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  useEffect(() => form.reset({ accountSid: view.accountSid ?? "", authToken: "", phoneNumber: view.phoneNumber ?? "" }), [view, form]);
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await onSave(values);
    for (const [name, message] of Object.entries(result.fieldErrors ?? {})) form.setError(name as keyof SmsConnectionFormInput, { type: "server", message });
    if (result.formError) setFormError(result.formError);
    else setReplacing(false);
  });
  const tokenSet = view.authTokenSet && !replacing && !errors.authToken;
  return (
    <form className="zm-form" onSubmit={submit} noValidate aria-label="SMS connection">
      <fieldset className="zm-fieldset">
        <legend>SMS provider account (Twilio-compatible)</legend>
        <Field label="Account SID" error={errors.accountSid?.message} help="Your provider console's dashboard: Account Info > Account SID (starts with AC).">
          {({ inputId, describedBy, invalid }) => <input id={inputId} className="zm-input" spellCheck={false} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("accountSid")} />}
        </Field>
        {tokenSet ? (
          <div className="zm-field" role="group" aria-labelledby="sms-token-label">
            <span className="zm-field__label" id="sms-token-label">
              Auth token
            </span>
            <div className="zm-secret-set">
              <span className="zm-badge zm-badge--ok">Set</span>
              <button type="button" className="zm-button zm-button--small" aria-label="Replace Auth token" onClick={() => setReplacing(true)}>
                Replace
              </button>
            </div>
          </div>
        ) : (
          <Field label="Auth token" error={errors.authToken?.message} help="Account Info > Auth Token. Used to sign and send messages; stored encrypted.">
            {({ inputId, describedBy, invalid }) => (
              <input id={inputId} className="zm-input" type="password" autoComplete="new-password" autoFocus={replacing} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("authToken")} />
            )}
          </Field>
        )}
        <Field label="Phone number" error={errors.phoneNumber?.message} help="The project's number end users text, in international format, e.g. +15005550006.">
          {({ inputId, describedBy, invalid }) => <input id={inputId} className="zm-input" type="tel" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("phoneNumber")} />}
        </Field>
      </fieldset>
      {formError ? (
        <p className="zm-form__error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="zm-form__actions">
        <button type="submit" className="zm-button zm-button--primary" disabled={form.formState.isSubmitting}>
          {view.connected ? "Save changes" : "Connect"}
        </button>
      </div>
    </form>
  );
}
