// Every filter and open form of a page lives in the URL (deep links, the
// back button), so pages change their search params through these: a copy
// with some keys changed and the others kept.

// withParams sets each key to its value, or removes it when the value is
// empty.
export function withParams(params: URLSearchParams, change: Record<string, string | null | undefined>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(change)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next;
}

// An open form of a list page: the new-item form (?new) or the edit form of
// one item (?edit=<ID>); null closes either.
export type OpenForm = "new" | { edit: string } | null;

// withForm opens one form, closing the other, or closes both.
export function withForm(params: URLSearchParams, form: OpenForm): URLSearchParams {
  const next = withParams(params, { new: null, edit: null });
  if (form === "new") next.set("new", "");
  else if (form) next.set("edit", form.edit);
  return next;
}
