// A broadcast: every device of the app that matches the audience, with a
// live count while the filters change and a confirmation that says how
// many devices will get it.
import { useState } from "react";
import { gql } from "../api";
import type { BindFilter, Platform, PushBroadcastInput } from "../gql/graphql";
import { useQuery } from "../hooks";
import { audienceInput, buildBroadcast, varsInput, type AudienceForm, type Errors } from "../lib/compose";
import { count, fromLocalInput, when } from "../lib/format";
import { defaultsOf } from "../lib/template";
import { Confirm, Loading, Problem } from "../ui";
import { FieldError, Fld, MessageAdvanced, MessageMain, MessagePreview, OptionsFields, Preview, Segmented, VarInputs } from "./fields";
import { SendGroupsQuery, SendPreviewAudienceQuery, SendPushBroadcastMutation } from "./operations";
import { SendButton, SendForm, useDebounced } from "./parts";
import { valuesFor, type BroadcastState, type Setter } from "./state";
import { TemplateChoice } from "./TemplateChoice";
import { useSender } from "./useSender";
import { useTemplate } from "./useTemplate";

type Props = { appID: string; templateName: string; onTemplate: (name: string) => void; state: BroadcastState; set: Setter<BroadcastState> };

const platforms: [Platform, string][] = [
  ["ANDROID", "Android"],
  ["IOS", "iOS"],
  ["HARMONY", "HarmonyOS"],
  ["WEB", "Web"],
];

const seen: [string, string][] = [
  ["", "Any time"],
  ["3600", "The last hour"],
  ["86400", "The last 24 hours"],
  ["604800", "The last 7 days"],
  ["2592000", "The last 30 days"],
  ["7776000", "The last 90 days"],
];

export function BroadcastMode({ appID, templateName, onTemplate, state, set }: Props) {
  const loaded = useTemplate(appID, state.content === "template" ? templateName : "");
  const { template, variables } = loaded;
  const values = valuesFor(state.vars, template);
  const sender = useSender(appID, SendPushBroadcastMutation, (r) => r.pushBroadcast.id, () => buildBroadcast(appID, { ...state, template, vars: values }, variables));
  // The confirmation keeps the input it counted for, so what is sent is
  // what was confirmed.
  const [confirm, setConfirm] = useState<{ devices: number; input: PushBroadcastInput } | null>(null);
  const [counting, setCounting] = useState<{ running: boolean; error?: unknown }>({ running: false });

  async function submit() {
    const input = sender.check();
    if (!input) return;
    // The count is taken again now: the live one may be a moment old.
    setCounting({ running: true });
    try {
      const r = await gql(SendPreviewAudienceQuery, { app: appID, audience: input.audience ?? {} });
      setCounting({ running: false });
      setConfirm({ devices: r.previewAudience, input });
    } catch (err) {
      setCounting({ running: false, error: err });
    }
  }

  const scheduled = state.options.when === "at" ? fromLocalInput(state.options.scheduleAt) : null;
  return (
    <>
      <SendForm sender={sender} label="Broadcast" onSubmit={() => void submit()}>
        <div className="send-main">
          <Audience appID={appID} value={state.audience} onChange={(p) => set({ audience: { ...state.audience, ...p } })} />
          <fieldset>
            <legend>Content</legend>
            <Segmented
              label="Content"
              value={state.content}
              options={[
                ["message", "A message"],
                ["template", "A template"],
              ]}
              onChange={(content) => set({ content })}
            />
            {state.content === "message" ? (
              <>
                <MessageMain value={state.message} onChange={(p) => set({ message: { ...state.message, ...p } })} />
                <MessageAdvanced value={state.message} onChange={(p) => set({ message: { ...state.message, ...p } })} />
              </>
            ) : (
              <>
                <TemplateChoice appID={appID} name={templateName} onPick={onTemplate} loaded={loaded} />
                {template && (
                  <VarInputs variables={variables} defaults={defaultsOf(template)} values={values} onChange={(v) => set({ vars: { for: template.name, values: v } })} />
                )}
                <p className="muted small">A broadcast takes a template or a message, so payload, badge and the like come with a message only.</p>
              </>
            )}
          </fieldset>
          <OptionsFields value={state.options} onChange={(p) => set({ options: { ...state.options, ...p } })} />
          <SendButton sender={{ ...sender, running: sender.running || counting.running }} options={state.options} label="Review and send…" />
          <Problem error={sender.error || counting.error} />
        </div>
        <aside className="send-side">
          <AudienceCount appID={appID} audience={state.audience} />
          {state.content === "message" ? <MessagePreview message={state.message} /> : template && <Preview template={template} vars={varsInput(values, variables)} />}
        </aside>
      </SendForm>
      {confirm && (
        <Confirm
          title={`Send to ${count(confirm.devices)} ${confirm.devices === 1 ? "device" : "devices"}?`}
          confirm={confirm.devices === 0 ? "Send anyway" : `Send to ${count(confirm.devices)}`}
          busy={sender.running}
          onCancel={() => setConfirm(null)}
          onConfirm={async () => {
            await sender.send(confirm.input);
            setConfirm(null);
          }}
        >
          <p>
            {confirm.devices === 0 ? (
              "No device matches the audience right now, so nobody would get this push."
            ) : (
              <>
                <strong>{count(confirm.devices)}</strong> {confirm.devices === 1 ? "device matches" : "devices match"} the audience now and will get this push.
              </>
            )}
          </p>
          {state.options.when === "at" && <p className="muted">It goes out at {when(scheduled)}, to the devices that match then.</p>}
          {state.options.when === "repeat" && <p className="muted">It repeats on “{state.options.cron}”; each time, the devices that match then get it.</p>}
          <p className="muted small">A broadcast cannot be taken back from devices that already got it; unsent deliveries can be revoked on the push's page.</p>
        </Confirm>
      )}
    </>
  );
}

