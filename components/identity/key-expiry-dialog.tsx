"use client";
import { useId, useRef } from "react";
import { setJwtKeyExpiryAction } from "@/lib/next/actions/signed-identities";
import { jwtKeyExpirySchema } from "@vouch/core/validations/jwt-key";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

/** "2027-03-01T12:00" for a datetime-local field showing UTC. */
const utcLocal = (iso: string | null) => (iso ? iso.slice(0, 16) : "");

/**
 * Sets or clears when a key stops verifying — the way to retire a key on a date after the website moved
 * to another one. A native modal dialog: focus moves in, Escape closes, focus returns to the button.
 */
export function KeyExpiryDialog({ slug, kid, expiresAt }: { slug: string; kid: string; expiresAt: string | null }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { form, status, setStatus, onSubmit } = useActionForm({
    schema: jwtKeyExpirySchema,
    defaultValues: { kid, expires_at: utcLocal(expiresAt) },
    submit: (values) => setJwtKeyExpiryAction(slug, values),
    onSuccess: (data, values, f) => {
      f.reset({ kid: values.kid, expires_at: utcLocal(data.expiresAt) });
      dialog.current?.close();
    },
  });
  const { register, formState } = form;
  return (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          setStatus({});
          form.reset({ kid, expires_at: utcLocal(expiresAt) });
          dialog.current?.showModal();
        }}
      >
        Set expiry…
      </Button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl">
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4 p-6 text-left">
          <h2 id={titleId} className="text-lg font-semibold">
            Expiry of “{kid}”
          </h2>
          <TextField
            label="Expires at (UTC)"
            type="datetime-local"
            hint="From then on tokens naming this key are refused (key_expired). Empty: never."
            {...register("expires_at")}
            error={formState.errors.expires_at?.message}
          />
          <FormStatus error={status.error} success={status.success} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" pending={formState.isSubmitting}>
              Save expiry
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
