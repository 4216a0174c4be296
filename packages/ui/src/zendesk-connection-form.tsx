import { zodResolver } from "@hookform/resolvers/zod";
import {
  DEFAULT_STATUS_HEADER_NAME,
  DEFAULT_SWITCHBOARD_TARGET,
  zendeskConnectionSchema,
  type ZendeskConnectionFormInput,
  type ZendeskConnectionValues,
  type ZendeskConnectionView,
  type ZendeskSecretField,
} from "@zm/contracts";
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { useForm, type UseFormRegisterReturn } from "react-hook-form";
import { Field } from "./field.tsx";

export type ConnectionFieldName = keyof ZendeskConnectionFormInput;

export type SubmitResult =
  | { ok: true }
  | { ok: false; fieldErrors?: Partial<Record<string, string>>; formError?: string };

export interface ZendeskConnectionFormProps {
  view: ZendeskConnectionView;
  onSubmit(values: ZendeskConnectionValues, mode: "connect" | "update"): Promise<SubmitResult>;
  onCancel?: () => void;
}

const HELP: Record<ConnectionFieldName, ReactNode> = {
  appId: "Admin Center > Apps and integrations > Integrations > Conversations integrations > your integration > Details. Also on the Conversations API page.",
  integrationId: "Same Details tab: Integration ID. It is not an API key ID.",
  webhookId: "Same Details tab, in the Webhook section: Webhook ID.",
  sharedSecret: "Shown once when the integration was saved (Copy shared secret). Zendesk sends it as X-API-Key with every conversation webhook.",
  apiKeyId: "Your Conversations integration > API keys tab > Create API key. Starts with int_ (or app_ for an app key).",
  apiKeySecret: "Shown once when the API key is created. Used to call the Sunshine Conversations API.",
  webhookSecretKey: "Admin Center > Apps and integrations > Webhooks > your ticket status webhook > Authentication: API key > Value.",
  statusAuthHeaderName: `The header name entered for that API key in Zendesk. Default ${DEFAULT_STATUS_HEADER_NAME}.`,
  signingSecret: "Optional. Webhooks > your ticket status webhook > Signing secret > Reveal secret. When set, each status webhook's signature is checked too.",
  switchboardTarget: `The Agent Workspace switchboard integration. Keep ${DEFAULT_SWITCHBOARD_TARGET} unless Zendesk told you otherwise.`,
  subdomain: "acme in acme.zendesk.com. Pasting the full address works too.",
};

const ADVANCED: ConnectionFieldName[] = ["statusAuthHeaderName", "signingSecret", "switchboardTarget"];

function defaultsFrom(view: ZendeskConnectionView): ZendeskConnectionFormInput {
  const s = view.settings;
  return {
    appId: s?.appId ?? "",
    integrationId: s?.integrationId ?? "",
    webhookId: s?.webhookId ?? "",
    apiKeyId: s?.apiKeyId ?? "",
    subdomain: s?.subdomain ?? "",
    statusAuthHeaderName: s?.statusAuthHeaderName ?? DEFAULT_STATUS_HEADER_NAME,
    switchboardTarget: s?.switchboardTarget ?? DEFAULT_SWITCHBOARD_TARGET,
    sharedSecret: "",
    apiKeySecret: "",
    webhookSecretKey: "",
    signingSecret: "",
  };
}

