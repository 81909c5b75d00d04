// A broadcast: every device of the app that matches the audience, with a
// live count while the filters change and a confirmation that says how
// many devices will get it.
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { gql } from "../api";
import type { BindFilter, Platform, PushBroadcastInput } from "../gql/graphql";
import { useQuery } from "../hooks";
import { audienceInput, buildBroadcast, varsInput, type AudienceForm, type Errors } from "../lib/compose";
import { count, fromLocalInput, when } from "../lib/format";
import { defaultsOf } from "../lib/template";
import { Confirm, Loading, Problem, Segmented } from "../ui";
import { FieldError, Fld, MessageAdvanced, MessageMain, MessagePreview, OptionsFields, Preview, VarInputs } from "./fields";
import { SendGroupsQuery, SendPreviewAudienceQuery, SendPushBroadcastMutation } from "./operations";
import { SendButton, SendForm, useDebounced } from "./parts";
import { ReachNote } from "./Reach";
import { valuesFor, type BroadcastState, type Setter } from "./state";
import { TemplateChoice } from "./TemplateChoice";
import { useSender } from "./useSender";
import { useTemplate } from "./useTemplate";

type Props = { appID: string; templateName: string; onTemplate: (name: string) => void; state: BroadcastState; set: Setter<BroadcastState> };

const platforms: Platform[] = ["ANDROID", "IOS", "HARMONY", "WEB"];

// How recently a device was seen, in seconds ("" for any time); each has
// its text under audience.seen.
const seen = ["", "3600", "86400", "604800", "2592000", "7776000"] as const;
const seenKey = (v: (typeof seen)[number]) => (v === "" ? "any" : v);

export function BroadcastMode({ appID, templateName, onTemplate, state, set }: Props) {
  const { t } = useTranslation("send");
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
      <SendForm sender={sender} label={t("broadcast.form")} onSubmit={() => void submit()}>
        <div className="send-main">
          <Audience appID={appID} value={state.audience} onChange={(p) => set({ audience: { ...state.audience, ...p } })} />
          <fieldset>
            <legend>{t("broadcast.content.legend")}</legend>
            <Segmented
              label={t("broadcast.content.legend")}
              value={state.content}
              options={[
                ["message", t("broadcast.content.message")],
                ["template", t("broadcast.content.template")],
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
                <p className="muted small">{t("broadcast.content.templateNote")}</p>
              </>
            )}
          </fieldset>
          <OptionsFields value={state.options} onChange={(p) => set({ options: { ...state.options, ...p } })} />
          <ReachNote appID={appID} audience={audienceInput(state.audience)} channels={state.options.channels} />
          <SendButton sender={{ ...sender, running: sender.running || counting.running }} options={state.options} label={t("broadcast.review")} />
          <Problem error={sender.error || counting.error} />
        </div>
        <aside className="send-side">
          <AudienceCount appID={appID} audience={state.audience} />
          {state.content === "message" ? <MessagePreview message={state.message} /> : template && <Preview template={template} vars={varsInput(values, variables)} />}
        </aside>
      </SendForm>
      {confirm && (
        <Confirm
          title={t("broadcast.confirm.title", { count: confirm.devices })}
          confirm={confirm.devices === 0 ? t("broadcast.confirm.anyway") : t("broadcast.confirm.sendTo", { n: count(confirm.devices) })}
          busy={sender.running}
          onCancel={() => setConfirm(null)}
          onConfirm={async () => {
            await sender.send(confirm.input);
            setConfirm(null);
          }}
        >
          <p>
            {confirm.devices === 0 ? (
              t("broadcast.confirm.nobody")
            ) : (
              <Trans t={t} i18nKey="broadcast.confirm.matches" count={confirm.devices} components={{ strong: <strong /> }} />
            )}
          </p>
          {state.options.when === "at" && <p className="muted">{t("broadcast.confirm.at", { time: when(scheduled) })}</p>}
          {state.options.when === "repeat" && <p className="muted">{t("broadcast.confirm.repeat", { cron: state.options.cron })}</p>}
          <p className="muted small">{t("broadcast.confirm.noTakingBack")}</p>
        </Confirm>
      )}
    </>
  );
}

