"use client";
// The state every console form repeats, once: react-hook-form with the shared zod schema, the server
// action's field errors copied under their fields, one status message, and the form reset to what was
// saved. No router refresh here: every mutating server action revalidates its own pages.
import { useState } from "react";
import {
  useForm,
  type DefaultValues,
  type FieldValues,
  type Resolver,
  type SubmitHandler,
  type UseFormReturn,
} from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { ActionResult } from "@/lib/next/action";
import { applyServerErrors } from "./server-errors";

export interface FormMessage {
  error?: string;
  success?: string;
}

export function useActionForm<
  S extends z.ZodType<FieldValues, FieldValues>,
  TData,
  TValues extends FieldValues = z.input<S>,
>({
  schema,
  defaultValues,
  submit,
  onSuccess,
}: {
  /** The form's zod schema: the same one the server action parses with. */
  schema: S;
  defaultValues: DefaultValues<NoInfer<TValues>>;
  /** Calls the server action; `undefined` when it redirected (sign-in, setup). */
  submit: (values: TValues) => Promise<ActionResult<TData> | undefined>;
  /** After a success; by default the form is reset to the submitted values (they are now the saved ones). */
  onSuccess?: (data: TData, values: TValues, form: UseFormReturn<TValues>) => void;
}) {
  // The schema's input type is the form's values (zod transforms run again on the server).
  const form = useForm<TValues>({
    resolver: zodResolver(schema as never) as unknown as Resolver<TValues>,
    defaultValues,
  });
  const [status, setStatus] = useState<FormMessage>({});
  const handle: SubmitHandler<TValues> = async (values) => {
    setStatus({});
    const result = await submit(values);
    if (!result) return;
    if (!result.ok) return setStatus({ error: applyServerErrors(form.setError, result) });
    if (onSuccess) onSuccess(result.data, values, form);
    else form.reset(values);
    setStatus({ success: result.message });
  };
  return { form, status, setStatus, onSubmit: form.handleSubmit(handle) };
}
