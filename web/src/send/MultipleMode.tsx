// A multiple push: one template, many targets, each row with its own
// variables; rows are typed in or pasted as CSV.
import { useContext, useMemo, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { buildMultiple, dropBlankRows, MAX_ITEMS, parseList, rowsFromCSV, varsInput, type Row } from "../lib/compose";
import { count } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { defaultsOf, renderTemplate } from "../lib/template";
import { Problem, Segmented } from "../ui";
import { ErrorsContext, FieldError, Fld, MessageAdvanced, OptionsFields, Preview, type Template } from "./fields";
import { SendPushMultipleMutation } from "./operations";
import { SendButton, SendForm } from "./parts";
import type { MultipleState, Setter } from "./state";
import { TemplateChoice } from "./TemplateChoice";
import { useSender } from "./useSender";
import { useTemplate } from "./useTemplate";

type Props = { appID: string; templateName: string; onTemplate: (name: string) => void; state: MultipleState; set: Setter<MultipleState> };

export function MultipleMode({ appID, templateName, onTemplate, state, set }: Props) {
  const { t } = useTranslation("send");
  const loaded = useTemplate(appID, templateName);
  const { template, variables } = loaded;
  // Blank rows are left out (and taken off the screen when sending), so
  // row i on screen is item i of the push and pushd's "items[i]" errors
  // mark the right row.
  const build = () => buildMultiple(appID, { ...state, rows: dropBlankRows(state.rows), template }, variables);
  const sender = useSender(appID, SendPushMultipleMutation, (r) => r.pushMultiple.id, build);

  function submit() {
    const rows = dropBlankRows(state.rows);
    if (rows.length !== state.rows.length) set({ rows: rows.length ? rows : [{ target: "", vars: {} }] });
    void sender.send();
  }

  return (
    <SendForm sender={sender} label={t("multiple.form")} className="send-form" onSubmit={submit}>
      <div className="grid-2">
        <fieldset>
          <legend>{t("template.legend")}</legend>
          <TemplateChoice appID={appID} name={templateName} onPick={onTemplate} loaded={loaded} />
          {template && (
            <p className="muted small">
              <Trans t={t} i18nKey="multiple.variables" components={{ vars: <VariableList variables={variables} /> }} />
            </p>
          )}
        </fieldset>
        <aside className="send-side">{template && <Preview template={template} vars={varsInput(state.rows[0]?.vars ?? {}, variables)} message={state.extras} />}</aside>
      </div>
      {template && <Rows template={template} variables={variables} state={state} set={set} />}
      <fieldset>
        <legend>{t("extras.legend")}</legend>
        <MessageAdvanced summary={t("extras.summaryRows")} value={state.extras} onChange={(p) => set({ extras: { ...state.extras, ...p } })} />
      </fieldset>
      <OptionsFields value={state.options} onChange={(p) => set({ options: { ...state.options, ...p } })} repeat={false} />
      <SendButton sender={sender} options={state.options} />
      <Problem error={sender.error} />
    </SendForm>
  );
}

// VariableList names the template's variables inside a sentence.
function VariableList({ variables }: { variables: string[] }) {
  const { t } = useTranslation("send");
  if (!variables.length) return t("multiple.noVariables");
  return variables.map((v, i) => (
    <span key={v}>
      {i > 0 && t("separator")}
      <code>{v}</code>
    </span>
  ));
}

function Rows({ template, variables, state, set }: { template: Template; variables: string[]; state: MultipleState; set: Setter<MultipleState> }) {
  const { t } = useTranslation("send");
  const errors = useContext(ErrorsContext);
  const [page, setPage] = useState(0);
  const defaults = useMemo(() => defaultsOf(template), [template]);
  const rows = state.rows;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const filled = rows.filter((r) => r.target.trim());
  const targets = filled.reduce((n, r) => n + parseList(r.target).length, 0);
  const kind = state.targetKind;

  const update = (i: number, row: Row) => set({ rows: rows.map((r, j) => (j === i ? row : r)) });
  const remove = (i: number) => set({ rows: rows.length === 1 ? [{ target: "", vars: {} }] : rows.filter((_, j) => j !== i) });
  const add = () => {
    set({ rows: [...rows, { target: "", vars: {} }] });
    setPage(Math.floor(rows.length / PAGE_SIZE));
  };

  return (
    <section aria-label={t("rows.label")} className="send-rows">
      <div className="section-header">
        <h2>{t("rows.title")}</h2>
        <Segmented
          label={t("rows.kind")}
          value={state.targetKind}
          options={[
            ["device", t("rows.kinds.device")],
            ["user", t("rows.kinds.user")],
          ]}
          onChange={(targetKind) => set({ targetKind })}
        />
      </div>
      <p className="muted small" role="status">
        {t("rows.status", { rows: t("rows.rowCount", { count: filled.length }), targets: t("rows.targetCount", { count: targets }), max: count(MAX_ITEMS) })}
      </p>
      <FieldError name="items" />
      <div className="table-scroll">
        <table className="rows-table">
          <thead>
            <tr>
              <th>#</th>
              <th>{t(`rows.column.${kind}`)}</th>
              {variables.map((v) => (
                <th key={v}>{v}</th>
              ))}
              <th>{t("rows.rendersAs")}</th>
              <th>
                <span className="visually-hidden">{t("rows.remove")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r, k) => {
              const i = current * PAGE_SIZE + k;
              const err = errors[`items[${i}].target`] ?? errors[`items[${i}].vars`] ?? errors[`items[${i}].message`] ?? errors[`items[${i}]`];
              const out = renderTemplate(template, varsInput(r.vars, variables));
              return (
                <tr key={i} className={err ? "invalid" : undefined}>
                  <td className="muted">{i + 1}</td>
                  <td>
                    <input
                      aria-label={t(`rows.targetLabel.${kind}`, { n: i + 1 })}
                      className="mono"
                      value={r.target}
                      aria-invalid={errors[`items[${i}].target`] ? true : undefined}
                      onChange={(e) => update(i, { ...r, target: e.target.value })}
                    />
                  </td>
                  {variables.map((v) => (
                    <td key={v}>
                      <input
                        aria-label={t("rows.varLabel", { n: i + 1, name: v })}
                        value={r.vars[v] ?? ""}
                        placeholder={defaults[v]}
                        aria-invalid={errors[`items[${i}].vars`] && !r.vars[v] && !(v in defaults) ? true : undefined}
                        onChange={(e) => update(i, { ...r, vars: { ...r.vars, [v]: e.target.value } })}
                      />
                    </td>
                  ))}
                  <td className="small">
                    {err ? (
                      <span className="error">{err}</span>
                    ) : out.missing.length ? (
                      <span className="muted">{t("rows.needs", { names: out.missing.join(t("separator")) })}</span>
                    ) : (
                      <span>
                        <strong>{out.title}</strong> {out.body}
                      </span>
                    )}
                  </td>
                  <td>
                    <button type="button" className="link" onClick={() => remove(i)} aria-label={t("rows.removeRow", { n: i + 1 })}>
                      {t("rows.remove")}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions rows-actions">
        <button type="button" className="secondary" onClick={add}>
          {t("rows.add")}
        </button>
        {pages > 1 && (
          <nav className="pager" aria-label={t("rows.pages")}>
            <button type="button" className="secondary" disabled={current === 0} onClick={() => setPage(current - 1)}>
              {t("rows.previous")}
            </button>
            <span>{t("rows.page", { page: current + 1, pages })}</span>
            <button type="button" className="secondary" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
              {t("rows.next")}
            </button>
          </nav>
        )}
      </div>
      <CSVPaste
        variables={variables}
        defaults={defaults}
        value={state.csv}
        onChange={(csv) => set({ csv })}
        onRows={(parsed, kind, replace) => {
          const clean = dropBlankRows(rows);
          const next = replace ? parsed : [...clean, ...parsed];
          set({ rows: next.length ? next : [{ target: "", vars: {} }], csv: "", ...(kind ? { targetKind: kind } : {}) });
          setPage(replace ? 0 : Math.floor(clean.length / PAGE_SIZE));
        }}
      />
    </section>
  );
}

const MAX_SHOWN_ERRORS = 20;

function CSVPaste({
  variables,
  defaults,
  value,
  onChange,
  onRows,
}: {
  variables: string[];
  defaults: Record<string, string>;
  value: string;
  onChange: (v: string) => void;
  onRows: (rows: Row[], kind: "device" | "user" | undefined, replace: boolean) => void;
}) {
  const { t } = useTranslation("send");
  const parsed = useMemo(() => rowsFromCSV(value, variables, defaults), [value, variables, defaults]);
  const example = ["target", ...variables].join(",");
  const ready = parsed.rows.length > 0 && parsed.errors.length === 0;
  return (
    <details className="advanced csv" open={value !== "" || undefined}>
      <summary>{t("csv.summary")}</summary>
      <div className="advanced-body">
        <Fld label="CSV" hint={<Trans t={t} i18nKey="csv.hint" values={{ example }} components={{ code: <code /> }} />}>
          {(c) => <textarea {...c} className="mono" rows={6} spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} placeholder={`${example}\n…`} />}
        </Fld>
        {value.trim() && (
          <div role="status" className="csv-summary">
            <p>
              <Trans
                t={t}
                i18nKey={parsed.kind ? "csv.readKind" : "csv.read"}
                values={{
                  rows: count(parsed.rows.length),
                  rowWord: t("csv.row", { count: parsed.rows.length }),
                  kind: parsed.kind ? t(`csv.kind.${parsed.kind}`) : "",
                  errors: count(parsed.errors.length),
                  errorWord: t("csv.error", { count: parsed.errors.length }),
                }}
                components={{ strong: <strong />, bad: <strong className={parsed.errors.length ? "error" : undefined} /> }}
              />
            </p>
            {parsed.errors.length > 0 && (
              <ul className="csv-errors">
                {parsed.errors.slice(0, MAX_SHOWN_ERRORS).map((e, i) => (
                  <li key={i} className="error">
                    {t("csv.line", { line: e.line, message: e.message })}
                  </li>
                ))}
                {parsed.errors.length > MAX_SHOWN_ERRORS && <li className="muted">{t("csv.more", { n: count(parsed.errors.length - MAX_SHOWN_ERRORS) })}</li>}
              </ul>
            )}
          </div>
        )}
        <div className="actions">
          <button type="button" className="secondary" disabled={!ready} onClick={() => onRows(parsed.rows.map(({ target, vars }) => ({ target, vars })), parsed.kind, true)}>
            {t("csv.replace")}
          </button>
          <button type="button" className="secondary" disabled={!ready} onClick={() => onRows(parsed.rows.map(({ target, vars }) => ({ target, vars })), parsed.kind, false)}>
            {t("csv.add")}
          </button>
          {value.trim() && !ready && parsed.errors.length > 0 && <span className="muted small">{t("csv.fixFirst")}</span>}
        </div>
      </div>
    </details>
  );
}
