/** The one polite live region of a form: its overall error or confirmation. */
export function FormStatus({ error, success }: { error?: string | null; success?: string | null }) {
  return (
    <div aria-live="polite" className="min-h-5 text-sm">
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
          {error}
        </p>
      ) : success ? (
        <p className="rounded-md bg-green-50 px-3 py-2 text-green-800">{success}</p>
      ) : null}
    </div>
  );
}
