import { BUILT_IN_ACTIONS, type TopicValues, type TopicView } from "@zm/contracts";
import { Field } from "@zm/ui";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import {
  get,
  useFieldArray,
  useForm,
  useWatch,
  type Control,
  type FieldErrors,
  type FieldPath,
  type UseFormRegister,
} from "react-hook-form";
import {
  emptyTopicForm,
  MAX_ACTIONS,
  MAX_CUSTOM_FIELDS,
  newActionForm,
  placeError,
  PRIORITIES,
  responsePreviewOf,
  topicFormFromView,
  topicFormResolver,
  type BuiltInAction,
  type TopicFormValues,
} from "./topic-form-model.ts";
import { useFocusFirstInvalid } from "../components/use-focus-first-invalid.ts";

export type TopicSubmitResult = { ok: true } | { ok: false; fieldErrors: Record<string, string>; formError: string };

interface TopicFormProps {
  /** The saved topic, or null for a new one. */
  view: TopicView | null;
  onSubmit(values: TopicValues): Promise<TopicSubmitResult>;
  /** More buttons for the form's action bar (Delete topic). */
  extraActions?: ReactNode;
}

const ACTION_LABELS: Record<BuiltInAction, string> = {
  transfer_to_zendesk: "Transfer to a Zendesk agent (transfer_to_zendesk)",
};

function messageAt(errors: FieldErrors<TopicFormValues>, path: string): string | undefined {
  const error: { message?: unknown } | undefined = get(errors, path);
  return typeof error?.message === "string" ? error.message : undefined;
}

