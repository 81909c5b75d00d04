// The console's small set of shared pieces: every page shows loading, empty
// and error states, pages through lists and confirms destructive actions
// the same way.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { explain } from "./api";
import { after, firstPage, forFilter, next, pageNumber, previous, type PageCursor } from "./lib/paging";

export function Loading({ what = "Loading…" }: { what?: string }) {
  return (
    <p className="muted" aria-busy="true" role="status">
      {what}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

// Problem shows an error in plain words (from extensions.code), with a
// retry button when the caller can retry.
export function Problem({ error, retry }: { error: unknown; retry?: () => void }) {
  if (!error) return null;
  return (
    <div role="alert" className="problem">
      <span>{explain(error)}</span>
      {retry && (
        <button type="button" className="link" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children && <div className="actions">{children}</div>}
    </header>
  );
}

// Field is a labelled form control; hint and error are tied to it for
// screen readers.
export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <small className="muted">{hint}</small>}
    </div>
  );
}

export type Connection = { totalCount?: number; pageInfo: { hasNextPage: boolean; endCursor?: string | null } };

// usePager keeps a list's page; pass the filter (any value) so a new filter
// starts at page 1.
export function usePager(filter: unknown) {
  const key = JSON.stringify(filter ?? null);
  const [cursor, setCursor] = useState<PageCursor>(() => firstPage(key));
  const current = forFilter(cursor, key);
  return {
    after: after(current),
    page: pageNumber(current),
    next: (end: string | null | undefined) => setCursor(next(current, end)),
    previous: () => setCursor(previous(current)),
  };
}

export function Pager({ pager, conn }: { pager: ReturnType<typeof usePager>; conn?: Connection }) {
  if (!conn) return null;
  if (pager.page === 1 && !conn.pageInfo.hasNextPage) {
    return conn.totalCount ? <p className="muted pager">{conn.totalCount.toLocaleString("en-US")} in all</p> : null;
  }
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" disabled={pager.page === 1} onClick={pager.previous}>
        Previous
      </button>
      <span>
        Page {pager.page}
        {conn.totalCount != null && ` · ${conn.totalCount.toLocaleString("en-US")} in all`}
      </span>
      <button type="button" className="secondary" disabled={!conn.pageInfo.hasNextPage} onClick={() => pager.next(conn.pageInfo.endCursor)}>
        Next
      </button>
    </nav>
  );
}

// Confirm is a modal question before a destructive or far-reaching action
// (revoke, delete, broadcast); Escape or Cancel closes it.
export function Confirm({
  title,
  children,
  confirm,
  danger,
  onConfirm,
  onCancel,
  busy,
}: {
  title: string;
  children?: ReactNode;
  confirm: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="confirm" aria-label={title} onCancel={onCancel}>
      <h2>{title}</h2>
      {children}
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className={danger ? "danger" : undefined} disabled={busy} onClick={onConfirm} autoFocus>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}

// CopyButton copies text to the clipboard and says so.
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => {});
        setDone(true);
        setTimeout(() => setDone(false), 2000);
      }}
    >
      {done ? "Copied" : label}
    </button>
  );
}

const tones: Record<string, string> = {
  DONE: "good", ARRIVED: "good", OPENED: "good", DELIVERED: "good", ACTIVE: "good", SENT: "info",
  RUNNING: "info", SENDING: "info", PENDING: "info", SCHEDULED: "info", QUEUED: "info", ACCEPTED: "info",
  FAILED: "bad", DEAD: "bad", EXPIRED: "warn", REVOKED: "warn", CANCELLED: "warn", IGNORED: "warn",
};

export function Badge({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  return <span className={`badge ${tones[value] ?? ""}`}>{value.toLowerCase().replace(/_/g, " ")}</span>;
}
