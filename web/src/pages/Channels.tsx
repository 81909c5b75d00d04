import { useState, type FormEvent, type ReactNode } from "react";
import { useParams, useSearchParams } from "react-router-dom";
import { GraphQLError } from "../api";
import { graphql } from "../gql";
import type { ChannelsListQuery } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { base64OfBytes, channelInput, emptyChannelForm, summaryRows, VENDORS, type APNsForm, type ChannelForm, type VendorChannel } from "../lib/admin";
import { when } from "../lib/format";
import { useCan } from "../session";
import { CheckProblem, Confirm, CopyButton, Field, FormButtons, Loading, PageHeader, Problem } from "../ui";
import "./admin.css";

const ChannelsQuery = graphql(`
  query ChannelsList($where: ChannelConfigWhereInput) {
    channelConfigs(where: $where, first: 10) {
      edges {
        node {
          id
          channel
          environment
          summary
          configError
          configErrorAt
          maxPerSecond
          createdAt
          updatedAt
          receiptURL
        }
      }
    }
  }
`);

const ChannelsSetMutation = graphql(`
  mutation ChannelsSet($input: SetChannelConfigInput!) {
    setChannelConfig(input: $input) {
      id
      channel
    }
  }
`);

const ChannelsDeleteMutation = graphql(`
  mutation ChannelsDelete($appID: ID!, $channel: Channel!) {
    deleteChannelConfig(appID: $appID, channel: $channel)
  }
`);

type Config = NonNullable<NonNullable<NonNullable<ChannelsListQuery["channelConfigs"]["edges"]>[number]>["node"]>;

const isVendor = (s: string | null): s is VendorChannel => VENDORS.some((v) => v.channel === s);

export default function Channels() {
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const [params, setParams] = useSearchParams();
  const edit = can.administer && isVendor(params.get("edit")) ? (params.get("edit") as VendorChannel) : null;
  const { data, error, loading, reload } = useQuery(ChannelsQuery, { where: { appID } });
  const configs = new Map<string, Config>();
  for (const e of data?.channelConfigs.edges ?? []) if (e?.node) configs.set(e.node.channel, e.node);
  const [removing, setRemoving] = useState<VendorChannel | null>(null);
  const [remove, removed, clearRemove] = useMutation(ChannelsDeleteMutation);
  const [saved, setSaved] = useState<VendorChannel | null>(null);

  const setEdit = (c: VendorChannel | null) => {
    setSaved(null);
    setParams(c ? { edit: c } : {});
  };

  return (
    <>
      <PageHeader title="Channels" />
      <p className="muted admin-intro">
        pushd reaches a device on its WebSocket channel while it is online, and otherwise through the first vendor below for which it has a token
        and this app has working credentials (in the order APNs, Huawei, Xiaomi, FCM). Credentials are checked when saved, sealed, and never
        shown back.{!can.administer && " Only the app's owners change them."}
      </p>
      <Problem error={error} retry={reload} />
      {loading && !data ? (
        <Loading />
      ) : (
        <div className="admin-channels">
          {VENDORS.map((v) => {
            const cfg = configs.get(v.channel);
            return (
              <section key={v.channel} className="card admin-channel" aria-label={v.name}>
                <header className="admin-channel-head">
                  <h2>{v.name}</h2>
                  <Status cfg={cfg} />
                  {can.administer && edit !== v.channel && (
                    <div className="actions">
                      <button type="button" className={cfg ? "secondary" : undefined} onClick={() => setEdit(v.channel)} aria-label={`${cfg ? "Replace" : "Set"} ${v.name} credentials`}>
                        {cfg ? "Replace credentials" : "Set credentials"}
                      </button>
                      {cfg && (
                        <button type="button" className="secondary" onClick={() => (clearRemove(), setRemoving(v.channel))} aria-label={`Remove ${v.name} credentials`}>
                          Remove
                        </button>
                      )}
                    </div>
                  )}
                </header>
                <p className="muted small admin-vendor-what">{v.what}</p>
                {saved === v.channel && (
                  <p className="admin-saved" role="status">
                    Saved: pushd checked the credentials and uses them from the next send.
                  </p>
                )}
                {cfg && <Details cfg={cfg} />}
                {edit === v.channel && (
                  <CredentialsForm
                    appID={appID}
                    channel={v.channel}
                    name={v.name}
                    cfg={cfg}
                    onCancel={() => setEdit(null)}
                    onSaved={() => {
                      setEdit(null);
                      setSaved(v.channel);
                      reload();
                    }}
                  />
                )}
              </section>
            );
          })}
        </div>
      )}
      {removing && (
        <Confirm
          title={`Remove the ${VENDORS.find((v) => v.channel === removing)?.name} credentials?`}
          confirm="Remove credentials"
          danger
          busy={removed.running}
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            if (await remove({ appID, channel: removing })) {
              setRemoving(null);
              reload();
            }
          }}
        >
          <p>pushd stops using this channel at once: devices that have no other channel wait until they connect to the WebSocket channel.</p>
          <Problem error={removed.error} />
        </Confirm>
      )}
    </>
  );
}

