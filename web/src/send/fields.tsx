// Form pieces every composer mode shares: targets, the message, delivery
// options, the template picker, its variables and the live preview. An
// error shows under the field whose pushd path it carries (ErrorsContext).
import { createContext, useContext, useId, useState, type ReactNode } from "react";
import { Link } from "react-router-dom";
import type { Channel } from "../gql/graphql";
import { useQuery } from "../hooks";
import {
  MAX_TARGETS,
  parseList,
  parsePayload,
  type Errors,
  type MessageForm,
  type OptionsForm,
  type TargetKind,
  type TTLUnit,
  ttlSeconds,
} from "../lib/compose";
import { describeCron } from "../lib/cron";
import { channelName, count } from "../lib/format";
import { renderTemplate, segments, type TemplateLike } from "../lib/template";
import { SendTemplatesQuery } from "./operations";

export const ErrorsContext = createContext<Errors>({});

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

export function Segmented<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: [T, string][]; onChange: (v: T) => void }) {
  return (
    <div role="group" aria-label={label} className="segmented">
      {options.map(([v, text]) => (
        <button key={v} type="button" aria-pressed={value === v} onClick={() => onChange(v)}>
          {text}
        </button>
      ))}
    </div>
  );
}

// ---------------------------------------------------------------- targets

export function TargetsField({ kind, onKind, value, onChange }: { kind: TargetKind; onKind: (k: TargetKind) => void; value: string; onChange: (v: string) => void }) {
  const n = parseList(value).length;
  return (
    <fieldset>
      <legend>Send to</legend>
      <Segmented
        label="Target kind"
        value={kind}
        options={[
          ["device", "Device IDs"],
          ["user", "User IDs"],
        ]}
        onChange={onKind}
      />
      <Fld
        label={kind === "device" ? "Device IDs" : "User IDs"}
        name="target"
        hint={
          <>
            One per line or comma separated; at most {count(MAX_TARGETS)}. {n > 0 && <strong>{count(n)} {n === 1 ? "target" : "targets"}.</strong>}{" "}
            {kind === "user" ? "Every device bound to each user gets it, and devices bound later while the TTL lasts." : "Unknown device IDs are listed on the push, not refused."}
          </>
        }
      >
        {(c) => <textarea {...c} value={value} onChange={(e) => onChange(e.target.value)} rows={3} spellCheck={false} className="mono" />}
      </Fld>
    </fieldset>
  );
}

// ---------------------------------------------------------------- message

type MessageProps = { value: MessageForm; onChange: (patch: Partial<MessageForm>) => void };

export function MessageMain({ value, onChange }: MessageProps) {
  return (
    <>
      <Fld label="Title" name="message.title">
        {(c) => <input {...c} value={value.title} onChange={(e) => onChange({ title: e.target.value })} />}
      </Fld>
      <Fld label="Body" name="message.body">
        {(c) => <textarea {...c} value={value.body} onChange={(e) => onChange({ body: e.target.value })} rows={3} />}
      </Fld>
      <FieldError name="message" />
    </>
  );
}

const advancedKeys = ["payload", "uri", "action", "silent", "badge", "sound", "imageURL", "priority", "collapseKey", "androidChannelID", "category"];

