import { useState, type FormEvent } from "react";
import { useParams, useSearchParams } from "react-router-dom";
import { ActionsHeader, ConfirmDelete, ItemLoader, RowActions, SearchForm, useDeletion, useOpenForm } from "../components/ListPage";
import { graphql } from "../gql";
import { useMutation, useQuery } from "../hooks";
import {
  addUndeclared,
  checkTemplate,
  createTemplateInput,
  defaultsOf,
  emptyTemplateForm,
  templateForm,
  updateTemplateInput,
  type TemplateForm,
} from "../lib/content";
import { when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { fill } from "../lib/template";
import { useCan } from "../session";
import { Field, FormButtons, ListBody, PageHeader, Pager, Problem, usePager } from "../ui";
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
          ...TemplateContentFields
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
        ...TemplateContentFields
        appID
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
  const { creating, editing, open, close } = useOpenForm(can.write);
  const where = { appID, ...(q ? { nameContainsFold: q } : {}) };
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(TemplatesQuery, { where, first: PAGE_SIZE, after: pager.after });
  const templates = data?.templates.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const deletion = useDeletion(DeleteTemplateMutation, (id) => {
    if (editing === id) close();
    reload();
  });

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
      <SearchForm label="Search templates" field="Template name" q={q} onSearch={(v) => setParams(withParams(params, { q: v }))} />
      <Problem error={error} retry={reload} />
      <Problem error={deletion.error} />
      <ListBody data={data} loading={loading} error={error} count={templates.length} empty={q ? "No template name matches." : "No templates yet."}>
        <table aria-label="Templates">
          <thead>
            <tr>
              <th>Name</th>
              <th>Content</th>
              <th>Variables</th>
              <th>Updated</th>
              {can.write && <ActionsHeader />}
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
                {can.write && <RowActions name={t.name} onEdit={() => open({ edit: t.id })} onDelete={() => deletion.ask(t)} />}
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      {(templates.length > 0 || pager.page > 1) && <Pager pager={pager} conn={data?.templates} />}
      <ConfirmDelete deletion={deletion} what="template">
        <p>Pushes that name it fail from now on; pushes already made from it keep their content.</p>
      </ConfirmDelete>
    </>
  );
}

function EditTemplate({ appID, id, onDone, onCancel }: { appID: string; id: string; onDone: () => void; onCancel: () => void }) {
  const query = useQuery(TemplateQuery, { id });
  return (
    <ItemLoader
      query={query}
      pick={(d) => (d.node?.__typename === "Template" && d.node.appID === appID ? d.node : undefined)}
      missing={`This app has no template ${id}.`}
      onClose={onCancel}
    >
      {(t) => <TemplateEditor appID={appID} id={t.id} initial={templateForm(t)} onDone={onDone} onCancel={onCancel} />}
    </ItemLoader>
  );
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
              <strong>{fill(form.title, defaults) || <span className="muted">(no title)</span>}</strong>
              <span>{fill(form.body, defaults)}</span>
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
      <FormButtons submit={id ? "Save template" : "Create template"} disabled={running} onCancel={onCancel} />
    </form>
  );
}
