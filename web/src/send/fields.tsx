// Form pieces every composer mode shares: targets, the message, delivery
// options, the template picker, its variables and the live preview. An
// error shows under the field whose pushd path it carries (ErrorsContext).
import { createContext, useContext, useId, useState, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { TargetListPicker } from "../components/TargetPicker";
import type { Channel } from "../gql/graphql";
import { useQuery } from "../hooks";
import {
  CLASSIFICATIONS,
  MAX_TARGETS,
  parseList,
  parsePayload,
  PAYLOAD_EXAMPLE,
  type Errors,
  type MessageForm,
  type OptionsForm,
  type TargetKind,
  type TTLUnit,
  ttlSeconds,
} from "../lib/compose";
import { CHANNELS } from "../lib/analytics";
import { describeCron } from "../lib/cron";
import { channelName, count } from "../lib/format";
import { fill, renderTemplate, segments, type TemplateLike } from "../lib/template";
import { Segmented } from "../ui";
import { CronBuilder, ZoneField } from "./CronBuilder";
import { SendTemplatesQuery } from "./operations";
import { PhonePreview } from "./PhonePreview";

export const ErrorsContext = createContext<Errors>({});

// Examples in placeholders are values to type, the same in every language.
const EXAMPLE = { uri: "myapp://orders/42", sound: "default", imageURL: "https://", msgKey: "order-42-shipped" };

type Control = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

// Fld is a labelled control with its hint and its error (by pushd field
// path), both tied to the control for screen readers.
export function Fld({ label, name, hint, error, children }: { label: string; name?: string; hint?: ReactNode; error?: string; children: (c: Control) => ReactNode }) {
  const id = useId();
  const errors = useContext(ErrorsContext);
  const err = error ?? (name ? errors[name] : undefined);
  const described = [hint ? `${id}-hint` : "", err ? `${id}-err` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(err ? { "aria-invalid": true } : {}), ...(described ? { "aria-describedby": described } : {}) })}
      {hint && (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      )}
      {err && (
        <small id={`${id}-err`} className="error">
          {err}
        </small>
      )}
    </div>
  );
}

// FieldError shows an error that belongs to a group of fields.
export function FieldError({ name }: { name: string }) {
  const err = useContext(ErrorsContext)[name];
  return err ? <p className="error small field-error">{err}</p> : null;
}


// ---------------------------------------------------------------- targets

