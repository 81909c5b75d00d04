// The pieces of a list page whose items are made and edited in place
// (groups, templates) or searched (users): the open form and the search
// live in the URL, so a link or the back button brings them back.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import type { TypedDocumentString } from "../gql/graphql";
import { useMutation, type QueryState } from "../hooks";
import { withForm, type OpenForm } from "../lib/params";
import { Confirm, Loading, Problem } from "../ui";

// useOpenForm reads and opens the page's form (?new or ?edit=<ID>); people
// who may not write get neither, whatever the URL says.
export function useOpenForm(canWrite: boolean) {
  const [params, setParams] = useSearchParams();
  return {
    creating: canWrite && params.has("new"),
    editing: canWrite ? (params.get("edit") ?? "") : "",
    open: (form: OpenForm) => setParams(withForm(params, form)),
    close: () => setParams(withForm(params, null)),
  };
}

// SearchForm applies the search when it is submitted, not at every key, and
// starts over from the URL when the applied search changes.
export function SearchForm({ label, field, q, placeholder, onSearch }: { label: string; field: string; q: string; placeholder?: string; onSearch: (q: string) => void }) {
  return <SearchBox key={q} label={label} field={field} q={q} placeholder={placeholder} onSearch={onSearch} />;
}

function SearchBox({ label, field, q, placeholder, onSearch }: { label: string; field: string; q: string; placeholder?: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation("apps");
  const [value, setValue] = useState(q);
  return (
    <form
      className="filters"
      role="search"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(value.trim());
      }}
    >
      <label className="grow">
        {field}
        <input type="search" value={value} onChange={(e) => setValue(e.target.value)} placeholder={placeholder} />
      </label>
      <button type="submit">{t("list.search")}</button>
      {q && (
        <button type="button" className="secondary" onClick={() => onSearch("")}>
          {t("list.clear")}
        </button>
      )}
    </form>
  );
}

// ItemLoader loads the item an edit form is open on (its ID comes from the
// URL, so it may be of another app or gone) and hands it to the form.
export function ItemLoader<R, T>({
  query,
  pick,
  missing,
  onClose,
  children,
}: {
  query: QueryState<R>;
  pick: (data: R) => T | undefined;
  missing: string;
  onClose: () => void;
  children: (item: T) => ReactNode;
}) {
  const { t } = useTranslation("apps");
  if (query.error) return <Problem error={query.error} retry={query.reload} />;
  if (query.loading && !query.data) return <Loading />;
  const item = query.data && pick(query.data);
  if (!item) {
    return (
      <div className="card">
        <p className="muted">{missing}</p>
        <button type="button" className="secondary" onClick={onClose}>
          {t("list.close")}
        </button>
      </div>
    );
  }
  return children(item);
}

// ActionsHeader heads a column of row buttons: named for screen readers,
// blank on screen.
export function ActionsHeader() {
  const { t } = useTranslation("apps");
  return (
    <th>
      <span className="visually-hidden">{t("list.actions")}</span>
    </th>
  );
}

// RowActions are a row's Edit and Delete buttons, named after the item for
// screen readers.
export function RowActions({ name, onEdit, onDelete }: { name: string; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation("apps");
  return (
    <td className="nowrap">
      <div className="actions">
        <button type="button" className="secondary" onClick={onEdit} aria-label={t("list.editItem", { name })}>
          {t("list.edit")}
        </button>
        <button type="button" className="secondary" onClick={onDelete} aria-label={t("list.deleteItem", { name })}>
          {t("list.delete")}
        </button>
      </div>
    </td>
  );
}

type Item = { id: string; name: string };

// useDeletion holds the item a Confirm asks about and deletes it when
// confirmed; done hears which item went (to close its edit form, read the
// list again). A refusal stays in error, for the page to show.
export function useDeletion<R>(doc: TypedDocumentString<R, { id: string }>, done: (id: string) => void) {
  const [remove, removed] = useMutation(doc);
  const [item, setItem] = useState<Item | null>(null);
  return {
    item,
    ask: (it: Item) => setItem({ id: it.id, name: it.name }),
    cancel: () => setItem(null),
    confirm: async (it: Item) => {
      const ok = await remove({ id: it.id });
      setItem(null);
      if (ok) done(it.id);
    },
    running: removed.running,
    error: removed.error,
  };
}

// ConfirmDelete asks whether to delete the item of a deletion (what names
// its kind, in the page's language: "group"); children say what deleting it
// does.
export function ConfirmDelete({ deletion, what, children }: { deletion: ReturnType<typeof useDeletion>; what: string; children: ReactNode }) {
  const { t } = useTranslation("apps");
  const item = deletion.item;
  if (!item) return null;
  return (
    <Confirm
      title={t("list.deleteTitle", { what, name: item.name })}
      confirm={t("list.deleteConfirm", { what })}
      danger
      busy={deletion.running}
      onCancel={deletion.cancel}
      onConfirm={() => deletion.confirm(item)}
    >
      {children}
    </Confirm>
  );
}