function Audience({ appID, value, onChange }: { appID: string; value: AudienceForm; onChange: (p: Partial<AudienceForm>) => void }) {
  const { t } = useTranslation("send");
  return (
    <fieldset>
      <legend>{t("audience.legend")}</legend>
      <p className="muted small">{t("audience.intro")}</p>
      <div role="group" aria-label={t("audience.platforms")} className="channels">
        <span className="when-label">{t("audience.platforms")}</span>
        {platforms.map((p) => (
          <label key={p} className="check">
            <input
              type="checkbox"
              checked={value.platforms.includes(p)}
              onChange={(e) => onChange({ platforms: e.target.checked ? [...value.platforms, p] : value.platforms.filter((x) => x !== p) })}
            />
            {t(`platform.${p}`)}
          </label>
        ))}
      </div>
      <div className="row">
        <Fld label={t("audience.versions.label")} name="audience.appVersions" hint={t("audience.versions.hint")}>
          {(c) => <input {...c} value={value.appVersions} onChange={(e) => onChange({ appVersions: e.target.value })} placeholder="2.1.0, 2.1.1" />}
        </Fld>
        <Fld label={t("audience.tags.label")} name="audience.tags" hint={t("audience.tags.hint")}>
          {(c) => <input {...c} value={value.tags} onChange={(e) => onChange({ tags: e.target.value })} placeholder={t("audience.tags.placeholder")} />}
        </Fld>
      </div>
      <div className="row">
        <Fld label={t("audience.bound.label")} name="audience.bound">
          {(c) => (
            <select {...c} value={value.bound} onChange={(e) => onChange({ bound: e.target.value as BindFilter })}>
              <option value="ANY">{t("audience.bound.ANY")}</option>
              <option value="BOUND">{t("audience.bound.BOUND")}</option>
              <option value="UNBOUND">{t("audience.bound.UNBOUND")}</option>
            </select>
          )}
        </Fld>
        <Fld label={t("audience.seen.label")} name="audience.activeWithinSeconds">
          {(c) => (
            <select {...c} value={value.activeWithin} onChange={(e) => onChange({ activeWithin: e.target.value })}>
              {seen.map((v) => (
                <option key={v} value={v}>
                  {t(`audience.seen.${seenKey(v)}`)}
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
  const { t } = useTranslation("send");
  const [search, setSearch] = useState("");
  const { data, error, loading, reload } = useQuery(SendGroupsQuery, { app: appID, name: search.trim() || null });
  const groups = data?.groups.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const more = (data?.groups.totalCount ?? 0) > groups.length;
  if (error) return <Problem error={error} retry={reload} />;
  if (loading && !data) return <Loading what={t("audience.groups.loading")} />;
  if (groups.length === 0 && !search) return <p className="muted small">{t("audience.groups.none")}</p>;
  return (
    <div className="groups">
      <div role="group" aria-label={t("audience.groups.label")} className="channels">
        <span className="when-label">{t("audience.groups.title")}</span>
        {groups.map((g) => (
          <label key={g.id} className="check">
            <input type="checkbox" checked={value.includes(g.id)} onChange={(e) => onChange(e.target.checked ? [...value, g.id] : value.filter((x) => x !== g.id))} />
            {g.name}
          </label>
        ))}
        {groups.length === 0 && <span className="muted small">{t("audience.groups.noMatch")}</span>}
      </div>
      {(more || search) && (
        <Fld label={t("audience.groups.find")} hint={more ? t("audience.groups.showing", { shown: count(groups.length), total: count(data?.groups.totalCount) }) : undefined}>
          {(c) => <input {...c} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t("audience.groups.findPlaceholder")} />}
        </Fld>
      )}
      {value.length > 0 && <p className="muted small">{t("audience.groups.chosen", { n: count(value.length) })}</p>}
      <FieldError name="audience.groups" />
    </div>
  );
}

// AudienceCount asks pushd how many devices match, once the filters have
// stayed put for a moment.
function AudienceCount({ appID, audience }: { appID: string; audience: AudienceForm }) {
  const { t } = useTranslation("send");
  const errors: Errors = {};
  const input = audienceInput(audience, errors);
  const valid = Object.keys(errors).length === 0;
  const settled = useDebounced(input, 400);
  const { data, error, loading } = useQuery(SendPreviewAudienceQuery, { app: appID, audience: settled }, { skip: !valid });
  const stale = loading || JSON.stringify(settled) !== JSON.stringify(input);
  return (
    <section aria-label={t("audience.size")} className="audience-count">
      <h2>{t("audience.legend")}</h2>
      <p role="status" aria-live="polite" aria-busy={stale} data-count={!stale && data ? data.previewAudience : undefined}>
        {!valid ? (
          <span className="muted">{t("audience.count.invalid")}</span>
        ) : error ? (
          <span className="error">{t("audience.count.failed")}</span>
        ) : data ? (
          <Trans t={t} i18nKey="audience.count.matches" count={data.previewAudience} components={{ strong: <strong className={stale ? "muted" : undefined} /> }} />
        ) : (
          <span className="muted">{t("audience.count.counting")}</span>
        )}
      </p>
    </section>
  );
}
