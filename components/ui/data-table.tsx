import type { ReactNode } from "react";
import { formatUtc } from "@vouch/core/format";
import { EmptyState } from "./empty-state";

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
  /** For screen readers only (e.g. a column of row actions). */
  hideHeader?: boolean;
}

/** A table of rows (a cell may hold row actions), or `empty` when there are none. */
export function DataTable<T extends { id: string }>({
  caption,
  columns,
  rows,
  empty,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  empty: ReactNode;
}) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <table className="w-full border-collapse rounded-lg bg-white text-left text-sm shadow-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-slate-100 text-slate-700">
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col" className="px-3 py-2">
              {c.hideHeader ? <span className="sr-only">{c.header}</span> : c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className="border-t border-slate-200 align-top">
            {columns.map((c) => (
              <td key={c.header} className={`px-3 py-2 ${c.className ?? ""}`}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A timestamp cell: UTC, machine-readable. */
export const utcCell = (d: Date) => <time dateTime={d.toISOString()}>{formatUtc(d)}</time>;