// MessageAdvanced is everything beyond title and body, folded away; it
// opens by itself when one of its fields has an error. prefix is where
// pushd reports its errors ("message", or "items[i].message").
export function MessageAdvanced({ value, onChange, summary = "Advanced", prefix = "message" }: MessageProps & { summary?: string; prefix?: string }) {
  const errors = useContext(ErrorsContext);
  const [open, setOpen] = useState(false);
  const payload = parsePayload(value.payload);
  const failing = advancedKeys.some((k) => errors[`${prefix}.${k}`]) || !!payload.error;
  return (
    <details className="advanced" open={open || failing} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      <div className="advanced-body">
        <Fld
          label="Payload (JSON)"
          error={payload.error ?? errors[`${prefix}.payload`]}
          hint={<>Custom key-value data for the app, a JSON object such as {'{"orderID": "42"}'}.</>}
        >
          {(c) => <textarea {...c} className="mono" rows={3} spellCheck={false} value={value.payload} onChange={(e) => onChange({ payload: e.target.value })} />}
        </Fld>
        <label className="check">
          <input type="checkbox" checked={value.silent} onChange={(e) => onChange({ silent: e.target.checked })} />
          Silent (data only: nothing is shown; needs a payload)
        </label>
        <div className="row">
          <Fld label="Tap action" name={`${prefix}.action`}>
            {(c) => (
              <select {...c} value={value.action} onChange={(e) => onChange({ action: e.target.value as MessageForm["action"] })}>
                <option value="">Default (open the app)</option>
                <option value="OPEN_APP">Open the app</option>
                <option value="OPEN_URI">Open the URI</option>
              </select>
            )}
          </Fld>
          <Fld label="URI" name={`${prefix}.uri`} hint="A deep link or web address to open on tap.">
            {(c) => <input {...c} value={value.uri} onChange={(e) => onChange({ uri: e.target.value })} placeholder="myapp://orders/42" />}
          </Fld>
        </div>
        <div className="row">
          <Fld label="Priority" name={`${prefix}.priority`}>
            {(c) => (
              <select {...c} value={value.priority} onChange={(e) => onChange({ priority: e.target.value as MessageForm["priority"] })}>
                <option value="">Default</option>
                <option value="HIGH">High</option>
                <option value="NORMAL">Normal</option>
              </select>
            )}
          </Fld>
          <Fld label="Badge" name={`${prefix}.badge`} hint="The number on the app icon.">
            {(c) => <input {...c} type="number" min={0} step={1} value={value.badge} onChange={(e) => onChange({ badge: e.target.value })} />}
          </Fld>
          <Fld label="Sound" name={`${prefix}.sound`}>
            {(c) => <input {...c} value={value.sound} onChange={(e) => onChange({ sound: e.target.value })} placeholder="default" />}
          </Fld>
        </div>
        <Fld label="Image URL" name={`${prefix}.imageURL`} hint="https:// only: vendors fetch it over TLS.">
          {(c) => <input {...c} type="url" value={value.imageURL} onChange={(e) => onChange({ imageURL: e.target.value })} placeholder="https://" />}
        </Fld>
        <div className="row">
          <Fld label="Collapse key" name={`${prefix}.collapseKey`} hint="A newer push with the same key replaces this one on the device.">
            {(c) => <input {...c} value={value.collapseKey} onChange={(e) => onChange({ collapseKey: e.target.value })} />}
          </Fld>
          <Fld label="Android channel ID" name={`${prefix}.androidChannelID`}>
            {(c) => <input {...c} value={value.androidChannelID} onChange={(e) => onChange({ androidChannelID: e.target.value })} />}
          </Fld>
          <Fld label="Category" name={`${prefix}.category`} hint="APNs category; Huawei IM, VOIP, MARKETING, …">
            {(c) => <input {...c} value={value.category} onChange={(e) => onChange({ category: e.target.value })} />}
          </Fld>
        </div>
      </div>
    </details>
  );
}

// ---------------------------------------------------------------- options

const channels: [Channel, string][] = [
  ["SELF", channelName("SELF")],
  ["APNS", "APNs"],
  ["FCM", "FCM"],
  ["HUAWEI", "Huawei"],
  ["XIAOMI", "Xiaomi"],
];