function Status({ cfg }: { cfg?: Config }) {
  if (!cfg) return <span className="badge">not configured</span>;
  if (cfg.configError) return <span className="badge bad">misconfigured</span>;
  return <span className="badge good">configured</span>;
}

function Details({ cfg }: { cfg: Config }) {
  const rows = summaryRows(cfg.summary).filter((r) => !(cfg.environment && r.label === "Environment"));
  return (
    <>
      {cfg.configError && (
        <div className="admin-flag" role="note" aria-label="Configuration error">
          <strong>The vendor refused these credentials{cfg.configErrorAt ? ` (${when(cfg.configErrorAt)})` : ""}:</strong> {cfg.configError}
          <div className="small">Pushes on this channel fail at once until the credentials are saved again.</div>
        </div>
      )}
      <dl className="props admin-props">
        {cfg.environment && (
          <>
            <dt>Environment</dt>
            <dd>
              <span className={`badge ${cfg.environment === "PRODUCTION" ? "info" : "warn"}`}>{cfg.environment.toLowerCase()}</span>
            </dd>
          </>
        )}
        {rows.map((r) => (
          <Row key={r.label} label={r.label}>
            {r.value}
          </Row>
        ))}
        <Row label="Pacing">{cfg.maxPerSecond > 0 ? `${cfg.maxPerSecond.toLocaleString("en-US")} messages per second` : "none"}</Row>
        <Row label="Saved">{when(cfg.updatedAt)}</Row>
        {cfg.receiptURL && (
          <Row label="Receipt URL">
            <span className="admin-copyline">
              <code>{cfg.receiptURL}</code>
              <CopyButton text={cfg.receiptURL} label="Copy receipt URL" />
            </span>
          </Row>
        )}
        {!cfg.receiptURL && (cfg.channel === "HUAWEI" || cfg.channel === "XIAOMI") && (
          <Row label="Receipt URL">
            <span className="muted">none: set PUSHD_PUBLIC_URL so the vendor can post delivery receipts to pushd</span>
          </Row>
        )}
      </dl>
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

// prefill starts the form from what the summary shows (never a secret), so
// replacing a key does not mean typing the topic and IDs again.
function prefill(cfg?: Config): ChannelForm {
  const f = emptyChannelForm();
  if (!cfg) return f;
  const s = (cfg.summary ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof s[k] === "string" ? (s[k] as string) : "");
  f.maxPerSecond = cfg.maxPerSecond ? String(cfg.maxPerSecond) : "";
  if (cfg.environment) f.apns.environment = cfg.environment;
  f.apns.auth = str("auth") === "certificate" ? "certificate" : "token";
  f.apns.topic = str("topic");
  f.apns.keyID = str("keyID");
  f.apns.teamID = str("teamID");
  f.huawei.appID = str("appID");
  f.xiaomi.packageName = str("packageName");
  return f;
}

function CredentialsForm({
  appID,
  channel,
  name,
  cfg,
  onCancel,
  onSaved,
}: {
  appID: string;
  channel: VendorChannel;
  name: string;
  cfg?: Config;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const [form, setForm] = useState<ChannelForm>(() => prefill(cfg));
  const [invalid, setInvalid] = useState<{ error: string; field: string } | null>(null);
  const [save, state] = useMutation(ChannelsSetMutation);
  const serverField = state.error instanceof GraphQLError ? state.error.field : undefined;
  const bad = (field: string) => invalid?.field === field || serverField === field || (serverField?.startsWith(field + ".") ?? false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = channelInput(appID, channel, form);
    if (!built.input) return setInvalid(built);
    setInvalid(null);
    if (await save({ input: built.input })) onSaved();
  }

  const apns = (change: Partial<APNsForm>) => setForm((f) => ({ ...f, apns: { ...f.apns, ...change } }));

  return (
    <form className="admin-cred-form" onSubmit={submit} aria-label={`${name} credentials`} noValidate autoComplete="off">
      {channel === "APNS" && <APNsFields form={form.apns} set={apns} bad={bad} />}
      {channel === "FCM" && (
        <>
          <FileField
            label="Service account key file"
            accept=".json,application/json"
            hint="Firebase console → Project settings → Service accounts → Generate new private key."
            read={(file) => file.text()}
            onRead={(text) => setForm((f) => ({ ...f, fcm: { serviceAccountJSON: text } }))}
          />
          <Field label="Service account JSON" hint="Or paste the file's text here.">
            {(id) => (
              <textarea
                id={id}
                className="mono admin-json"
                value={form.fcm.serviceAccountJSON}
                onChange={(e) => setForm((f) => ({ ...f, fcm: { serviceAccountJSON: e.target.value } }))}
                spellCheck={false}
                aria-invalid={bad("fcm.serviceAccountJSON")}
              />
            )}
          </Field>
        </>
      )}
      {channel === "HUAWEI" && (
        <>
          <div className="row">
            <Text label="App ID" value={form.huawei.appID} set={(v) => setForm((f) => ({ ...f, huawei: { ...f.huawei, appID: v } }))} invalid={bad("huawei.appID")} hint="AppGallery Connect → Project settings → App information." />
            <Text label="Client secret" secret value={form.huawei.clientSecret} set={(v) => setForm((f) => ({ ...f, huawei: { ...f.huawei, clientSecret: v } }))} invalid={bad("huawei.clientSecret")} />
          </div>
          <fieldset>
            <legend>Delivery receipts (optional)</legend>
            <p className="muted small admin-tight">
              In AppGallery Connect → Push Kit → Receipt, set the receipt URL shown on this card after saving, with a user name and key; give the same
              two here so pushd can verify each receipt.
            </p>
            <div className="row">
              <Text label="Receipt user name" value={form.huawei.receiptUserName} set={(v) => setForm((f) => ({ ...f, huawei: { ...f.huawei, receiptUserName: v } }))} invalid={bad("huawei.receiptUserName")} />
              <Text label="Receipt key" secret value={form.huawei.receiptKey} set={(v) => setForm((f) => ({ ...f, huawei: { ...f.huawei, receiptKey: v } }))} invalid={bad("huawei.receiptKey")} />
            </div>
          </fieldset>
        </>
      )}
      {channel === "XIAOMI" && (
        <div className="row">
          <Text label="App secret" secret value={form.xiaomi.appSecret} set={(v) => setForm((f) => ({ ...f, xiaomi: { ...f.xiaomi, appSecret: v } }))} invalid={bad("xiaomi.appSecret")} hint="Xiaomi open platform → the app → AppSecret." />
          <Text label="Package name" value={form.xiaomi.packageName} set={(v) => setForm((f) => ({ ...f, xiaomi: { ...f.xiaomi, packageName: v } }))} invalid={bad("xiaomi.packageName")} hint="The Android package, e.g. com.example.app." />
        </div>
      )}
      <div className="row">
        <Text
          label="Messages per second"
          value={form.maxPerSecond}
          set={(v) => setForm((f) => ({ ...f, maxPerSecond: v }))}
          invalid={bad("maxPerSecond")}
          hint="Paces sends on this credential; empty or 0 does not pace."
          numeric
        />
      </div>
      <CheckProblem message={invalid?.error} />
      <Problem error={state.error} />
      <FormButtons submit={state.running ? "Checking…" : `Save ${name} credentials`} disabled={state.running} onCancel={onCancel} />
    </form>
  );
}

function APNsFields({ form, set, bad }: { form: APNsForm; set: (c: Partial<APNsForm>) => void; bad: (field: string) => boolean }) {
  return (
    <>
      <div className="row">
        <fieldset>
          <legend>Authentication</legend>
          <label className="check">
            <input type="radio" name="apns-auth" checked={form.auth === "token"} onChange={() => set({ auth: "token" })} />
            Token (.p8 signing key, recommended)
          </label>
          <label className="check">
            <input type="radio" name="apns-auth" checked={form.auth === "certificate"} onChange={() => set({ auth: "certificate" })} />
            Certificate (.p12)
          </label>
        </fieldset>
        <fieldset>
          <legend>Environment</legend>
          <label className="check">
            <input type="radio" name="apns-env" checked={form.environment === "SANDBOX"} onChange={() => set({ environment: "SANDBOX" })} />
            Sandbox (development builds)
          </label>
          <label className="check">
            <input type="radio" name="apns-env" checked={form.environment === "PRODUCTION"} onChange={() => set({ environment: "PRODUCTION" })} />
            Production (TestFlight and App Store)
          </label>
        </fieldset>
      </div>
      <Text label="Topic (bundle ID)" value={form.topic} set={(v) => set({ topic: v })} invalid={bad("apns.topic")} hint="The app's bundle ID, e.g. com.example.app." />
      {form.auth === "token" ? (
        <>
          <FileField
            label=".p8 key file"
            accept=".p8"
            hint={form.keyP8 ? "Key read; choose another file to change it." : "Certificates, Identifiers & Profiles → Keys: the AuthKey_….p8 file (downloadable once)."}
            read={(file) => file.text()}
            onRead={(text) => set({ keyP8: text })}
            invalid={bad("apns.keyP8")}
          />
          <div className="row">
            <Text label="Key ID" value={form.keyID} set={(v) => set({ keyID: v })} invalid={bad("apns.keyID")} hint="10 characters, shown with the key." />
            <Text label="Team ID" value={form.teamID} set={(v) => set({ teamID: v })} invalid={bad("apns.teamID")} hint="10 characters, in Membership details." />
          </div>
        </>
      ) : (
        <div className="row">
          <FileField
            label=".p12 certificate file"
            accept=".p12,.pfx,application/x-pkcs12"
            hint={form.certP12Base64 ? "Certificate read; choose another file to change it." : "The push certificate with its private key, exported from Keychain Access."}
            read={async (file) => base64OfBytes(new Uint8Array(await file.arrayBuffer()))}
            onRead={(b64) => set({ certP12Base64: b64 })}
            invalid={bad("apns.certP12Base64") || bad("apns.certP12")}
          />
          <Text label="Certificate password" secret value={form.certPassword} set={(v) => set({ certPassword: v })} invalid={bad("apns.certPassword")} />
        </div>
      )}
    </>
  );
}

function Text({
  label,
  value,
  set,
  invalid,
  hint,
  secret,
  numeric,
}: {
  label: string;
  value: string;
  set: (v: string) => void;
  invalid?: boolean;
  hint?: string;
  secret?: boolean;
  numeric?: boolean;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id) => (
        <input
          id={id}
          type={secret ? "password" : "text"}
          inputMode={numeric ? "numeric" : undefined}
          autoComplete={secret ? "new-password" : "off"}
          spellCheck={false}
          value={value}
          onChange={(e) => set(e.target.value)}
          aria-invalid={invalid || undefined}
        />
      )}
    </Field>
  );
}

// FileField reads a chosen file in the browser; nothing is uploaded until
// the form is saved, and then only as part of the mutation's input.
function FileField<T>({
  label,
  accept,
  hint,
  read,
  onRead,
  invalid,
}: {
  label: string;
  accept: string;
  hint?: string;
  read: (file: File) => Promise<T>;
  onRead: (value: T) => void;
  invalid?: boolean;
}) {
  const [problem, setProblem] = useState("");
  return (
    <Field label={label} hint={problem ? <span className="error">{problem}</span> : hint}>
      {(id) => (
        <input
          id={id}
          type="file"
          accept={accept}
          aria-invalid={invalid || undefined}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            setProblem("");
            if (file.size > 1 << 20) return setProblem("That file is too large for a key (over 1 MB).");
            try {
              onRead(await read(file));
            } catch {
              setProblem("The file could not be read.");
            }
          }}
        />
      )}
    </Field>
  );
}