export function TopicForm({ view, onSubmit, extraActions }: TopicFormProps) {
  const form = useForm<TopicFormValues, unknown, TopicValues>({
    resolver: topicFormResolver,
    defaultValues: view ? topicFormFromView(view) : emptyTopicForm(),
    // Not on blur: an error appearing as a field loses focus moves the Save button between
    // mouse down and up, and the click is lost. After the first submit, errors follow typing.
    mode: "onSubmit",
    reValidateMode: "onChange",
    // Focus goes to the first invalid field in page order, below, not in schema order.
    shouldFocusError: false,
  });
  const { register, control, handleSubmit, formState, setError, reset, getValues } = form;
  const actions = useFieldArray({ control, name: "actions" });
  const [actionToAdd, setActionToAdd] = useState<BuiltInAction>(BUILT_IN_ACTIONS[0]);
  const [formError, setFormError] = useState<string | null>(null);
  const [formRef, focusFirstInvalid] = useFocusFirstInvalid(formState.errors);
  const actionsHeadingRef = useRef<HTMLHeadingElement>(null);
  const actionSelectId = useId();

  // A saved topic comes back normalised (trimmed, tags lower-cased): show what was stored.
  useEffect(() => {
    if (view) reset(topicFormFromView(view));
  }, [view, reset]);


  const submit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await onSubmit(values);
    if (result.ok) return;
    // The server names schema paths; put each message on the field that holds that value.
    const unplaced: string[] = [];
    for (const [schemaPath, message] of Object.entries(result.fieldErrors)) {
      const placed = placeError(schemaPath, message, getValues());
      if (placed.path) setError(placed.path as FieldPath<TopicFormValues>, { type: "server", message: placed.message });
      else unplaced.push(placed.message);
    }
    setFormError(unplaced.length > 0 ? unplaced.join(" ") : result.formError);
    focusFirstInvalid();
  }, focusFirstInvalid);

  const errors = formState.errors;
  const rootError = messageAt(errors, "root") ?? formError;

  return (
    <form ref={formRef} className="zm-form" onSubmit={submit} noValidate aria-label="Topic">
      <fieldset className="zm-fieldset">
        <legend>Topic</legend>
        <Field label="Name" error={messageAt(errors, "name")}>
          {({ inputId, describedBy, invalid }) => (
            <input id={inputId} className="zm-input" type="text" autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...register("name")} />
          )}
        </Field>
        <Field label="Example phrases" help="One per line: things an end user might say about this topic." error={messageAt(errors, "phrases")}>
          {({ inputId, describedBy, invalid }) => (
            <textarea id={inputId} className="zm-input" rows={5} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...register("phrases")} />
          )}
        </Field>
        <Field label="Answer" help="What the AI agent says when it recognises the topic. May stay empty when an action answers." error={messageAt(errors, "answer")}>
          {({ inputId, describedBy, invalid }) => (
            <textarea id={inputId} className="zm-input" rows={3} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...register("answer")} />
          )}
        </Field>
      </fieldset>

      <section className="zm-card" aria-labelledby="topic-actions-title">
        <h2 id="topic-actions-title" className="zm-card__title" ref={actionsHeadingRef} tabIndex={-1}>
          Actions
        </h2>
        <p className="hint">Run in order after the answer, when the AI agent recognises this topic.</p>
        {actions.fields.map((field, index) => (
          <ActionEditor
            key={field.id}
            index={index}
            control={control}
            register={register}
            errors={errors}
            onRemove={() => {
              actions.remove(index);
              actionsHeadingRef.current?.focus();
            }}
          />
        ))}
        {messageAt(errors, "actions.root") ? (
          <p className="zm-form__error" role="alert">
            {messageAt(errors, "actions.root")}
          </p>
        ) : null}
        <div className="add-action">
          <div className="zm-field">
            <label htmlFor={actionSelectId} className="zm-field__label">
              Action
            </label>
            <select id={actionSelectId} className="zm-input" value={actionToAdd} onChange={(e) => setActionToAdd(e.target.value as BuiltInAction)}>
              {BUILT_IN_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {ACTION_LABELS[a]}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="zm-button" disabled={actions.fields.length >= MAX_ACTIONS} onClick={() => actions.append(newActionForm(actionToAdd))}>
            Add action
          </button>
          {actions.fields.length >= MAX_ACTIONS ? <p className="hint">A topic has at most {MAX_ACTIONS} actions.</p> : null}
        </div>
      </section>

      {rootError ? (
        <p className="zm-form__error" role="alert">
          {rootError}
        </p>
      ) : null}
      <div className="zm-form__actions">
        <button type="submit" className="zm-button zm-button--primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? "Saving…" : "Save topic"}
        </button>
        {extraActions}
      </div>
    </form>
  );
}

interface ActionEditorProps {
  index: number;
  control: Control<TopicFormValues, unknown, TopicValues>;
  register: UseFormRegister<TopicFormValues>;
  errors: FieldErrors<TopicFormValues>;
  onRemove(): void;
}