const units: [TTLUnit, string][] = [
  ["s", "seconds"],
  ["min", "minutes"],
  ["h", "hours"],
  ["d", "days"],
];

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
  const zonesID = useId();
  const group = useId();
  const ttl = ttlSeconds(value.ttl, value.ttlUnit);
  const cron = value.cron.trim() ? describeCron(value.cron) : undefined;
  const when: [OptionsForm["when"], string][] = [
    ["now", "Now"],
    ["at", "At a time"],
    ...(repeat ? [["repeat", "Repeatedly"] as [OptionsForm["when"], string]] : []),
  ];
  return (
    <fieldset>
      <legend>Delivery</legend>
      <div role="radiogroup" aria-label="When" className="when">
        <span className="when-label">When</span>
        {when.map(([v, text]) => (
          <label key={v} className="check">
            <input type="radio" name={group} value={v} checked={value.when === v} onChange={() => onChange({ when: v })} />
            {text}
          </label>
        ))}
      </div>
      <FieldError name="options.recurrence" />
      {value.when === "at" && (
        <Fld label="Send at" name="options.scheduleAt" hint={`Your time (${localZone()}); at most 366 days ahead.`}>
          {(c) => <input {...c} type="datetime-local" value={value.scheduleAt} onChange={(e) => onChange({ scheduleAt: e.target.value })} />}
        </Fld>
      )}
      {value.when === "repeat" && (
        <>
          <div className="row">
            <Fld
              label="Cron"
              name="options.recurrence.cron"
              error={cron?.error}
              hint={
                cron?.words ? (
                  <>
                    <strong>{cron.words}</strong>, {value.timeZone || "…"} time.
                  </>
                ) : (
                  <>Five fields: minute (0–59), hour (0–23), day of month (1–31), month (1–12), weekday (0–6, Sunday is 0). "0 9 * * 1-5" is 09:00 Monday to Friday.</>
                )
              }
            >
              {(c) => <input {...c} className="mono" value={value.cron} onChange={(e) => onChange({ cron: e.target.value })} placeholder="0 9 * * 1-5" spellCheck={false} />}
            </Fld>
            <Fld label="Time zone" name="options.recurrence.timeZone" hint="An IANA name, such as Europe/Paris or UTC.">
              {(c) => (
                <>
                  <input {...c} list={zonesID} value={value.timeZone} onChange={(e) => onChange({ timeZone: e.target.value })} />
                  <datalist id={zonesID}>
                    {timeZones().map((z) => (
                      <option key={z} value={z} />
                    ))}
                  </datalist>
                </>
              )}
            </Fld>
          </div>
          <div className="row">
            <Fld label="Starts" name="options.recurrence.startAt" hint="Optional; your time.">
              {(c) => <input {...c} type="datetime-local" value={value.startAt} onChange={(e) => onChange({ startAt: e.target.value })} />}
            </Fld>
            <Fld label="Ends" name="options.recurrence.endAt" hint="Optional; your time.">
              {(c) => <input {...c} type="datetime-local" value={value.endAt} onChange={(e) => onChange({ endAt: e.target.value })} />}
            </Fld>
          </div>
          <p className="muted small">Each occurrence is a push of its own; the schedule is listed with the pushes and can be cancelled there.</p>
        </>
      )}
      <div className="row">
        <Fld
          label="Time to live"
          name="options.ttlSeconds"
          error={ttl.error}
          hint={
            <>
              How long an offline device can still get it. Empty: 3 days; 0: only devices reachable now; at most 30 days.
              {ttl.seconds !== undefined && ` (${count(ttl.seconds)} s)`}
            </>
          }
        >
          {(c) => (
            <span className="ttl">
              <input {...c} type="number" min={0} step="any" value={value.ttl} onChange={(e) => onChange({ ttl: e.target.value })} placeholder="3 days" />
              <select aria-label="TTL unit" value={value.ttlUnit} onChange={(e) => onChange({ ttlUnit: e.target.value as TTLUnit })}>
                {units.map(([u, text]) => (
                  <option key={u} value={u}>
                    {text}
                  </option>
                ))}
              </select>
            </span>
          )}
        </Fld>
        <Fld
          label="Message key"
          name="options.msgKey"
          hint="Optional idempotency key (at most 128 bytes): sending again with a key this app used before returns the first push and sends nothing new, so a retry never sends twice."
        >
          {(c) => <input {...c} value={value.msgKey} onChange={(e) => onChange({ msgKey: e.target.value })} placeholder="order-42-shipped" />}
        </Fld>
        <Fld label="Task name" name="options.taskName" hint="Optional: a name to find this push by in the Pushes list's search.">
          {(c) => <input {...c} value={value.taskName} onChange={(e) => onChange({ taskName: e.target.value })} />}
        </Fld>
      </div>
      <div role="group" aria-label="Channels" className="channels">
        <span className="when-label">Only through</span>
        {channels.map(([ch, text]) => (
          <label key={ch} className="check">
            <input
              type="checkbox"
              checked={value.channels.includes(ch)}
              onChange={(e) => onChange({ channels: e.target.checked ? [...value.channels, ch] : value.channels.filter((c) => c !== ch) })}
            />
            {text}
          </label>
        ))}
      </div>
      <small className="muted">None checked: each device gets it on the WebSocket if online there, else on a vendor channel it has a token for.</small>
      <FieldError name="options.channels" />
    </fieldset>
  );
}

