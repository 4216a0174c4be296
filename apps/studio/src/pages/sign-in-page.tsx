import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { emailSchema } from "@zm/contracts";
import { Field } from "@zm/ui";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate, useSearchParams } from "react-router";
import { z } from "zod";
import { messageOf, useTRPC } from "../trpc.ts";

const schema = z.object({ email: emailSchema, password: z.string().min(1, "Enter your password") });
type Values = z.input<typeof schema>;

export function SignInPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { email: "", password: "" } });
  const signIn = useMutation(trpc.auth.signIn.mutationOptions());
  useEffect(() => {
    document.title = "Sign in · Studio";
  }, []);

  const next = params.get("next");
  const safeNext = next && next.startsWith("/") && !next.startsWith("//") ? next : "/";

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      await signIn.mutateAsync(values);
      await queryClient.invalidateQueries();
      await navigate(safeNext, { replace: true });
    } catch (err) {
      setError(messageOf(err));
    }
  });

  return (
    <main className="sign-in" id="main">
      <form className="sign-in__card" onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Studio</h1>
        <Field label="Email" error={form.formState.errors.email?.message}>
          {({ inputId, describedBy, invalid }) => (
            <input id={inputId} className="zm-input" type="email" autoComplete="username" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("email")} />
          )}
        </Field>
        <Field label="Password" error={form.formState.errors.password?.message}>
          {({ inputId, describedBy, invalid }) => (
            <input id={inputId} className="zm-input" type="password" autoComplete="current-password" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("password")} />
          )}
        </Field>
        {error ? (
          <p className="zm-form__error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="zm-button zm-button--primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
