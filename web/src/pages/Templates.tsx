import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router-dom";
import { ActionsHeader, ConfirmDelete, ItemLoader, RowActions, SearchForm, useDeletion, useOpenForm } from "../components/ListPage";
import { TestSend } from "../components/TestSend";
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

// A placeholder as templates write it, shown in the help texts (a value, so
// i18next does not read it as one of its own).
const PLACEHOLDER = { placeholder: "{{name}}" };

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
  const { t } = useTranslation("templates");
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
      <PageHeader title={t("title")}>
        {can.write && !creating && (
          <button type="button" onClick={() => open("new")}>
            {t("new")}
          </button>
        )}
      </PageHeader>
      <p className="muted small" style={{ marginTop: 0 }}>
        <Trans t={t} i18nKey="intro" values={PLACEHOLDER} components={{ code: <code /> }} />
      </p>
      {creating && <TemplateEditor appID={appID} initial={emptyTemplateForm} onDone={done} onCancel={close} />}
      {editing && <EditTemplate key={editing} appID={appID} id={editing} onDone={done} onCancel={close} />}
      <SearchForm label={t("search.label")} field={t("search.field")} q={q} onSearch={(v) => setParams(withParams(params, { q: v }))} />
      <Problem error={error} retry={reload} />
      <Problem error={deletion.error} />
      <ListBody data={data} loading={loading} error={error} count={templates.length} empty={q ? t("empty.noMatch") : t("empty.none")}>
        <table aria-label={t("table")}>
          <thead>
            <tr>
              <th>{t("columns.name")}</th>
              <th>{t("columns.content")}</th>
              <th>{t("columns.variables")}</th>
              <th>{t("columns.updated")}</th>
              {can.send && <ActionsHeader />}
              {can.write && <ActionsHeader />}
            </tr>
          </thead>
          <tbody>
            {templates.map((tpl) => (
              <tr key={tpl.id}>
                <td>
                  <strong>{tpl.name}</strong>
                </td>
                <td>
                  {tpl.title && <div className="clip">{tpl.title}</div>}
                  {tpl.body && <div className="muted small clip">{tpl.body}</div>}
                </td>
                <td>
                  {tpl.variables?.length ? (
                    <ul className="chips">
                      {tpl.variables.map((v) => (
                        <li key={v}>
                          <code>{v}</code>
                          {tpl.defaults && typeof tpl.defaults[v] === "string" && <span className="muted small"> = {String(tpl.defaults[v])}</span>}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">{t("none")}</span>
                  )}
                </td>
                <td className="nowrap">{when(tpl.updatedAt)}</td>
                {can.send && (
                  <td>
                    <TestSend appID={appID} subject={{ kind: "template", name: tpl.name, content: tpl }} name={tpl.name} />
                  </td>
                )}
                {can.write && <RowActions name={tpl.name} onEdit={() => open({ edit: tpl.id })} onDelete={() => deletion.ask(tpl)} />}
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      {(templates.length > 0 || pager.page > 1) && <Pager pager={pager} conn={data?.templates} />}
      <ConfirmDelete deletion={deletion} what={t("what")}>
        <p>{t("deleteNote")}</p>
      </ConfirmDelete>
    </>
  );
}

function EditTemplate({ appID, id, onDone, onCancel }: { appID: string; id: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation("templates");
  const query = useQuery(TemplateQuery, { id });
  return (
    <ItemLoader
      query={query}
      pick={(d) => (d.node?.__typename === "Template" && d.node.appID === appID ? d.node : undefined)}
      missing={t("missing", { id })}
      onClose={onCancel}
    >
      {(tpl) => <TemplateEditor appID={appID} id={tpl.id} initial={templateForm(tpl)} onDone={onDone} onCancel={onCancel} />}
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
  const { t } = useTranslation("templates");
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
    <form className="card" onSubmit={submit} aria-label={id ? t("editor.edit") : t("new")} noValidate>
      <h2 style={{ margin: 0 }}>{id ? t("editor.editTitle", { name: initial.name }) : t("new")}</h2>
      <div className="grid-2">
        <div style={{ display: "grid", gap: "0.85rem" }}>
          <Field label={t("editor.name")} hint={t("editor.nameHint")}>
            {(fid) => <input id={fid} value={form.name} onChange={(e) => set({ name: e.target.value })} maxLength={100} autoFocus={!id} />}
          </Field>
          <Field label={t("editor.title")}>{(fid) => <input id={fid} value={form.title} onChange={(e) => set({ title: e.target.value })} maxLength={1024} />}</Field>
          <Field label={t("editor.body")}>
            {(fid) => <textarea id={fid} value={form.body} onChange={(e) => set({ body: e.target.value })} maxLength={4096} rows={4} />}
          </Field>
          <fieldset>
            <legend>{t("editor.variables")}</legend>
            {form.variables.length === 0 && (
              <p className="muted small" style={{ margin: 0 }}>
                {t("editor.noneDeclared")}
              </p>
            )}
            {form.variables.map((v, i) => (
              <div className="var-row" key={i}>
                <label>
                  {t("editor.variable", { n: i + 1 })}
                  <input value={v.name} onChange={(e) => setVar(i, { name: e.target.value })} maxLength={64} />
                </label>
                <label>
                  {t("editor.defaultFor", { n: i + 1 })}
                  <input value={v.fallback} onChange={(e) => setVar(i, { fallback: e.target.value })} placeholder={t("editor.noDefault")} />
                </label>
                <button
                  type="button"
                  className="secondary"
                  aria-label={t("editor.removeVariable", { n: i + 1 })}
                  onClick={() => setForm((f) => ({ ...f, variables: f.variables.filter((_, j) => j !== i) }))}
                >
                  {t("editor.remove")}
                </button>
              </div>
            ))}
            <div className="actions">
              <button type="button" className="secondary" onClick={() => set({ variables: [...form.variables, { name: "", fallback: "" }] })}>
                {t("editor.addVariable")}
              </button>
              {check.used.some((n) => !check.declared.includes(n)) && (
                <button type="button" className="secondary" onClick={() => setForm(addUndeclared)}>
                  {t("editor.declare")}
                </button>
              )}
            </div>
          </fieldset>
        </div>
        <div style={{ display: "grid", gap: "0.85rem" }}>
          <section aria-label={t("editor.placeholders")}>
            <h3 className="small" style={{ margin: "0 0 0.35rem" }}>
              {t("editor.placeholdersTitle")}
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
                <Trans t={t} i18nKey="editor.noPlaceholders" values={PLACEHOLDER} components={{ code: <code /> }} />
              </p>
            )}
          </section>
          {check.undeclared.length > 0 && (
            <div className="warning small" role="status">
              {t("editor.undeclared", { names: check.undeclared.join(", ") })}
            </div>
          )}
          {check.unused.length > 0 && (
            <p className="muted small" style={{ margin: 0 }}>
              {t("editor.unused", { names: check.unused.join(", ") })}
            </p>
          )}
          <section aria-label={t("editor.preview")}>
            <h3 className="small" style={{ margin: "0 0 0.35rem" }}>
              {t("editor.previewTitle")}
            </h3>
            <div className="preview">
              <strong>{fill(form.title, defaults) || <span className="muted">{t("editor.noTitle")}</span>}</strong>
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
      <FormButtons submit={id ? t("editor.save") : t("editor.create")} disabled={running} onCancel={onCancel} />
    </form>
  );
}
