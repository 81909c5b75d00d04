// The console's small set of shared pieces: every page shows loading, empty
// and error states, pages through lists and confirms destructive actions
// the same way.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router-dom";
import { explain } from "./api";
import { after, firstPage, forFilter, next, pageNumber, previous, type PageCursor } from "./lib/paging";

export function Loading({ what }: { what?: string }) {
  const { t } = useTranslation();
  return (
    <p className="muted" aria-busy="true" role="status">
      {what ?? t("loading")}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

// Problem shows an error in plain words (from extensions.code), with a
// retry button when the caller can retry.
export function Problem({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div role="alert" className="problem">
      <span>{explain(error)}</span>
      {retry && (
        <button type="button" className="link" onClick={retry}>
          {t("tryAgain")}
        </button>
      )}
    </div>
  );
}

// ListBody is a list's content below its filters: Loading until the first
// answer, Empty when there is nothing to show and no error says why, else
// the list (children).
export function ListBody({
  data,
  loading,
  error,
  count,
  empty,
  children,
}: {
  data: unknown;
  loading: boolean;
  error: unknown;
  count: number;
  empty: ReactNode;
  children: ReactNode;
}) {
  if (loading && !data) return <Loading />;
  if (count === 0 && !error) return <Empty>{empty}</Empty>;
  return children;
}

// CheckProblem is what a form's own check found, said before pushd is
// asked (pushd's refusals go to Problem).
export function CheckProblem({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="problem">
      {message}
    </p>
  );
}

// FormButtons end a create or edit form: Cancel, then the submit button
// (disabled while the form is being saved or cannot be).
export function FormButtons({ submit, disabled, onCancel }: { submit: ReactNode; disabled?: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="button" className="secondary" onClick={onCancel}>
        {t("cancel")}
      </button>
      <button type="submit" disabled={disabled}>
        {submit}
      </button>
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
  const location = useLocation();
  const navigate = useNavigate();
  // The cursors walked through live in the history entry (not the URL:
  // they are opaque and long), so Back from a detail page returns to the
  // same page of the list. Each filter of the page has its own trail.
  const state = (location.state ?? {}) as { pages?: Record<string, PageCursor> };
  const saved = state.pages?.[key];
  const [cursor, setCursor] = useState<PageCursor>(() => saved ?? firstPage(key));
  const current = forFilter(cursor, key);
  // A new filter forgets the old one's pages, so coming back to it starts
  // at page 1 too.
  if (current !== cursor) setCursor(current);
  const move = (c: PageCursor) => {
    setCursor(c);
    navigate(location.pathname + location.search, { replace: true, state: { ...state, pages: { ...state.pages, [key]: c } } });
  };
  return {
    after: after(current),
    page: pageNumber(current),
    next: (end: string | null | undefined) => move(next(current, end)),
    previous: () => move(previous(current)),
  };
}

export function Pager({ pager, conn }: { pager: ReturnType<typeof usePager>; conn?: Connection }) {
  const { t } = useTranslation();
  if (!conn) return null;
  if (pager.page === 1 && !conn.pageInfo.hasNextPage) {
    return conn.totalCount ? <p className="muted pager">{t("pager.inAll", { count: conn.totalCount })}</p> : null;
  }
  return (
    <nav className="pager" aria-label={t("pager.pages")}>
      <button type="button" className="secondary" disabled={pager.page === 1} onClick={pager.previous}>
        {t("pager.previous")}
      </button>
      <span>
        {t("pager.page", { page: pager.page })}
        {conn.totalCount != null && ` · ${t("pager.inAll", { count: conn.totalCount })}`}
      </span>
      <button type="button" className="secondary" disabled={!conn.pageInfo.hasNextPage} onClick={() => pager.next(conn.pageInfo.endCursor)}>
        {t("pager.next")}
      </button>
    </nav>
  );
}

// Segmented is a choice of a few options as a row of toggle buttons (the
// composer's modes, a preview's platform, a target's kind).
export function Segmented<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: [T, string][]; onChange: (v: T) => void }) {
  return (
    <div role="group" aria-label={label} className="segmented">
      {options.map(([v, text]) => (
        <button key={v} type="button" aria-pressed={value === v} onClick={() => onChange(v)}>
          {text}
        </button>
      ))}
    </div>
  );
}

// Confirm is a modal question before a destructive or far-reaching action
// (revoke, delete, broadcast); Escape or Cancel closes it.
export function Confirm({
  title,
  children,
  confirm,
  dismiss,
  danger,
  onConfirm,
  onCancel,
  busy,
}: {
  title: string;
  children?: ReactNode;
  confirm: string;
  // dismiss labels the button that closes the dialog, when "Cancel" would
  // read like the action itself (cancelling a push).
  dismiss?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    // Focus goes back to what opened the dialog when it goes away.
    const opener = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog ref={ref} className="confirm" aria-label={title} onCancel={onCancel}>
      <h2>{title}</h2>
      {children}
      <div className="actions">
        {/* Cancel has the focus first: Enter alone must not delete, revoke
            or broadcast. */}
        <button type="button" className="secondary" onClick={onCancel} autoFocus>
          {dismiss ?? t("cancel")}
        </button>
        <button type="button" className={danger ? "danger" : undefined} disabled={busy} onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}

// CopyButton copies text to the clipboard and says so only when it did:
// without a clipboard (plain http on a LAN address) or when the browser
// refuses, it says to copy by hand, since a secret shown once is at stake.
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useTranslation();
  const [said, setSaid] = useState<"" | "copied" | "copyByHand">("");
  return (
    <button
      type="button"
      className="secondary"
      onClick={async () => {
        let ok = false;
        try {
          await navigator.clipboard.writeText(text);
          ok = true;
        } catch {
          ok = false;
        }
        setSaid(ok ? "copied" : "copyByHand");
        setTimeout(() => setSaid(""), ok ? 2000 : 6000);
      }}
    >
      {said ? t(said) : (label ?? t("copy"))}
    </button>
  );
}

// CreatedCard follows a create form with what was made, often with a
// secret shown once; Done puts it away, and the secret with it.
export function CreatedCard({ label, title, onDone, children }: { label: string; title: ReactNode; onDone: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="card created" aria-label={label}>
      <h2 className="created-title">{title}</h2>
      {children}
      <div className="actions created-done">
        <button type="button" className="secondary" onClick={onDone}>
          {t("done")}
        </button>
      </div>
    </section>
  );
}

// SecretOnce shows a secret pushd gives out only once (a key's or a
// webhook's secret, a generated password) with a button to copy it; the
// caller says why it must be copied now.
export function SecretOnce({ label, value }: { label: string; value: string }) {
  const { t, i18n } = useTranslation();
  // English lowers the label inside a sentence ("Copy key secret");
  // Chinese has no case.
  const what = i18n.language === "en" ? label.toLowerCase() : label;
  return (
    <div className="secret" aria-label={label}>
      <code>{value}</code>
      <CopyButton text={value} label={t("copyThe", { what })} />
    </div>
  );
}

const tones: Record<string, string> = {
  DONE: "good", ARRIVED: "good", OPENED: "good", DELIVERED: "good", ACTIVE: "good", SENT: "info",
  RUNNING: "info", SENDING: "info", PENDING: "info", SCHEDULED: "info", QUEUED: "info", ACCEPTED: "info",
  FAILED: "bad", DEAD: "bad", EXPIRED: "warn", REVOKED: "warn", CANCELLED: "warn", IGNORED: "warn",
};

// statusLabel names a state (DONE, ARRIVED…) in the console's language;
// a state the console does not know yet shows as pushd spells it.
export function statusLabel(t: TFunction, value: string): string {
  const key = `status.${value}`;
  return t(key as "status.DONE", { defaultValue: value.toLowerCase().replace(/_/g, " ") });
}

export function Badge({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  if (!value) return null;
  return <span className={`badge ${tones[value] ?? ""}`}>{statusLabel(t, value)}</span>;
}
