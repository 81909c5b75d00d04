// A multiple push: one template, many targets, each row with its own
// variables; rows are typed in or pasted as CSV.
import { useContext, useMemo, useState } from "react";
import { buildMultiple, dropBlankRows, MAX_ITEMS, parseList, rowsFromCSV, varsInput, type Row } from "../lib/compose";
import { count } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { defaultsOf, renderTemplate } from "../lib/template";
import { Problem } from "../ui";
import { ErrorsContext, FieldError, Fld, MessageAdvanced, OptionsFields, Preview, Segmented, type Template } from "./fields";
import { SendPushMultipleMutation } from "./operations";
import { SendButton, SendForm } from "./parts";
import type { MultipleState, Setter } from "./state";
import { TemplateChoice } from "./TemplateChoice";
import { useSender } from "./useSender";
import { useTemplate } from "./useTemplate";

type Props = { appID: string; templateName: string; onTemplate: (name: string) => void; state: MultipleState; set: Setter<MultipleState> };

export function MultipleMode({ appID, templateName, onTemplate, state, set }: Props) {
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
    <SendForm sender={sender} label="Multiple push" className="send-form" onSubmit={submit}>
      <div className="grid-2">
        <fieldset>
          <legend>Template</legend>
          <TemplateChoice appID={appID} name={templateName} onPick={onTemplate} loaded={loaded} />
          {template && (
            <p className="muted small">
              Variables:{" "}
              {variables.length
                ? variables.map((v, i) => (
                    <span key={v}>
                      {i > 0 && ", "}
                      <code>{v}</code>
                    </span>
                  ))
                : "none"}
              . Each row fills them for its target; an empty cell takes the
              variable's default.
            </p>
          )}
        </fieldset>
        <aside className="send-side">{template && <Preview template={template} vars={varsInput(state.rows[0]?.vars ?? {}, variables)} />}</aside>
      </div>
      {template && <Rows template={template} variables={variables} state={state} set={set} />}
      <fieldset>
        <legend>Message extras</legend>
        <MessageAdvanced summary="Payload, badge, sound, … (the same for every row)" value={state.extras} onChange={(p) => set({ extras: { ...state.extras, ...p } })} />
      </fieldset>
      <OptionsFields value={state.options} onChange={(p) => set({ options: { ...state.options, ...p } })} repeat={false} />
      <SendButton sender={sender} options={state.options} />
      <Problem error={sender.error} />
    </SendForm>
  );
}