// ---------------------------------------------------------------- templates

export type Template = TemplateLike & { id: string; name: string };

// TemplatePicker chooses one of the app's templates by name; the name is
// the form's state (kept in the URL by the page).
export function TemplatePicker({ appID, name, onPick }: { appID: string; name: string; onPick: (name: string) => void }) {
  const [search, setSearch] = useState("");
  const { data, error, loading } = useQuery(SendTemplatesQuery, { app: appID, name: search.trim() || null });
  const list = data?.templates.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const many = (data?.templates.totalCount ?? 0) > list.length || search !== "";
  const errors = useContext(ErrorsContext);
  if (!loading && !error && list.length === 0 && !search) {
    return (
      <>
        <p className="empty">
          This app has no templates yet. <Link to={`/apps/${appID}/templates`}>Make one</Link> to send with variables.
        </p>
        <FieldError name="templateName" />
      </>
    );
  }
  return (
    <div className="row">
      {many && (
        <Fld label="Find a template">
          {(c) => <input {...c} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Part of a name" />}
        </Fld>
      )}
      <Fld label="Template" name="templateName" error={errors.templateName} hint={error ? "The templates could not be loaded." : undefined}>
        {(c) => (
          <select {...c} value={name} onChange={(e) => onPick(e.target.value)}>
            <option value="">{loading && !data ? "Loading…" : "Choose a template"}</option>
            {name && !list.some((t) => t.name === name) && <option value={name}>{name}</option>}
            {list.map((t) => (
              <option key={t.id} value={t.name}>
                {t.name}
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
  if (variables.length === 0) return <p className="muted small">This template has no variables.</p>;
  return (
    <fieldset>
      <legend>Variables</legend>
      <div className="row">
        {variables.map((v) => (
          <Fld key={v} label={v} hint={v in defaults ? `Default: ${defaults[v] || "(empty)"}` : "No default: needs a value."}>
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
          <mark key={i} title={`No value for ${s.name}`}>
            {s.raw}
          </mark>
        ),
      )}
    </>
  );
}

// Preview is the notification as the device will show it, rendered the
// way pushd renders (lib/template.ts).
export function Preview({ template, vars }: { template: TemplateLike; vars: Record<string, string> }) {
  const all = { ...Object.fromEntries(Object.entries(template.defaults ?? {}).filter(([, v]) => typeof v === "string")), ...vars } as Record<string, string>;
  const { missing } = renderTemplate(template, vars);
  return (
    <section aria-label="Preview" className="send-preview">
      <h2>Preview</h2>
      <div className="preview" data-testid="preview">
        {template.title && (
          <strong className="preview-title">
            <Rendered text={template.title} vars={all} />
          </strong>
        )}
        {template.body && (
          <div className="preview-body">
            <Rendered text={template.body} vars={all} />
          </div>
        )}
      </div>
      {missing.length > 0 ? <p className="error small">No value yet for {missing.join(", ")}.</p> : <p className="muted small">As pushd will render it.</p>}
    </section>
  );
}

// MessagePreview shows a plain message the same way.
export function MessagePreview({ message }: { message: MessageForm }) {
  const empty = !message.title && !message.body;
  return (
    <section aria-label="Preview" className="send-preview">
      <h2>Preview</h2>
      <div className="preview">
        {empty ? (
          <span className="muted">{message.silent ? "Silent: nothing is shown, the app gets the payload." : "The title and body show here."}</span>
        ) : (
          <>
            {message.title && <strong className="preview-title">{message.title}</strong>}
            {message.body && <div className="preview-body">{message.body}</div>}
          </>
        )}
      </div>
    </section>
  );
}