function ActionEditor({ index, control, register, errors, onRemove }: ActionEditorProps) {
  const customFields = useFieldArray({ control, name: `actions.${index}.customFields` });
  const action = useWatch({ control, name: `actions.${index}` });
  const legendId = useId();
  const addFieldRef = useRef<HTMLButtonElement>(null);
  const at = (field: string) => `actions.${index}.${field}`;
  const actionError = messageAt(errors, at("root")) ?? messageAt(errors, at("action"));
  const preview = action ? responsePreviewOf(action) : null;

  const text = (field: "group_id" | "brand_id" | "requester_name" | "requester_email", label: string, extra: { help?: string; inputMode?: "numeric" | "email"; type?: string } = {}) => (
    <Field label={label} help={extra.help} error={messageAt(errors, at(field))}>
      {({ inputId, describedBy, invalid }) => (
        <input
          id={inputId}
          className="zm-input"
          type={extra.type ?? "text"}
          inputMode={extra.inputMode}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          {...register(`actions.${index}.${field}`)}
        />
      )}
    </Field>
  );

  return (
    <fieldset className="zm-fieldset action-card">
      <legend id={legendId}>
        Action {index + 1}: {action?.action ?? "transfer_to_zendesk"}
      </legend>
      {actionError ? (
        <p className="zm-form__error" role="alert">
          {actionError}
        </p>
      ) : null}
      <Field label="Utterance" help="What the AI agent says as it hands the conversation to an agent." error={messageAt(errors, at("utterance"))}>
        {({ inputId, describedBy, invalid }) => (
          <textarea id={inputId} className="zm-input" rows={2} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...register(`actions.${index}.utterance`)} />
        )}
      </Field>
      <fieldset className="zm-fieldset routing">
        <legend>Zendesk routing</legend>
        <div className="routing-grid">
          <Field label="Tags" help="Comma-separated, e.g. vip, billing. Added to the ticket." error={messageAt(errors, at("tags"))}>
            {({ inputId, describedBy, invalid }) => (
              <input id={inputId} className="zm-input" type="text" autoComplete="off" spellCheck={false} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...register(`actions.${index}.tags`)} />
            )}
          </Field>
          <Field label="Priority" error={messageAt(errors, at("priority"))}>
            {({ inputId, describedBy, invalid }) => (
              <select id={inputId} className="zm-input" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...register(`actions.${index}.priority`)}>
                <option value="">None</option>
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {p[0]!.toUpperCase() + p.slice(1)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text("group_id", "Group ID", { help: "Admin Center > People > Groups: the number in the group's address.", inputMode: "numeric" })}
          {text("brand_id", "Brand ID", { help: "Admin Center > Account > Brands: the brand's number.", inputMode: "numeric" })}
          {text("requester_name", "Requester name", { help: "The name on the ticket when the end user is anonymous." })}
          {text("requester_email", "Requester email", { inputMode: "email", type: "email" })}
        </div>
        <fieldset className="zm-fieldset custom-fields">
          <legend>Custom ticket fields</legend>
          {customFields.fields.length === 0 ? <p className="hint">None. Add the ticket field ID and the value to set on the ticket.</p> : null}
          {messageAt(errors, at("customFields.root")) ? (
            <p className="zm-form__error" role="alert">
              {messageAt(errors, at("customFields.root"))}
            </p>
          ) : null}
          {customFields.fields.map((row, r) => (
            <div key={row.id} className="custom-field-row" role="group" aria-label={`Custom field ${r + 1}`}>
              <Field label="Field ID" error={messageAt(errors, at(`customFields.${r}.fieldId`))}>
                {({ inputId, describedBy, invalid }) => (
                  <input id={inputId} className="zm-input" type="text" inputMode="numeric" autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...register(`actions.${index}.customFields.${r}.fieldId`)} />
                )}
              </Field>
              <Field label="Value" error={messageAt(errors, at(`customFields.${r}.value`))}>
                {({ inputId, describedBy, invalid }) => (
                  <input id={inputId} className="zm-input" type="text" autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...register(`actions.${index}.customFields.${r}.value`)} />
                )}
              </Field>
              <button
                type="button"
                className="zm-button zm-button--small"
                aria-label={`Remove custom field ${r + 1}`}
                onClick={() => {
                  customFields.remove(r);
                  addFieldRef.current?.focus();
                }}
              >
                Remove
              </button>
            </div>
          ))}
          <button
            ref={addFieldRef}
            type="button"
            className="zm-button zm-button--small"
            disabled={customFields.fields.length >= MAX_CUSTOM_FIELDS}
            onClick={() => customFields.append({ fieldId: "", value: "" })}
          >
            Add custom field
          </button>
        </fieldset>
      </fieldset>
      <figure className="response-preview">
        <figcaption>Response preview</figcaption>
        {preview ? <pre>{preview}</pre> : <p className="hint">The preview appears when this action's fields are valid.</p>}
      </figure>
      <button type="button" className="zm-button zm-button--small" aria-describedby={legendId} onClick={onRemove}>
        Remove action
      </button>
    </fieldset>
  );
}