function Rows({ template, variables, state, set }: { template: Template; variables: string[]; state: MultipleState; set: Setter<MultipleState> }) {
  const errors = useContext(ErrorsContext);
  const [page, setPage] = useState(0);
  const defaults = useMemo(() => defaultsOf(template), [template]);
  const rows = state.rows;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const filled = rows.filter((r) => r.target.trim());
  const targets = filled.reduce((n, r) => n + parseList(r.target).length, 0);
  const kindLabel = state.targetKind === "device" ? "Device ID" : "User ID";

  const update = (i: number, row: Row) => set({ rows: rows.map((r, j) => (j === i ? row : r)) });
  const remove = (i: number) => set({ rows: rows.length === 1 ? [{ target: "", vars: {} }] : rows.filter((_, j) => j !== i) });
  const add = () => {
    set({ rows: [...rows, { target: "", vars: {} }] });
    setPage(Math.floor(rows.length / PAGE_SIZE));
  };

  return (
    <section aria-label="Rows" className="send-rows">
      <div className="section-header">
        <h2>Targets and their variables</h2>
        <Segmented
          label="Target kind"
          value={state.targetKind}
          options={[
            ["device", "Device IDs"],
            ["user", "User IDs"],
          ]}
          onChange={(targetKind) => set({ targetKind })}
        />
      </div>
      <p className="muted small" role="status">
        {count(filled.length)} {filled.length === 1 ? "row" : "rows"} · {count(targets)} {targets === 1 ? "target" : "targets"} (at most {count(MAX_ITEMS)})
      </p>
      <FieldError name="items" />
      <div className="table-scroll">
        <table className="rows-table">
          <thead>
            <tr>
              <th>#</th>
              <th>{kindLabel}</th>
              {variables.map((v) => (
                <th key={v}>{v}</th>
              ))}
              <th>Renders as</th>
              <th>
                <span className="visually-hidden">Remove</span>
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
                      aria-label={`Row ${i + 1} ${kindLabel.toLowerCase()}`}
                      className="mono"
                      value={r.target}
                      aria-invalid={errors[`items[${i}].target`] ? true : undefined}
                      onChange={(e) => update(i, { ...r, target: e.target.value })}
                    />
                  </td>
                  {variables.map((v) => (
                    <td key={v}>
                      <input
                        aria-label={`Row ${i + 1} ${v}`}
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
                      <span className="muted">needs {out.missing.join(", ")}</span>
                    ) : (
                      <span>
                        <strong>{out.title}</strong> {out.body}
                      </span>
                    )}
                  </td>
                  <td>
                    <button type="button" className="link" onClick={() => remove(i)} aria-label={`Remove row ${i + 1}`}>
                      Remove
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
          Add row
        </button>
        {pages > 1 && (
          <nav className="pager" aria-label="Row pages">
            <button type="button" className="secondary" disabled={current === 0} onClick={() => setPage(current - 1)}>
              Previous
            </button>
            <span>
              Page {current + 1} of {pages}
            </span>
            <button type="button" className="secondary" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
              Next
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
  const parsed = useMemo(() => rowsFromCSV(value, variables, defaults), [value, variables, defaults]);
  const example = ["target", ...variables].join(",");
  const ready = parsed.rows.length > 0 && parsed.errors.length === 0;
  return (
    <details className="advanced csv" open={value !== "" || undefined}>
      <summary>Paste CSV</summary>
      <div className="advanced-body">
        <Fld
          label="CSV"
          hint={
            <>
              A header line <code>{example}</code> (the first column may be called deviceID or userID), then one row per line. Quote cells with commas.
            </>
          }
        >
          {(c) => <textarea {...c} className="mono" rows={6} spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} placeholder={`${example}\n…`} />}
        </Fld>
        {value.trim() && (
          <div role="status" className="csv-summary">
            <p>
              <strong>{count(parsed.rows.length)}</strong> {parsed.rows.length === 1 ? "row" : "rows"} read
              {parsed.kind && ` (${parsed.kind === "device" ? "device IDs" : "user IDs"})`},{" "}
              <strong className={parsed.errors.length ? "error" : undefined}>{count(parsed.errors.length)}</strong> {parsed.errors.length === 1 ? "error" : "errors"}.
            </p>
            {parsed.errors.length > 0 && (
              <ul className="csv-errors">
                {parsed.errors.slice(0, MAX_SHOWN_ERRORS).map((e, i) => (
                  <li key={i} className="error">
                    Line {e.line}: {e.message}
                  </li>
                ))}
                {parsed.errors.length > MAX_SHOWN_ERRORS && <li className="muted">… and {count(parsed.errors.length - MAX_SHOWN_ERRORS)} more.</li>}
              </ul>
            )}
          </div>
        )}
        <div className="actions">
          <button type="button" className="secondary" disabled={!ready} onClick={() => onRows(parsed.rows.map(({ target, vars }) => ({ target, vars })), parsed.kind, true)}>
            Replace rows
          </button>
          <button type="button" className="secondary" disabled={!ready} onClick={() => onRows(parsed.rows.map(({ target, vars }) => ({ target, vars })), parsed.kind, false)}>
            Add to rows
          </button>
          {value.trim() && !ready && parsed.errors.length > 0 && <span className="muted small">Fix the lines above first.</span>}
        </div>
      </div>
    </details>
  );
}
