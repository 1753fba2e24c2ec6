"use client";
import { useState } from "react";
import { refreshJwksAction, setJwksUrlAction } from "@/lib/next/actions/signed-identities";
import { jwksUrlFormSchema } from "@vouch/core/validations/jwt-key";
import type { KeysetStatusDto } from "@vouch/core/dal/jwks-url";
import { formatUtc } from "@vouch/core/format";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { DataTable } from "@/components/ui/data-table";
import { useActionForm } from "@/components/ui/use-action-form";

/** The keyset a website publishes (docs/reference.md): the URL, and what this instance fetched from it. */
export function JwksSection({
  slug,
  url,
  status,
  editable,
}: {
  slug: string;
  url: string | null;
  status: KeysetStatusDto | null;
  editable: boolean;
}) {
  const {
    form,
    status: message,
    onSubmit,
  } = useActionForm({
    schema: jwksUrlFormSchema,
    defaultValues: { jwks_url: url ?? "" },
    submit: (values) => setJwksUrlAction(slug, values),
    onSuccess: (data, _values, f) => f.reset({ jwks_url: data.jwks_url }),
  });
  const [fetching, setFetching] = useState(false);
  const [fetchMessage, setFetchMessage] = useState<{ error?: string; success?: string }>({});
  const { register, formState, setValue } = form;

  async function fetchNow() {
    setFetching(true);
    const r = await refreshJwksAction(slug, {});
    setFetching(false);
    setFetchMessage(r.ok ? { success: r.message } : { error: r.formError });
  }

  return (
    <div className="flex flex-col gap-4 text-sm">
      {editable ? (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
          <div className="max-w-xl">
            <TextField
              label="JWKS URL"
              type="url"
              placeholder="https://example.com/.well-known/jwks.json"
              hint="Your website's published public keys (RS256, ES256, EdDSA). Saving fetches it first."
              {...register("jwks_url")}
              error={formState.errors.jwks_url?.message}
            />
          </div>
          <FormStatus error={message.error} success={message.success} />
          <div className="flex gap-2">
            <Button type="submit" pending={formState.isSubmitting} disabled={!formState.isDirty}>
              Save URL
            </Button>
            {url && (
              <Button
                variant="secondary"
                onClick={() => {
                  setValue("jwks_url", "", { shouldDirty: true });
                  void onSubmit();
                }}
              >
                Remove URL
              </Button>
            )}
          </div>
        </form>
      ) : (
        <p>JWKS URL: {url ? <code className="break-all">{url}</code> : "none"}</p>
      )}
      {status && (
        <div className="flex flex-col gap-3" aria-label="Keyset state" role="group">
          <p>
            Last successful fetch by this instance:{" "}
            {status.fetchedAt ? (
              <time dateTime={status.fetchedAt.toISOString()}>{formatUtc(status.fetchedAt)}</time>
            ) : (
              "never"
            )}
            {editable && (
              <Button variant="secondary" className="ml-3" pending={fetching} onClick={fetchNow}>
                Fetch now
              </Button>
            )}
          </p>
          <FormStatus error={fetchMessage.error} success={fetchMessage.success} />
          {status.lastError && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
              Last error ({formatUtc(status.lastError.at)}): {status.lastError.message}
            </p>
          )}
          <DataTable
            caption="Published keys"
            rows={status.keys.map((k) => ({ id: k.kid, ...k }))}
            empty="No usable published key."
            columns={[
              { header: "Key ID", cell: (k) => k.kid, className: "font-mono" },
              { header: "Algorithm", cell: (k) => k.algorithm },
              { header: "Fingerprint", cell: (k) => k.fingerprint, className: "break-all font-mono text-xs" },
              {
                header: "Note",
                cell: (k) =>
                  k.shadowed ? (
                    <strong className="text-amber-800">A configured key has this kid: the configured key wins.</strong>
                  ) : (
                    ""
                  ),
              },
            ]}
          />
          {status.ignored.length > 0 && (
            <div>
              <h3 className="font-medium">Ignored entries</h3>
              <ul className="mt-1 list-disc pl-5">
                {status.ignored.map((k, i) => (
                  <li key={i}>
                    {k.kid === null ? "(no kid)" : <code>{k.kid}</code>}: {k.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
