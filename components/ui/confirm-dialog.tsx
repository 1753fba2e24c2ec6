"use client";
import { useId, useRef, useState, type ReactNode, type RefObject } from "react";
import { Button } from "./button";

/** For a ConfirmDialog without a trigger button: pass `dialog` to it and call `open()` when needed. */
export function useConfirmDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  return { dialog, open: () => dialog.current?.showModal() };
}

/**
 * A destructive action behind a confirmation. Native <dialog> with showModal(): focus moves into
 * it and is trapped there, Escape cancels, and focus returns to what opened it. With `trigger`, it
 * renders its own opening button; without, the caller opens it (useConfirmDialog), e.g. on submit.
 */
export function ConfirmDialog({
  trigger,
  dialog,
  title,
  children,
  confirmLabel,
  onConfirm,
}: {
  trigger?: string;
  dialog?: RefObject<HTMLDialogElement | null>;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Resolves to an error message to show in the dialog, or null when done. */
  onConfirm: () => Promise<string | null>;
}) {
  const own = useRef<HTMLDialogElement>(null);
  const ref = dialog ?? own;
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const bodyId = useId();

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      const message = await onConfirm();
      if (message) setError(message);
      else ref.current?.close();
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      {trigger && (
        <Button
          variant="danger"
          onClick={() => {
            setError(null);
            ref.current?.showModal();
          }}
        >
          {trigger}
        </Button>
      )}
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl"
      >
        <div className="flex flex-col gap-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div id={bodyId} className="text-sm text-slate-700">
            {children}
          </div>
          {error && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" autoFocus onClick={() => ref.current?.close()}>
              Cancel
            </Button>
            <Button variant="danger" pending={pending} onClick={confirm}>
              {confirmLabel}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