export function ZendeskConnectionForm({ view, onSubmit, onCancel }: ZendeskConnectionFormProps) {
  const mode = view.connected ? "update" : "connect";
  const schema = useMemo(() => zendeskConnectionSchema(mode), [mode]);
  const form = useForm<ZendeskConnectionFormInput, unknown, ZendeskConnectionValues>({
    resolver: zodResolver(schema),
    defaultValues: defaultsFrom(view),
    mode: "onTouched",
    // Focus is moved to the first invalid field in page order below, not in schema order.
    shouldFocusError: false,
  });
  const { register, handleSubmit, formState, setError, reset, setValue } = form;
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const advancedRef = useRef<HTMLDetailsElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstInvalid = () =>
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  useEffect(() => reset(defaultsFrom(view)), [view, reset]);

  const errors = formState.errors;
  const errorOf = (name: ConnectionFieldName) => errors[name]?.message;
  useEffect(() => {
    if (ADVANCED.some((n) => errors[n]) && advancedRef.current) advancedRef.current.open = true;
  }, [errors]);

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    setSaved(false);
    const result = await onSubmit(values, mode);
    if (result.ok) {
      setSaved(true);
      return;
    }
    for (const [name, message] of Object.entries(result.fieldErrors ?? {})) {
      if (message) setError(name as ConnectionFieldName, { type: "server", message });
    }
    if (result.formError) setFormError(result.formError);
    focusFirstInvalid();
  }, focusFirstInvalid);

  const text = (name: ConnectionFieldName, label: string, extra: { placeholder?: string; autoComplete?: string } = {}) => (
    <Field label={label} help={HELP[name]} error={errorOf(name)}>
      {({ inputId, describedBy, invalid }) => (
        <input
          id={inputId}
          className="zm-input"
          type="text"
          spellCheck={false}
          autoComplete={extra.autoComplete ?? "off"}
          placeholder={extra.placeholder}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          {...register(name)}
        />
      )}
    </Field>
  );

  const secret = (name: ZendeskSecretField, label: string, optional = false) => (
    <SecretInput
      key={name}
      label={optional ? `${label} (optional)` : label}
      help={HELP[name]}
      error={errorOf(name)}
      isSet={view.secretsSet[name]}
      registration={register(name)}
      onKeep={() => setValue(name, "", { shouldValidate: false })}
    />
  );

  return (
    <form ref={formRef} className="zm-form" onSubmit={submit} noValidate aria-label="Zendesk Messaging connection">
      <fieldset className="zm-fieldset">
        <legend>Conversations integration</legend>
        {text("appId", "App ID")}
        {text("integrationId", "Integration ID")}
        {text("webhookId", "Webhook ID")}
        {secret("sharedSecret", "Shared secret")}
      </fieldset>
      <fieldset className="zm-fieldset">
        <legend>Conversations API key</legend>
        {text("apiKeyId", "API key ID", { placeholder: "int_…" })}
        {secret("apiKeySecret", "API key secret")}
      </fieldset>
      <fieldset className="zm-fieldset">
        <legend>Ticket status webhook</legend>
        {secret("webhookSecretKey", "Webhook secret key")}
      </fieldset>
      <fieldset className="zm-fieldset">
        <legend>Account</legend>
        {text("subdomain", "Zendesk subdomain", { placeholder: "acme" })}
      </fieldset>
      <details className="zm-advanced" ref={advancedRef}>
        <summary>Advanced</summary>
        {text("statusAuthHeaderName", "Status webhook header name")}
        {secret("signingSecret", "Signing secret", true)}
        {text("switchboardTarget", "Agent Workspace switchboard target")}
      </details>
      {formError ? (
        <p className="zm-form__error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="zm-form__actions">
        <button type="submit" className="zm-button zm-button--primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? "Saving…" : mode === "connect" ? "Connect" : "Save changes"}
        </button>
        {onCancel ? (
          <button type="button" className="zm-button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <span role="status" aria-live="polite" className="zm-form__saved">
          {saved && !formState.isDirty ? "Saved" : ""}
        </span>
      </div>
    </form>
  );
}

interface SecretInputProps {
  label: string;
  help: ReactNode;
  error: string | undefined;
  isSet: boolean;
  registration: UseFormRegisterReturn;
  onKeep(): void;
}

/** Write-only: a stored secret is shown as set, never as its value; Replace opens an empty input. */
function SecretInput({ label, help, error, isSet, registration, onKeep }: SecretInputProps) {
  const [replacing, setReplacing] = useState(false);
  const labelId = useId();
  useEffect(() => {
    if (!isSet) setReplacing(false);
  }, [isSet]);
  if (isSet && !replacing && !error) {
    return (
      <div className="zm-field" role="group" aria-labelledby={labelId}>
        <span className="zm-field__label" id={labelId}>
          {label}
        </span>
        <div className="zm-secret-set">
          <span className="zm-badge zm-badge--ok">Set</span>
          <button
            type="button"
            className="zm-button zm-button--small"
            aria-label={`Replace ${label.replace(/ \(optional\)$/, "")}`}
            onClick={() => setReplacing(true)}
          >
            Replace
          </button>
        </div>
        <p className="zm-field__help">{help}</p>
      </div>
    );
  }
  return (
    <Field label={label} help={help} error={error}>
      {({ inputId, describedBy, invalid }) => (
        <div className="zm-secret-input">
          <input
            id={inputId}
            className="zm-input"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            autoFocus={replacing}
            {...registration}
          />
          {isSet ? (
            <button
              type="button"
              className="zm-button zm-button--small"
              onClick={() => {
                onKeep();
                setReplacing(false);
              }}
            >
              Keep current
            </button>
          ) : null}
        </div>
      )}
    </Field>
  );
}