export function TargetsField({ kind, onKind, value, onChange }: { kind: TargetKind; onKind: (k: TargetKind) => void; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation("compose");
  const n = parseList(value).length;
  return (
    <fieldset>
      <legend>{t("targets.legend")}</legend>
      <Segmented
        label={t("targets.kind")}
        value={kind}
        options={[
          ["device", t("targets.device")],
          ["user", t("targets.user")],
        ]}
        onChange={onKind}
      />
      <Fld
        label={t(kind === "device" ? "targets.device" : "targets.user")}
        name="target"
        hint={
          <>
            {t("targets.limit", { max: count(MAX_TARGETS) })} {n > 0 && <strong>{t("targets.count", { count: n })}</strong>}{" "}
            {t(kind === "user" ? "targets.userHint" : "targets.deviceHint")}
          </>
        }
      >
        {(c) => <textarea {...c} value={value} onChange={(e) => onChange(e.target.value)} rows={3} spellCheck={false} className="mono" />}
      </Fld>
      <TargetListPicker kind={kind} value={value} onChange={onChange} />
    </fieldset>
  );
}

// ---------------------------------------------------------------- message

type MessageProps = { value: MessageForm; onChange: (patch: Partial<MessageForm>) => void };

export function MessageMain({ value, onChange }: MessageProps) {
  const { t } = useTranslation("compose");
  return (
    <>
      <Fld label={t("message.title")} name="message.title">
        {(c) => <input {...c} value={value.title} onChange={(e) => onChange({ title: e.target.value })} />}
      </Fld>
      <Fld label={t("message.body")} name="message.body">
        {(c) => <textarea {...c} value={value.body} onChange={(e) => onChange({ body: e.target.value })} rows={3} />}
      </Fld>
      <FieldError name="message" />
    </>
  );
}

const advancedKeys = ["payload", "uri", "action", "silent", "badge", "sound", "imageURL", "priority", "collapseKey", "androidChannelID", "category", "classification"];

// MessageAdvanced is everything beyond title and body, folded away; it
// opens by itself when one of its fields has an error. prefix is where
// pushd reports its errors ("message", or "items[i].message").
export function MessageAdvanced({ value, onChange, summary, prefix = "message" }: MessageProps & { summary?: string; prefix?: string }) {
  const { t } = useTranslation("compose");
  const { t: tc } = useTranslation("common");
  const errors = useContext(ErrorsContext);
  const [open, setOpen] = useState(false);
  const payload = parsePayload(value.payload);
  const failing = advancedKeys.some((k) => errors[`${prefix}.${k}`]) || !!payload.error;
  return (
    <details className="advanced" open={open || failing} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary ?? t("message.advanced")}</summary>
      <div className="advanced-body">
        <Fld label={t("message.payload.label")} error={payload.error ?? errors[`${prefix}.payload`]} hint={t("message.payload.hint", { example: PAYLOAD_EXAMPLE })}>
          {(c) => <textarea {...c} className="mono" rows={3} spellCheck={false} value={value.payload} onChange={(e) => onChange({ payload: e.target.value })} />}
        </Fld>
        <label className="check">
          <input type="checkbox" checked={value.silent} onChange={(e) => onChange({ silent: e.target.checked })} />
          {t("message.silent")}
        </label>
        <div className="row">
          <Fld label={t("message.action.label")} name={`${prefix}.action`}>
            {(c) => (
              <select {...c} value={value.action} onChange={(e) => onChange({ action: e.target.value as MessageForm["action"] })}>
                <option value="">{t("message.action.default")}</option>
                <option value="OPEN_APP">{t("message.action.OPEN_APP")}</option>
                <option value="OPEN_URI">{t("message.action.OPEN_URI")}</option>
              </select>
            )}
          </Fld>
          <Fld label={t("message.uri.label")} name={`${prefix}.uri`} hint={t("message.uri.hint")}>
            {(c) => <input {...c} value={value.uri} onChange={(e) => onChange({ uri: e.target.value })} placeholder={EXAMPLE.uri} />}
          </Fld>
        </div>
        <Fld label={t("field.classification")} name={`${prefix}.classification`} hint={t("message.classification.hint")}>
          {(c) => (
            <select {...c} value={value.classification} onChange={(e) => onChange({ classification: e.target.value as MessageForm["classification"] })}>
              <option value="">{t("message.classification.default")}</option>
              {(["SERVICE", "MARKETING"] as const).map((cls) => (
                <optgroup key={cls} label={t(`message.classification.${cls}`)}>
                  {CLASSIFICATIONS[cls].map((v) => (
                    <option key={v} value={v}>
                      {tc(`classification.${v}`)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Fld>
        <div className="row">
          <Fld label={t("field.priority")} name={`${prefix}.priority`}>
            {(c) => (
              <select {...c} value={value.priority} onChange={(e) => onChange({ priority: e.target.value as MessageForm["priority"] })}>
                <option value="">{t("message.priority.default")}</option>
                <option value="HIGH">{t("message.priority.HIGH")}</option>
                <option value="NORMAL">{t("message.priority.NORMAL")}</option>
              </select>
            )}
          </Fld>
          <Fld label={t("field.badge")} name={`${prefix}.badge`} hint={t("message.badgeHint")}>
            {(c) => <input {...c} type="number" min={0} step={1} value={value.badge} onChange={(e) => onChange({ badge: e.target.value })} />}
          </Fld>
          <Fld label={t("field.sound")} name={`${prefix}.sound`}>
            {(c) => <input {...c} value={value.sound} onChange={(e) => onChange({ sound: e.target.value })} placeholder={EXAMPLE.sound} />}
          </Fld>
        </div>
        <Fld label={t("field.imageURL")} name={`${prefix}.imageURL`} hint={t("message.imageURLHint")}>
          {(c) => <input {...c} type="url" value={value.imageURL} onChange={(e) => onChange({ imageURL: e.target.value })} placeholder={EXAMPLE.imageURL} />}
        </Fld>
        <div className="row">
          <Fld label={t("field.collapseKey")} name={`${prefix}.collapseKey`} hint={t("message.collapseKeyHint")}>
            {(c) => <input {...c} value={value.collapseKey} onChange={(e) => onChange({ collapseKey: e.target.value })} />}
          </Fld>
          <Fld label={t("field.androidChannelID")} name={`${prefix}.androidChannelID`}>
            {(c) => <input {...c} value={value.androidChannelID} onChange={(e) => onChange({ androidChannelID: e.target.value })} />}
          </Fld>
          <Fld label={t("field.category")} name={`${prefix}.category`} hint={t("message.categoryHint")}>
            {(c) => <input {...c} value={value.category} onChange={(e) => onChange({ category: e.target.value })} />}
          </Fld>
        </div>
      </div>
    </details>
  );
}

// ---------------------------------------------------------------- options

// The channels and units are named when the form renders (channelName,
// t), so a change of language shows at once.
const channels: Channel[] = CHANNELS;

const units: TTLUnit[] = ["s", "min", "h", "d"];

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

export const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export function OptionsFields({ value, onChange, repeat = true }: { value: OptionsForm; onChange: (patch: Partial<OptionsForm>) => void; repeat?: boolean }) {
  const { t } = useTranslation("compose");
  const zonesID = useId();
  const group = useId();
  const ttl = ttlSeconds(value.ttl, value.ttlUnit);
  const cron = value.cron.trim() ? describeCron(value.cron) : undefined;
  const when: OptionsForm["when"][] = repeat ? ["now", "at", "repeat"] : ["now", "at"];
  return (
    <fieldset>
      <legend>{t("options.legend")}</legend>
      <div role="radiogroup" aria-label={t("options.when.label")} className="when">
        <span className="when-label">{t("options.when.label")}</span>
        {when.map((v) => (
          <label key={v} className="check">
            <input type="radio" name={group} value={v} checked={value.when === v} onChange={() => onChange({ when: v })} />
            {t(`options.when.${v}`)}
          </label>
        ))}
      </div>
      <FieldError name="options.recurrence" />
      {value.when === "at" && (
        <Fld label={t("field.scheduleAt")} name="options.scheduleAt" hint={t("options.scheduleAtHint", { zone: localZone() })}>
          {(c) => <input {...c} type="datetime-local" value={value.scheduleAt} onChange={(e) => onChange({ scheduleAt: e.target.value })} />}
        </Fld>
      )}
      {value.when === "repeat" && (
        <>
          <CronBuilder cron={value.cron} onCron={(cron) => onChange({ cron })} />
          <div className="row">
            <Fld
              label={t("field.cron")}
              name="options.recurrence.cron"
              error={cron?.error}
              hint={
                cron?.words ? (
                  <Trans t={t} i18nKey="options.cron.words" values={{ words: cron.words, zone: value.timeZone || "…" }} components={{ strong: <strong /> }} />
                ) : (
                  t("options.cron.help")
                )
              }
            >
              {(c) => <input {...c} className="mono" value={value.cron} onChange={(e) => onChange({ cron: e.target.value })} placeholder="0 9 * * 1-5" spellCheck={false} />}
            </Fld>
            <Fld label={t("field.timeZone")} name="options.recurrence.timeZone" hint={t("options.timeZoneHint")}>
              {(c) => <ZoneField control={c} listID={zonesID} zones={timeZones()} value={value.timeZone} onChange={(timeZone) => onChange({ timeZone })} />}
            </Fld>
          </div>
          <div className="row">
            <Fld label={t("field.startAt")} name="options.recurrence.startAt" hint={t("options.yourTime")}>
              {(c) => <input {...c} type="datetime-local" value={value.startAt} onChange={(e) => onChange({ startAt: e.target.value })} />}
            </Fld>
            <Fld label={t("field.endAt")} name="options.recurrence.endAt" hint={t("options.yourTime")}>
              {(c) => <input {...c} type="datetime-local" value={value.endAt} onChange={(e) => onChange({ endAt: e.target.value })} />}
            </Fld>
          </div>
          <p className="muted small">{t("options.repeatNote")}</p>
        </>
      )}
      <div className="row">
        <Fld
          label={t("options.ttl.label")}
          name="options.ttlSeconds"
          error={ttl.error}
          hint={
            <>
              {t("options.ttl.hint")}
              {ttl.seconds !== undefined && t("options.ttl.seconds", { n: count(ttl.seconds) })}
            </>
          }
        >
          {(c) => (
            <span className="ttl">
              <input {...c} type="number" min={0} step="any" value={value.ttl} onChange={(e) => onChange({ ttl: e.target.value })} placeholder={t("options.ttl.placeholder")} />
              <select aria-label={t("options.ttl.unit")} value={value.ttlUnit} onChange={(e) => onChange({ ttlUnit: e.target.value as TTLUnit })}>
                {units.map((u) => (
                  <option key={u} value={u}>
                    {t(`options.ttl.units.${u}`)}
                  </option>
                ))}
              </select>
            </span>
          )}
        </Fld>
        <Fld label={t("field.msgKey")} name="options.msgKey" hint={t("options.msgKeyHint")}>
          {(c) => <input {...c} value={value.msgKey} onChange={(e) => onChange({ msgKey: e.target.value })} placeholder={EXAMPLE.msgKey} />}
        </Fld>
        <Fld label={t("field.taskName")} name="options.taskName" hint={t("options.taskNameHint")}>
          {(c) => <input {...c} value={value.taskName} onChange={(e) => onChange({ taskName: e.target.value })} />}
        </Fld>
      </div>
      <div role="group" aria-label={t("field.channels")} className="channels">
        <span className="when-label">{t("options.onlyThrough")}</span>
        {channels.map((ch) => (
          <label key={ch} className="check">
            <input
              type="checkbox"
              checked={value.channels.includes(ch)}
              onChange={(e) => onChange({ channels: e.target.checked ? [...value.channels, ch] : value.channels.filter((c) => c !== ch) })}
            />
            {channelName(ch)}
          </label>
        ))}
      </div>
      <small className="muted">{t("options.anyChannel")}</small>
      <FieldError name="options.channels" />
    </fieldset>
  );
}

// ---------------------------------------------------------------- templates

export type Template = TemplateLike & { id: string; name: string };

// TemplatePicker chooses one of the app's templates by name; the name is
// the form's state (kept in the URL by the page).
export function TemplatePicker({ appID, name, onPick }: { appID: string; name: string; onPick: (name: string) => void }) {
  const { t } = useTranslation("compose");
  const [search, setSearch] = useState("");
  const { data, error, loading } = useQuery(SendTemplatesQuery, { app: appID, name: search.trim() || null });
  const list = data?.templates.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const many = (data?.templates.totalCount ?? 0) > list.length || search !== "";
  const errors = useContext(ErrorsContext);
  if (!loading && !error && list.length === 0 && !search) {
    return (
      <>
        <p className="empty">
          <Trans t={t} i18nKey="templates.none" components={{ link: <Link to={`/apps/${appID}/templates`} /> }} />
        </p>
        <FieldError name="templateName" />
      </>
    );
  }
  return (
    <div className="row">
      {many && (
        <Fld label={t("templates.find")}>
          {(c) => <input {...c} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t("templates.findPlaceholder")} />}
        </Fld>
      )}
      <Fld label={t("field.templateName")} name="templateName" error={errors.templateName} hint={error ? t("templates.loadFailed") : undefined}>
        {(c) => (
          <select {...c} value={name} onChange={(e) => onPick(e.target.value)}>
            <option value="">{t(loading && !data ? "templates.loading" : "templates.choose")}</option>
            {name && !list.some((tpl) => tpl.name === name) && <option value={name}>{name}</option>}
            {list.map((tpl) => (
              <option key={tpl.id} value={tpl.name}>
                {tpl.name}
              </option>
            ))}
          </select>
        )}
      </Fld>
    </div>
  );
}

// VarInputs is one box per template variable; an empty box leaves the
// variable's default to pushd.
export function VarInputs({ variables, defaults, values, onChange, name = "vars" }: { variables: string[]; defaults: Record<string, string>; values: Record<string, string>; onChange: (v: Record<string, string>) => void; name?: string }) {
  const { t } = useTranslation("compose");
  if (variables.length === 0) return <p className="muted small">{t("vars.none")}</p>;
  return (
    <fieldset>
      <legend>{t("field.vars")}</legend>
      <div className="row">
        {variables.map((v) => (
          <Fld key={v} label={v} hint={v in defaults ? t("vars.default", { value: defaults[v] || t("vars.empty") }) : t("vars.noDefault")}>
            {(c) => <input {...c} value={values[v] ?? ""} placeholder={defaults[v]} onChange={(e) => onChange({ ...values, [v]: e.target.value })} />}
          </Fld>
        ))}
      </div>
      <FieldError name={name} />
    </fieldset>
  );
}

// Rendered shows a template string with its values, a missing variable
// marked where it stands.
export function Rendered({ text, vars }: { text: string; vars: Record<string, string> }) {
  const { t } = useTranslation("compose");
  return (
    <>
      {segments(text).map((s, i) =>
        "text" in s ? (
          <span key={i}>{s.text}</span>
        ) : Object.hasOwn(vars, s.name) ? (
          <span key={i} className="filled">
            {vars[s.name]}
          </span>
        ) : (
          <mark key={i} title={t("vars.noValue", { name: s.name })}>
            {s.raw}
          </mark>
        ),
      )}
    </>
  );
}

// Preview is the notification as the device will show it, rendered the
// way pushd renders (lib/template.ts), on a phone (PhonePreview). message
// adds the image, badge and silence of the push, where the form has them.
export function Preview({ template, vars, message }: { template: TemplateLike; vars: Record<string, string>; message?: Pick<MessageForm, "imageURL" | "badge" | "silent"> }) {
  const all = { ...Object.fromEntries(Object.entries(template.defaults ?? {}).filter(([, v]) => typeof v === "string")), ...vars } as Record<string, string>;
  const { t } = useTranslation("compose");
  const { missing } = renderTemplate(template, vars);
  return (
    <section aria-label={t("preview.title")} className="send-preview">
      <h2>{t("preview.title")}</h2>
      <PhonePreview
        testID="preview"
        title={fill(template.title, all)}
        body={fill(template.body, all)}
        titleNode={<Rendered text={template.title} vars={all} />}
        bodyNode={<Rendered text={template.body} vars={all} />}
        imageURL={message?.imageURL}
        badge={message?.badge}
        silent={message?.silent}
        note={message?.silent && t("preview.silent")}
      />
      {missing.length > 0 ? (
        <p className="error small">{t("preview.missing", { names: missing.join(t("separator")) })}</p>
      ) : (
        <p className="muted small">{t("preview.asRendered")}</p>
      )}
    </section>
  );
}

// MessagePreview shows a plain message the same way.
export function MessagePreview({ message }: { message: MessageForm }) {
  const { t } = useTranslation("compose");
  const empty = !message.title && !message.body;
  return (
    <section aria-label={t("preview.title")} className="send-preview">
      <h2>{t("preview.title")}</h2>
      <PhonePreview
        testID="preview"
        title={message.title}
        body={message.body}
        imageURL={message.imageURL}
        badge={message.badge}
        silent={message.silent}
        note={message.silent || empty ? t(message.silent ? "preview.silent" : "preview.empty") : undefined}
      />
    </section>
  );
}