function Audience({ appID, value, onChange }: { appID: string; value: AudienceForm; onChange: (p: Partial<AudienceForm>) => void }) {
  return (
    <fieldset>
      <legend>Audience</legend>
      <p className="muted small">Every filter given must match; with none, every device of the app. Devices with push turned off never get it.</p>
      <div role="group" aria-label="Platforms" className="channels">
        <span className="when-label">Platforms</span>
        {platforms.map(([p, text]) => (
          <label key={p} className="check">
            <input
              type="checkbox"
              checked={value.platforms.includes(p)}
              onChange={(e) => onChange({ platforms: e.target.checked ? [...value.platforms, p] : value.platforms.filter((x) => x !== p) })}
            />
            {text}
          </label>
        ))}
      </div>
      <div className="row">
        <Fld label="App versions" name="audience.appVersions" hint="Comma separated, exact versions; any when empty.">
          {(c) => <input {...c} value={value.appVersions} onChange={(e) => onChange({ appVersions: e.target.value })} placeholder="2.1.0, 2.1.1" />}
        </Fld>
        <Fld label="Tags" name="audience.tags" hint="Devices with any of these tags.">
          {(c) => <input {...c} value={value.tags} onChange={(e) => onChange({ tags: e.target.value })} placeholder="beta, vip" />}
        </Fld>
      </div>
      <div className="row">
        <Fld label="Bound to a user" name="audience.bound">
          {(c) => (
            <select {...c} value={value.bound} onChange={(e) => onChange({ bound: e.target.value as BindFilter })}>
              <option value="ANY">Bound or not</option>
              <option value="BOUND">Bound to a user</option>
              <option value="UNBOUND">Not bound</option>
            </select>
          )}
        </Fld>
        <Fld label="Seen within" name="audience.activeWithinSeconds">
          {(c) => (
            <select {...c} value={value.activeWithin} onChange={(e) => onChange({ activeWithin: e.target.value })}>
              {seen.map(([v, text]) => (
                <option key={v} value={v}>
                  {text}
                </option>
              ))}
            </select>
          )}
        </Fld>
      </div>
      <Groups appID={appID} value={value.groups} onChange={(groups) => onChange({ groups })} />
      <FieldError name="audience" />
    </fieldset>
  );
}

function Groups({ appID, value, onChange }: { appID: string; value: string[]; onChange: (v: string[]) => void }) {
  const [search, setSearch] = useState("");
  const { data, error, loading, reload } = useQuery(SendGroupsQuery, { app: appID, name: search.trim() || null });
  const groups = data?.groups.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const more = (data?.groups.totalCount ?? 0) > groups.length;
  if (error) return <Problem error={error} retry={reload} />;
  if (loading && !data) return <Loading what="Loading groups…" />;
  if (groups.length === 0 && !search) return <p className="muted small">Groups: this app has none (users in a group can be a broadcast's audience).</p>;
  return (
    <div className="groups">
      <div role="group" aria-label="Groups" className="channels">
        <span className="when-label">Groups (users in any of them)</span>
        {groups.map((g) => (
          <label key={g.id} className="check">
            <input type="checkbox" checked={value.includes(g.id)} onChange={(e) => onChange(e.target.checked ? [...value, g.id] : value.filter((x) => x !== g.id))} />
            {g.name}
          </label>
        ))}
        {groups.length === 0 && <span className="muted small">No group matches.</span>}
      </div>
      {(more || search) && (
        <Fld label="Find a group" hint={more ? `Showing ${groups.length} of ${count(data?.groups.totalCount)}.` : undefined}>
          {(c) => <input {...c} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Part of a name" />}
        </Fld>
      )}
      {value.length > 0 && <p className="muted small">{value.length} chosen.</p>}
      <FieldError name="audience.groups" />
    </div>
  );
}

// AudienceCount asks pushd how many devices match, once the filters have
// stayed put for a moment.
function AudienceCount({ appID, audience }: { appID: string; audience: AudienceForm }) {
  const errors: Errors = {};
  const input = audienceInput(audience, errors);
  const valid = Object.keys(errors).length === 0;
  const settled = useDebounced(input, 400);
  const { data, error, loading } = useQuery(SendPreviewAudienceQuery, { app: appID, audience: settled }, { skip: !valid });
  const stale = loading || JSON.stringify(settled) !== JSON.stringify(input);
  return (
    <section aria-label="Audience size" className="audience-count">
      <h2>Audience</h2>
      <p role="status" aria-live="polite" aria-busy={stale} data-count={!stale && data ? data.previewAudience : undefined}>
        {!valid ? (
          <span className="muted">Fix the filters to count.</span>
        ) : error ? (
          <span className="error">The count failed.</span>
        ) : data ? (
          <>
            <strong className={stale ? "muted" : undefined}>{count(data.previewAudience)}</strong> {data.previewAudience === 1 ? "device matches" : "devices match"} now
          </>
        ) : (
          <span className="muted">Counting…</span>
        )}
      </p>
    </section>
  );
}
