import { useState, type FormEvent, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router-dom";
import { GraphQLError } from "../api";
import { graphql } from "../gql";
import type { Channel, ChannelsListQuery } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { GenericCredentialsForm } from "./ChannelsGeneric";
import { QuotaPolicyControl, QuotaUsage } from "./ChannelsQuota";
import { FileField, Text } from "./channelFields";
import { base64OfBytes, channelInput, emptyChannelForm, summaryRows, VENDORS, type APNsForm, type ChannelForm, type VendorChannel } from "../lib/admin";
import { channelName, when } from "../lib/format";
import { useCan } from "../session";
import { CheckProblem, Confirm, CopyButton, Field, FormButtons, Loading, PageHeader, Problem } from "../ui";
import "./admin.css";

const ChannelsQuery = graphql(`
  query ChannelsList($where: ChannelConfigWhereInput, $appID: ID!) {
    app: node(id: $appID) {
      ... on App {
        id
        quotaPolicy
      }
    }
    channelVendors {
      channel
      key
      name
      receipts
      fields {
        name
        label
        help
        kind
        required
        choices
      }
    }
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
          quota {
            marketingPerDevice
            day
            sent
            held
            failed
            devicesAtCap
          }
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

type Vendor = ChannelsListQuery["channelVendors"][number];

// tailored says whether the console has a page of its own for a vendor's
// credentials (lib/admin.ts); the others get the form the registry
// describes (ChannelsGeneric.tsx).
const tailored = (c: string): c is VendorChannel => VENDORS.some((v) => v.channel === c);

// vendorName is the name the console gives a vendor everywhere (Huawei,
// 华为), or the registry's for one it does not know.
const vendorName = (v: Vendor) => (tailored(v.channel) ? channelName(v.channel) : v.name);

export default function Channels() {
  const { t } = useTranslation("channels");
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const [params, setParams] = useSearchParams();
  const { data, error, loading, reload } = useQuery(ChannelsQuery, { where: { appID }, appID });
  const policy = data?.app && "quotaPolicy" in data.app ? data.app.quotaPolicy : undefined;
  const vendors = data?.channelVendors ?? [];
  const asked = params.get("edit");
  const edit = can.administer ? (vendors.find((v) => v.channel === asked)?.channel ?? null) : null;
  const configs = new Map<string, Config>();
  for (const e of data?.channelConfigs.edges ?? []) if (e?.node) configs.set(e.node.channel, e.node);
  const [removing, setRemoving] = useState<Channel | null>(null);
  const [remove, removed, clearRemove] = useMutation(ChannelsDeleteMutation);
  const [saved, setSaved] = useState<Channel | null>(null);

  const setEdit = (c: Channel | null) => {
    setSaved(null);
    setParams(c ? { edit: c } : {});
  };

  return (
    <>
      <PageHeader title={t("title")} />
      <p className="muted admin-intro">
        {t("intro")}
        {!can.administer && t("ownersOnly")}
      </p>
      <Problem error={error} retry={reload} />
      {policy && <QuotaPolicyControl appID={appID} policy={policy} canEdit={can.administer} onSaved={reload} />}
      {loading && !data ? (
        <Loading />
      ) : (
        <div className="admin-channels">
          {vendors.map((v) => {
            const cfg = configs.get(v.channel);
            const name = vendorName(v);
            return (
              <section key={v.channel} className="card admin-channel" aria-label={name}>
                <header className="admin-channel-head">
                  <h2>{name}</h2>
                  <Status cfg={cfg} />
                  {can.administer && edit !== v.channel && (
                    <div className="actions">
                      {/* The vendor's name is in the button's name for screen
                          readers (one card's button among four) but not on
                          screen, where the card says it. */}
                      <button type="button" className={cfg ? "secondary" : undefined} onClick={() => setEdit(v.channel)}>
                        <Trans t={t} i18nKey={cfg ? "actions.replaceNamed" : "actions.setNamed"} values={{ name }} components={{ name: <span className="visually-hidden" /> }} />
                      </button>
                      {cfg && (
                        <button type="button" className="secondary" onClick={() => (clearRemove(), setRemoving(v.channel))} aria-label={t("actions.removeNamed", { name })}>
                          {t("actions.remove")}
                        </button>
                      )}
                    </div>
                  )}
                </header>
                <p className="muted small admin-vendor-what">{t(`vendors.${v.channel}` as "vendors.APNS", { defaultValue: v.name })}</p>
                {saved === v.channel && (
                  <p className="admin-saved" role="status">
                    {t("saved")}
                  </p>
                )}
                {cfg && <Details cfg={cfg} receipts={v.receipts != null} />}
                {edit === v.channel && !tailored(v.channel) && (
                  <GenericForm
                    appID={appID}
                    vendor={v}
                    name={name}
                    cfg={cfg}
                    onCancel={() => setEdit(null)}
                    onSaved={() => {
                      setEdit(null);
                      setSaved(v.channel);
                      reload();
                    }}
                  />
                )}
                {edit === v.channel && tailored(v.channel) && (
                  <CredentialsForm
                    appID={appID}
                    channel={v.channel}
                    name={name}
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
          title={t("remove.title", { name: channelName(removing) })}
          confirm={t("remove.confirm")}
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
          <p>{t("remove.body")}</p>
          <Problem error={removed.error} />
        </Confirm>
      )}
    </>
  );
}

function Status({ cfg }: { cfg?: Config }) {
  const { t } = useTranslation("channels");
  if (!cfg) return <span className="badge">{t("state.none")}</span>;
  if (cfg.configError) return <span className="badge bad">{t("state.bad")}</span>;
  return <span className="badge good">{t("state.good")}</span>;
}

function Details({ cfg, receipts }: { cfg: Config; receipts: boolean }) {
  const { t } = useTranslation("channels");
  // The environment has its own row below when cfg carries it.
  const rows = summaryRows(cfg.summary).filter((r) => !(cfg.environment && r.key === "environment"));
  return (
    <>
      {cfg.configError && (
        <div className="admin-flag" role="note" aria-label={t("details.error")}>
          <strong>{cfg.configErrorAt ? t("details.refusedAt", { at: when(cfg.configErrorAt) }) : t("details.refused")}</strong> {cfg.configError}
          <div className="small">{t("details.failing")}</div>
        </div>
      )}
      <dl className="props admin-props">
        {cfg.environment && (
          <>
            <dt>{t("details.environment")}</dt>
            <dd>
              <span className={`badge ${cfg.environment === "PRODUCTION" ? "info" : "warn"}`}>{t(`environment.${cfg.environment}`)}</span>
            </dd>
          </>
        )}
        {rows.map((r) => (
          <Row key={r.label} label={r.label}>
            {r.value}
          </Row>
        ))}
        <Row label={t("details.pacing")}>{cfg.maxPerSecond > 0 ? t("details.perSecond", { count: cfg.maxPerSecond }) : t("details.noPacing")}</Row>
        <Row label={t("details.saved")}>{when(cfg.updatedAt)}</Row>
        {cfg.quota && (
          <Row label={t("quota.row")}>
            <QuotaUsage quota={cfg.quota} />
          </Row>
        )}
        {cfg.receiptURL && (
          <Row label={t("details.receiptURL")}>
            <span className="admin-copyline">
              <code>{cfg.receiptURL}</code>
              <CopyButton text={cfg.receiptURL} label={t("details.copyReceiptURL")} />
            </span>
          </Row>
        )}
        {!cfg.receiptURL && receipts && (
          <Row label={t("details.receiptURL")}>
            <span className="muted">{t("details.noReceiptURL")}</span>
          </Row>
        )}
      </dl>
    </>
  );
}

// GenericForm is the registry-described form, saving through this page's
// mutation.
function GenericForm({ appID, vendor, name, cfg, onCancel, onSaved }: { appID: string; vendor: Vendor; name: string; cfg?: Config; onCancel: () => void; onSaved: () => void }) {
  const [save, state] = useMutation(ChannelsSetMutation);
  return (
    <GenericCredentialsForm
      appID={appID}
      vendor={vendor}
      name={name}
      summary={(cfg?.summary ?? null) as Record<string, unknown> | null}
      rate={cfg?.maxPerSecond ? String(cfg.maxPerSecond) : ""}
      save={(vars) => save(vars as never)}
      state={state}
      onCancel={onCancel}
      onSaved={onSaved}
    />
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
  const { t } = useTranslation("channels");
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
    <form className="admin-cred-form" onSubmit={submit} aria-label={t("form.label", { name })} noValidate autoComplete="off">
      {channel === "APNS" && <APNsFields form={form.apns} set={apns} bad={bad} />}
      {channel === "FCM" && (
        <>
          <FileField
            label={t("fcm.file.label")}
            accept=".json,application/json"
            hint={t("fcm.file.hint")}
            read={(file) => file.text()}
            onRead={(text) => setForm((f) => ({ ...f, fcm: { serviceAccountJSON: text } }))}
          />
          <Field label={t("fcm.json.label")} hint={t("fcm.json.hint")}>
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
            <Text label={t("huawei.appID.label")} value={form.huawei.appID} set={(v) => setForm((f) => ({ ...f, huawei: { ...f.huawei, appID: v } }))} invalid={bad("huawei.appID")} hint={t("huawei.appID.hint")} />
            <Text label={t("huawei.clientSecret")} secret value={form.huawei.clientSecret} set={(v) => setForm((f) => ({ ...f, huawei: { ...f.huawei, clientSecret: v } }))} invalid={bad("huawei.clientSecret")} />
          </div>
          <fieldset>
            <legend>{t("huawei.receipts.legend")}</legend>
            <p className="muted small admin-tight">{t("huawei.receipts.how")}</p>
            <div className="row">
              <Text label={t("huawei.receipts.userName")} value={form.huawei.receiptUserName} set={(v) => setForm((f) => ({ ...f, huawei: { ...f.huawei, receiptUserName: v } }))} invalid={bad("huawei.receiptUserName")} />
              <Text label={t("huawei.receipts.key")} secret value={form.huawei.receiptKey} set={(v) => setForm((f) => ({ ...f, huawei: { ...f.huawei, receiptKey: v } }))} invalid={bad("huawei.receiptKey")} />
            </div>
          </fieldset>
        </>
      )}
      {channel === "XIAOMI" && (
        <div className="row">
          <Text label={t("xiaomi.appSecret.label")} secret value={form.xiaomi.appSecret} set={(v) => setForm((f) => ({ ...f, xiaomi: { ...f.xiaomi, appSecret: v } }))} invalid={bad("xiaomi.appSecret")} hint={t("xiaomi.appSecret.hint")} />
          <Text label={t("xiaomi.packageName.label")} value={form.xiaomi.packageName} set={(v) => setForm((f) => ({ ...f, xiaomi: { ...f.xiaomi, packageName: v } }))} invalid={bad("xiaomi.packageName")} hint={t("xiaomi.packageName.hint")} />
        </div>
      )}
      <div className="row">
        <Text
          label={t("form.rate.label")}
          value={form.maxPerSecond}
          set={(v) => setForm((f) => ({ ...f, maxPerSecond: v }))}
          invalid={bad("maxPerSecond")}
          hint={t("form.rate.hint")}
          numeric
        />
      </div>
      <CheckProblem message={invalid?.error} />
      <Problem error={state.error} />
      <FormButtons submit={state.running ? t("form.checking") : t("form.save", { name })} disabled={state.running} onCancel={onCancel} />
    </form>
  );
}

function APNsFields({ form, set, bad }: { form: APNsForm; set: (c: Partial<APNsForm>) => void; bad: (field: string) => boolean }) {
  const { t } = useTranslation("channels");
  return (
    <>
      <div className="row">
        <fieldset>
          <legend>{t("apns.auth.legend")}</legend>
          <label className="check">
            <input type="radio" name="apns-auth" checked={form.auth === "token"} onChange={() => set({ auth: "token" })} />
            {t("apns.auth.token")}
          </label>
          <label className="check">
            <input type="radio" name="apns-auth" checked={form.auth === "certificate"} onChange={() => set({ auth: "certificate" })} />
            {t("apns.auth.certificate")}
          </label>
        </fieldset>
        <fieldset>
          <legend>{t("apns.environment.legend")}</legend>
          <label className="check">
            <input type="radio" name="apns-env" checked={form.environment === "SANDBOX"} onChange={() => set({ environment: "SANDBOX" })} />
            {t("apns.environment.sandbox")}
          </label>
          <label className="check">
            <input type="radio" name="apns-env" checked={form.environment === "PRODUCTION"} onChange={() => set({ environment: "PRODUCTION" })} />
            {t("apns.environment.production")}
          </label>
        </fieldset>
      </div>
      <Text label={t("apns.topic.label")} value={form.topic} set={(v) => set({ topic: v })} invalid={bad("apns.topic")} hint={t("apns.topic.hint")} />
      {form.auth === "token" ? (
        <>
          <FileField
            label={t("apns.p8.label")}
            accept=".p8"
            hint={form.keyP8 ? t("apns.p8.read") : t("apns.p8.hint")}
            read={(file) => file.text()}
            onRead={(text) => set({ keyP8: text })}
            invalid={bad("apns.keyP8")}
          />
          <div className="row">
            <Text label={t("apns.keyID.label")} value={form.keyID} set={(v) => set({ keyID: v })} invalid={bad("apns.keyID")} hint={t("apns.keyID.hint")} />
            <Text label={t("apns.teamID.label")} value={form.teamID} set={(v) => set({ teamID: v })} invalid={bad("apns.teamID")} hint={t("apns.teamID.hint")} />
          </div>
        </>
      ) : (
        <div className="row">
          <FileField
            label={t("apns.p12.label")}
            accept=".p12,.pfx,application/x-pkcs12"
            hint={form.certP12Base64 ? t("apns.p12.read") : t("apns.p12.hint")}
            read={async (file) => base64OfBytes(new Uint8Array(await file.arrayBuffer()))}
            onRead={(b64) => set({ certP12Base64: b64 })}
            invalid={bad("apns.certP12Base64") || bad("apns.certP12")}
          />
          <Text label={t("apns.p12.password")} secret value={form.certPassword} set={(v) => set({ certPassword: v })} invalid={bad("apns.certPassword")} />
        </div>
      )}
    </>
  );
}
