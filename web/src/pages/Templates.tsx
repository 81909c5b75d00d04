import { useState, type FormEvent } from "react";
import { useParams, useSearchParams } from "react-router-dom";
import { graphql } from "../gql";
import { useMutation, useQuery } from "../hooks";
import {
  addUndeclared,
  checkTemplate,
  createTemplateInput,
  defaultsOf,
  emptyTemplateForm,
  render,
  setParam,
  templateForm,
  updateTemplateInput,
  type TemplateForm,
} from "../lib/content";
import { when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { useCan } from "../session";
import { Confirm, Empty, Field, Loading, PageHeader, Pager, Problem, usePager } from "../ui";
import "./content.css";

const TemplatesQuery = graphql(`
  query TemplatesList($where: TemplateWhereInput, $first: Int, $after: Cursor) {
    templates(where: $where, orderBy: { field: NAME, direction: ASC }, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          title
          body
          variables
          defaults
          updatedAt
        }
      }
    }
  }
`);

const TemplateQuery = graphql(`
  query TemplatesOne($id: ID!) {
    node(id: $id) {
      __typename
      ... on Template {
        id
        appID
        name
        title
        body
        variables
        defaults
      }
    }
  }
`);

const CreateTemplateMutation = graphql(`
  mutation TemplatesCreate($input: CreateTemplateInput!) {
    createTemplate(input: $input) {
      id
    }
  }
`);

const UpdateTemplateMutation = graphql(`
  mutation TemplatesUpdate($id: ID!, $input: UpdateTemplateInput!) {
    updateTemplate(id: $id, input: $input) {
      id
    }
  }
`);

const DeleteTemplateMutation = graphql(`
  mutation TemplatesDelete($id: ID!) {
    deleteTemplate(id: $id)
  }
`);

export default function Templates() {
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  // The open form is part of the URL: ?new or ?edit=<template ID>.
  const editing = can.write ? (params.get("edit") ?? "") : "";
  const creating = can.write && params.has("new");
  const where = { appID, ...(q ? { nameContainsFold: q } : {}) };
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(TemplatesQuery, { where, first: PAGE_SIZE, after: pager.after });
  const templates = data?.templates.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const [remove, removed] = useMutation(DeleteTemplateMutation);

  const open = (key: "new" | "edit", value = "") => {
    const p = new URLSearchParams(params);
    p.delete("new");
    p.delete("edit");
    p.set(key, value);
    setParams(p);
  };
  const close = () => {
    const p = new URLSearchParams(params);
    p.delete("new");
    p.delete("edit");
    setParams(p);
  };
  const done = () => {
    close();
    reload();
  };

  return (
    <>
      <PageHeader title="Templates">
        {can.write && !creating && (
          <button type="button" onClick={() => open("new")}>
            New template
          </button>
        )}
      </PageHeader>
      <p className="muted small" style={{ marginTop: 0 }}>
        A template is a stored title and body with <code>{"{{name}}"}</code> placeholders; a push names the template and gives the values, and
        defaults fill the ones it leaves out.
      </p>
      {creating && <TemplateEditor appID={appID} initial={emptyTemplateForm} onDone={done} onCancel={close} />}
      {editing && <EditTemplate key={editing} appID={appID} id={editing} onDone={done} onCancel={close} />}
      <form
        className="filters"
        role="search"
        aria-label="Search templates"
        key={q}
        onSubmit={(e) => {
          e.preventDefault();
          const v = new FormData(e.currentTarget).get("q");
          setParams(setParam(params, "q", String(v ?? "").trim()));
        }}
      >
        <label className="grow">
          Template name
          <input type="search" name="q" defaultValue={q} />
        </label>
        <button type="submit">Search</button>
        {q && (
          <button type="button" className="secondary" onClick={() => setParams(setParam(params, "q", ""))}>
            Clear
          </button>
        )}
      </form>
      <Problem error={error} retry={reload} />
      <Problem error={removed.error} />
      {loading && !data ? (
        <Loading />
      ) : templates.length === 0 && !error ? (
        <Empty>{q ? "No template name matches." : "No templates yet."}</Empty>
      ) : (
        <table aria-label="Templates">
          <thead>
            <tr>
              <th>Name</th>
              <th>Content</th>
              <th>Variables</th>
              <th>Updated</th>
              {can.write && (
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr key={t.id}>
                <td>
                  <strong>{t.name}</strong>
                </td>
                <td>
                  {t.title && <div className="clip">{t.title}</div>}
                  {t.body && <div className="muted small clip">{t.body}</div>}
                </td>
                <td>
                  {t.variables?.length ? (
                    <ul className="chips">
                      {t.variables.map((v) => (
                        <li key={v}>
                          <code>{v}</code>
                          {t.defaults && typeof t.defaults[v] === "string" && <span className="muted small"> = {String(t.defaults[v])}</span>}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
                <td className="nowrap">{when(t.updatedAt)}</td>
                {can.write && (
                  <td className="nowrap">
                    <div className="actions">
                      <button type="button" className="secondary" onClick={() => open("edit", t.id)} aria-label={`Edit ${t.name}`}>
                        Edit
                      </button>
                      <button type="button" className="secondary" onClick={() => setDeleting(t)} aria-label={`Delete ${t.name}`}>
                        Delete
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(templates.length > 0 || pager.page > 1) && <Pager pager={pager} conn={data?.templates} />}
      {deleting && (
        <Confirm
          title={`Delete the template ${deleting.name}?`}
          confirm="Delete template"
          danger
          busy={removed.running}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            const ok = await remove({ id: deleting.id });
            setDeleting(null);
            if (ok) {
              if (editing === deleting.id) close();
              reload();
            }
          }}
        >
          <p>Pushes that name it fail from now on; pushes already made from it keep their content.</p>
        </Confirm>
      )}
    </>
  );
}

function EditTemplate({ appID, id, onDone, onCancel }: { appID: string; id: string; onDone: () => void; onCancel: () => void }) {
  const { data, error, loading, reload } = useQuery(TemplateQuery, { id });
  const t = data?.node && data.node.__typename === "Template" && data.node.appID === appID ? data.node : undefined;
  if (error) return <Problem error={error} retry={reload} />;
  if (loading && !data) return <Loading />;
  if (!t) {
    return (
      <div className="card">
        <p className="muted">This app has no template {id}.</p>
        <button type="button" className="secondary" onClick={onCancel}>
          Close
        </button>
      </div>
    );
  }
  return <TemplateEditor appID={appID} id={t.id} initial={templateForm(t)} onDone={onDone} onCancel={onCancel} />;
}

function TemplateEditor({
  appID,
  id,
  initial,
  onDone,
  onCancel,
}: {
  appID: string;
  id?: string;
  initial: TemplateForm;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<TemplateForm>(initial);
  // Problems show once the user tried to save, so typing is not scolded.
  const [tried, setTried] = useState(false);
  const [create, created] = useMutation(CreateTemplateMutation);
  const [update, updated] = useMutation(UpdateTemplateMutation);
  const check = checkTemplate(form);
  const set = (patch: Partial<TemplateForm>) => setForm((f) => ({ ...f, ...patch }));
  const setVar = (i: number, patch: Partial<TemplateForm["variables"][number]>) =>
    setForm((f) => ({ ...f, variables: f.variables.map((v, j) => (j === i ? { ...v, ...patch } : v)) }));
  const defaults = defaultsOf(form);
  const running = created.running || updated.running;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (check.errors.length) return;
    const ok = id ? await update({ id, input: updateTemplateInput(form) }) : await create({ input: createTemplateInput(appID, form) });
    if (ok) onDone();
  }

  return (
    <form className="card" onSubmit={submit} aria-label={id ? "Edit template" : "New template"} noValidate>
      <h2 style={{ margin: 0 }}>{id ? `Edit ${initial.name}` : "New template"}</h2>
      <div className="grid-2">
        <div style={{ display: "grid", gap: "0.85rem" }}>
          <Field label="Name" hint="Letters, digits, '_', '.' and '-'; pushes name the template by it.">
            {(fid) => <input id={fid} value={form.name} onChange={(e) => set({ name: e.target.value })} maxLength={100} autoFocus={!id} />}
          </Field>
          <Field label="Title">{(fid) => <input id={fid} value={form.title} onChange={(e) => set({ title: e.target.value })} maxLength={1024} />}</Field>
          <Field label="Body">
            {(fid) => <textarea id={fid} value={form.body} onChange={(e) => set({ body: e.target.value })} maxLength={4096} rows={4} />}
          </Field>
          <fieldset>
            <legend>Variables</legend>
            {form.variables.length === 0 && (
              <p className="muted small" style={{ margin: 0 }}>
                None declared: pushd declares the placeholders it finds, without defaults.
              </p>
            )}
            {form.variables.map((v, i) => (
              <div className="var-row" key={i}>
                <label>
                  Variable {i + 1}
                  <input value={v.name} onChange={(e) => setVar(i, { name: e.target.value })} maxLength={64} />
                </label>
                <label>
                  Default for variable {i + 1}
                  <input value={v.fallback} onChange={(e) => setVar(i, { fallback: e.target.value })} placeholder="none: the push must give it" />
                </label>
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Remove variable ${i + 1}`}
                  onClick={() => setForm((f) => ({ ...f, variables: f.variables.filter((_, j) => j !== i) }))}
                >
                  Remove
                </button>
              </div>
            ))}
            <div className="actions">
              <button type="button" className="secondary" onClick={() => set({ variables: [...form.variables, { name: "", fallback: "" }] })}>
                Add variable
              </button>
              {check.used.some((n) => !check.declared.includes(n)) && (
                <button type="button" className="secondary" onClick={() => setForm(addUndeclared)}>
                  Declare placeholders
                </button>
              )}
            </div>
          </fieldset>
        </div>
        <div style={{ display: "grid", gap: "0.85rem" }}>
          <section aria-label="Placeholders">
            <h3 className="small" style={{ margin: "0 0 0.35rem" }}>
              Placeholders in title and body
            </h3>
            {check.used.length ? (
              <ul className="chips">
                {check.used.map((n) => (
                  <li key={n} className={check.undeclared.includes(n) ? "missing" : undefined}>
                    <code>{`{{${n}}}`}</code>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small" style={{ margin: 0 }}>
                None yet. Write <code>{"{{name}}"}</code> in the title or body.
              </p>
            )}
          </section>
          {check.undeclared.length > 0 && (
            <div className="warning small" role="status">
              Not declared: {check.undeclared.join(", ")}. pushd refuses a template whose placeholders are not all declared: declare them
              or remove them.
            </div>
          )}
          {check.unused.length > 0 && (
            <p className="muted small" style={{ margin: 0 }}>
              Declared but not used: {check.unused.join(", ")}.
            </p>
          )}
          <section aria-label="Preview">
            <h3 className="small" style={{ margin: "0 0 0.35rem" }}>
              Preview with the defaults
            </h3>
            <div className="preview">
              <strong>{render(form.title, defaults) || <span className="muted">(no title)</span>}</strong>
              <span>{render(form.body, defaults)}</span>
            </div>
          </section>
        </div>
      </div>
      {tried && check.errors.length > 0 && (
        <div className="problem" role="alert">
          <ul style={{ margin: 0, paddingLeft: "1.2rem" }}>
            {check.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <Problem error={created.error ?? updated.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={running}>
          {id ? "Save template" : "Create template"}
        </button>
      </div>
    </form>
  );
}
