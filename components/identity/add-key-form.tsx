"use client";
import { useState } from "react";
import { addJwtKeyAction, generateHmacSecretAction } from "@/lib/next/actions/signed-identities";
import { jwtKeyCreateSchema } from "@vouch/core/validations/jwt-key";
import { Button } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";
import type { JwtAlgorithm, PublicKeyAlgorithm } from "@vouch/core/identity/vocabulary";

type Values = { algorithm: JwtAlgorithm; kid: string; secret: string; public_key: string; expires_at: string };

// What each algorithm's key is, for the radio labels and the PEM field.
const CHOICES: { algorithm: JwtAlgorithm; label: string }[] = [
  { algorithm: "HS256", label: "HS256 (HMAC SHA-256, shared secret)" },
  { algorithm: "RS256", label: "RS256 (RSA SHA-256, public key)" },
  { algorithm: "ES256", label: "ES256 (ECDSA P-256, public key)" },
  { algorithm: "EdDSA", label: "EdDSA (Ed25519, public key)" },
];
const PEM_FIELD: Record<PublicKeyAlgorithm, { label: string; hint: string }> = {
  RS256: { label: "RSA public key (PEM)", hint: "SPKI format, at least 2048 bits. Never paste the private key." },
  ES256: {
    label: "EC P-256 public key (PEM)",
    hint: "SPKI format, curve P-256 (prime256v1). Never paste the private key.",
  },
  EdDSA: { label: "Ed25519 public key (PEM)", hint: "SPKI format. Never paste the private key." },
};
const empty: Values = { algorithm: "HS256", kid: "", secret: "", public_key: "", expires_at: "" };

export function AddKeyForm({ slug }: { slug: string }) {
  const [created, setCreated] = useState<{ kid: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const { form, status, setStatus, onSubmit } = useActionForm({
    schema: jwtKeyCreateSchema,
    defaultValues: empty,
    submit: (v: Values) => {
      setCreated(null);
      // Only the chosen algorithm's material goes to the server.
      const input =
        v.algorithm === "HS256"
          ? { algorithm: v.algorithm, kid: v.kid, secret: v.secret, expires_at: v.expires_at }
          : { algorithm: v.algorithm, kid: v.kid, public_key: v.public_key, expires_at: v.expires_at };
      return addJwtKeyAction(slug, input);
    },
    onSuccess: (data, v, f) => {
      f.reset({ ...empty, algorithm: v.algorithm });
      if (data.secret) setCreated({ kid: data.kid, secret: data.secret });
      setCopied(false);
    },
  });
  const { register, setValue, watch, formState } = form;
  const algorithm = watch("algorithm");

  async function generate() {
    const result = await generateHmacSecretAction({});
    if (result.ok) setValue("secret", result.data.secret, { shouldValidate: true, shouldDirty: true });
    else setStatus({ error: result.formError });
  }

  const pemError = formState.errors.public_key?.message;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Algorithm</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {CHOICES.map((c) => (
            <label key={c.algorithm} className="flex items-center gap-2">
              <input type="radio" value={c.algorithm} {...register("algorithm")} /> {c.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="max-w-sm">
        <TextField
          label="Key ID"
          hint="The token header's kid: lower-case letters, digits and _ (e.g. prod_2026)."
          className="font-mono"
          autoComplete="off"
          {...register("kid")}
          error={formState.errors.kid?.message}
        />
      </div>
      <div className="max-w-sm">
        <TextField
          label="Expires at (UTC, optional)"
          type="datetime-local"
          hint="From then on tokens naming this key are refused (key_expired). Empty: never."
          {...register("expires_at")}
          error={formState.errors.expires_at?.message}
        />
      </div>
      {algorithm === "HS256" ? (
        <div className="flex max-w-lg items-end gap-2">
          <div className="flex-1">
            <TextField
              label="HMAC secret"
              hint="Exactly 24 characters of 0-9 and a-f. Shown in full only now."
              className="font-mono"
              autoComplete="off"
              spellCheck={false}
              {...register("secret")}
              error={formState.errors.secret?.message}
            />
          </div>
          <Button
            variant="secondary"
            onClick={generate}
            className={formState.errors.secret || formState.errors.kid ? "mb-6" : "mb-5"}
          >
            Generate
          </Button>
        </div>
      ) : (
        <TextAreaField
          label={PEM_FIELD[algorithm].label}
          rows={8}
          className="font-mono"
          placeholder={"-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----"}
          hint={PEM_FIELD[algorithm].hint}
          {...register("public_key")}
          error={pemError}
        />
      )}
      <FormStatus error={status.error} success={status.success} />
      {created && (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium">Copy the secret of “{created.kid}” now: it will not be shown again.</p>
          <div className="mt-2 flex gap-2">
            <input
              readOnly
              aria-label={`Secret of ${created.kid}`}
              value={created.secret}
              className="flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono"
            />
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(created.secret);
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
            <Button variant="secondary" onClick={() => setCreated(null)}>
              Done
            </Button>
          </div>
        </div>
      )}
      <div>
        <Button type="submit" pending={formState.isSubmitting}>
          {formState.isSubmitting ? "Adding…" : "Add key"}
        </Button>
      </div>
    </form>
  );
}
