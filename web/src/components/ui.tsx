import { useState, type ReactNode } from 'react';
import { messageOf } from '../api/problem';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severity colours, also used by the charts (CSS has the same values as --sev-*). */
export const SEVERITY_COLOURS: Record<string, string> = {
  critical: '#b4162c',
  high: '#e0561b',
  medium: '#c99100',
  low: '#2f7dd1',
  info: '#6b7a8c',
  none: '#6b7a8c',
  unknown: '#8a8f98',
};

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`sev sev-${severity}`}>{severity}</span>;
}

export function ErrorBox({ error }: { error: unknown }) {
  return (
    <div role="alert" className="error">
      {messageOf(error)}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** An empty state that says what to do next, with the exact command. */
export function Empty({ title, command, children }: { title: string; command?: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p>
        <strong>{title}</strong>
      </p>
      {children}
      {command && (
        <p>
          Run: <code className="cmd">{command}</code>
        </p>
      )}
      {command?.includes('--upload') && (
        <p className="muted small">
          Uploads go to <code>VIGIL_URL={location.origin}</code> with <code>VIGIL_API_KEY</code> set to an ingest key (Settings → API keys).
        </p>
      )}
    </div>
  );
}

/** Query state in one place: loading, error, or the children for the data. */
export function QueryView<T>({ q, what, children }: { q: { isPending: boolean; error: unknown; data: T | undefined }; what: string; children: (data: T) => ReactNode }) {
  if (q.error) return <ErrorBox error={q.error} />;
  if (q.isPending || q.data === undefined) return <Loading what={what} />;
  return <>{children(q.data)}</>;
}

/** Cursor pagination: a stack of the cursors that led to this page. */
export function useCursorPages() {
  const [stack, setStack] = useState<string[]>([]);
  return {
    cursor: stack[stack.length - 1],
    page: stack.length + 1,
    next: (c: string) => setStack((s) => [...s, c]),
    prev: () => setStack((s) => s.slice(0, -1)),
    reset: () => setStack([]),
  };
}

export function Pager({ pages, nextCursor, label }: { pages: ReturnType<typeof useCursorPages>; nextCursor: string | null | undefined; label: string }) {
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={pages.prev} disabled={pages.page === 1}>
        ← Previous
      </button>
      <span>Page {pages.page}</span>
      <button type="button" onClick={() => nextCursor && pages.next(nextCursor)} disabled={!nextCursor}>
        Next →
      </button>
    </nav>
  );
}

/** A table's header row: one column per label, plus an unlabelled (screen-reader "Actions") one. */
export function TableHead({ columns, actions = false }: { columns: readonly string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        )}
      </tr>
    </thead>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

export const fmtDate = (s: string | null | undefined): string => (s ? new Date(s).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : '—');
export const fmtDateTime = (s: string | null | undefined): string => (s ? new Date(s).toLocaleString() : '—');
export const fmtPct = (n: number | null | undefined, digits = 1): string => (n === null || n === undefined ? '—' : `${n.toFixed(digits)}%`);
export const fmtEpss = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : `${(n * 100).toFixed(1)}%`);

/** A text field of a submitted form, trimmed ('' when absent or a file). */
export function formText(data: FormData, key: string): string {
  const v = data.get(key);
  return typeof v === 'string' ? v.trim() : '';
}
