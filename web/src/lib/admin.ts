// Form state → GraphQL inputs for the owner pages (API keys, vendor
// channels, webhooks), and the small readings those pages show. Secrets the
// forms carry go to pushd once and are never read back, so nothing here
// keeps them longer than the input it builds.
//
// The words (hints, problems, labels) are looked up when they are used,
// never at module load, so they are in the language in force then.
import i18n from "../i18n";
import { channelName, count, day } from "./format";

export type Algorithm = "HMAC_SHA256" | "ED25519" | "RSA_SHA256";
const algorithm = (value: Algorithm, label: string): { value: Algorithm; label: string; hint: string } => ({
  value,
  label,
  get hint() {
    return i18n.t(`accounts:admin.algorithms.${value}` as "accounts:admin.algorithms.HMAC_SHA256");
  },
});
export const ALGORITHMS: { value: Algorithm; label: string; hint: string }[] = [
  algorithm("HMAC_SHA256", "HMAC-SHA256"),
  algorithm("ED25519", "Ed25519"),
  algorithm("RSA_SHA256", "RSA-SHA256"),
];

export type VendorChannel = "APNS" | "FCM" | "HUAWEI" | "XIAOMI";
// A vendor's name is the channel's name everywhere (Huawei, 华为).
const vendor = (channel: VendorChannel): { channel: VendorChannel; name: string; what: string } => ({
  channel,
  get name() {
    return channelName(channel);
  },
  get what() {
    return i18n.t(`accounts:admin.vendors.${channel}` as "accounts:admin.vendors.APNS");
  },
});
export const VENDORS: { channel: VendorChannel; name: string; what: string }[] = [vendor("APNS"), vendor("FCM"), vendor("HUAWEI"), vendor("XIAOMI")];

export const WEBHOOK_EVENTS = ["SENT", "ARRIVED", "OPENED", "IGNORED", "FAILED", "EXPIRED", "REVOKED"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

// Built is what a builder returns: the input, or the first problem in words
// with the form field it concerns (so the page can point at it).
export type Built<T> = { input: T; error?: undefined; field?: undefined } | { input?: undefined; error: string; field: string };

const fail = (field: string, error: string) => ({ error, field }) as const;

// check is a form problem in the console's language.
type CheckKey = keyof (typeof import("../locales/en/accounts.json"))["admin"]["check"];
const check = (key: Exclude<CheckKey, "rate">) => i18n.t(`accounts:admin.check.${key}` as "accounts:admin.check.keyName");

// API keys

export type APIKeyForm = { name: string; algorithm: Algorithm; publicKey: string };

export type CreateAPIKeyInput = { appID: string; name: string; algorithm: Algorithm; publicKey?: string };

export function apiKeyInput(appID: string, f: APIKeyForm): Built<CreateAPIKeyInput> {
  const name = f.name.trim();
  if (!name) return fail("name", check("keyName"));
  if (f.algorithm === "HMAC_SHA256") return { input: { appID, name, algorithm: f.algorithm } };
  const pem = f.publicKey.trim();
  if (!pem) return fail("publicKey", check("publicKeyNeeded"));
  if (!/^-----BEGIN [A-Z ]*PUBLIC KEY-----[\s\S]+-----END [A-Z ]*PUBLIC KEY-----$/.test(pem)) {
    return fail("publicKey", check("notPem"));
  }
  return { input: { appID, name, algorithm: f.algorithm, publicKey: pem } };
}

// Channels

export type APNsForm = {
  auth: "token" | "certificate";
  environment: "SANDBOX" | "PRODUCTION";
  topic: string;
  keyP8: string;
  keyID: string;
  teamID: string;
  // The .p12 file's bytes, base64 (see base64OfBytes): binary, so it is not
  // kept as text.
  certP12Base64: string;
  certPassword: string;
};

export type ChannelForm = {
  maxPerSecond: string;
  apns: APNsForm;
  fcm: { serviceAccountJSON: string };
  huawei: { appID: string; clientSecret: string; receiptUserName: string; receiptKey: string };
  xiaomi: { appSecret: string; packageName: string };
};

export function emptyChannelForm(): ChannelForm {
  return {
    maxPerSecond: "",
    apns: { auth: "token", environment: "PRODUCTION", topic: "", keyP8: "", keyID: "", teamID: "", certP12Base64: "", certPassword: "" },
    fcm: { serviceAccountJSON: "" },
    huawei: { appID: "", clientSecret: "", receiptUserName: "", receiptKey: "" },
    xiaomi: { appSecret: "", packageName: "" },
  };
}

export type SetChannelConfigInput = {
  appID: string;
  maxPerSecond?: number;
  apns?: {
    environment: "SANDBOX" | "PRODUCTION";
    topic: string;
    keyP8?: string;
    keyID?: string;
    teamID?: string;
    certP12Base64?: string;
    certPassword?: string;
  };
  fcm?: { serviceAccountJSON: string };
  huawei?: { appID: string; clientSecret: string; receiptUserName?: string; receiptKey?: string };
  xiaomi?: { appSecret: string; packageName: string };
};

// MAX_RATE mirrors push.MaxChannelRate.
export const MAX_RATE = 1_000_000;

// channelInput builds setChannelConfig's input for one vendor from the
// form: values trimmed, empty optional fields left out (pushd reads an
// absent field and an empty one alike, but the input stays readable in
// logs), and the same required fields pushd asks for.
export function channelInput(appID: string, channel: VendorChannel, f: ChannelForm): Built<SetChannelConfigInput> {
  const input: SetChannelConfigInput = { appID };
  const rate = f.maxPerSecond.trim();
  if (rate) {
    if (!/^\d+$/.test(rate) || Number(rate) > MAX_RATE) return fail("maxPerSecond", i18n.t("accounts:admin.check.rate", { max: count(MAX_RATE) }));
    input.maxPerSecond = Number(rate);
  }
  switch (channel) {
    case "APNS": {
      const a = f.apns;
      const topic = a.topic.trim();
      if (!topic) return fail("apns.topic", check("apnsTopic"));
      if (a.auth === "token") {
        const keyP8 = a.keyP8.trim();
        const keyID = a.keyID.trim();
        const teamID = a.teamID.trim();
        if (!keyP8) return fail("apns.keyP8", check("p8Needed"));
        if (!keyP8.includes("PRIVATE KEY-----")) return fail("apns.keyP8", check("notP8"));
        if (!keyID) return fail("apns.keyID", check("keyID"));
        if (!teamID) return fail("apns.teamID", check("teamID"));
        // The PEM keeps its final newline: it is a file's text.
        input.apns = { environment: a.environment, topic, keyP8: keyP8 + "\n", keyID, teamID };
      } else {
        const cert = a.certP12Base64.replace(/\s+/g, "");
        if (!cert) return fail("apns.certP12Base64", check("p12Needed"));
        input.apns = { environment: a.environment, topic, certP12Base64: cert };
        // A .p12 may have an empty password; spaces in one are meant.
        if (a.certPassword) input.apns.certPassword = a.certPassword;
      }
      return { input };
    }
    case "FCM": {
      const json = f.fcm.serviceAccountJSON.trim();
      if (!json) return fail("fcm.serviceAccountJSON", check("fcmNeeded"));
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        return fail("fcm.serviceAccountJSON", check("notJSON"));
      }
      if (!parsed || typeof parsed !== "object" || (parsed as { type?: unknown }).type !== "service_account") {
        return fail("fcm.serviceAccountJSON", check("notServiceAccount"));
      }
      input.fcm = { serviceAccountJSON: json };
      return { input };
    }
    case "HUAWEI": {
      const h = f.huawei;
      const id = h.appID.trim();
      const secret = h.clientSecret.trim();
      const user = h.receiptUserName.trim();
      const key = h.receiptKey.trim();
      if (!id) return fail("huawei.appID", check("huaweiAppID"));
      if (!secret) return fail("huawei.clientSecret", check("huaweiSecret"));
      if (!user !== !key) return fail(user ? "huawei.receiptKey" : "huawei.receiptUserName", check("huaweiReceipt"));
      input.huawei = { appID: id, clientSecret: secret };
      if (user) {
        input.huawei.receiptUserName = user;
        input.huawei.receiptKey = key;
      }
      return { input };
    }
    case "XIAOMI": {
      const secret = f.xiaomi.appSecret.trim();
      const pkg = f.xiaomi.packageName.trim();
      if (!secret) return fail("xiaomi.appSecret", check("xiaomiSecret"));
      if (!pkg) return fail("xiaomi.packageName", check("xiaomiPackage"));
      input.xiaomi = { appSecret: secret, packageName: pkg };
      return { input };
    }
  }
}

// base64OfBytes encodes a file's bytes (a .p12 certificate) as standard
// base64, in slices so a large file does not overflow the argument list.
export function base64OfBytes(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

// The summary keys the console names, in the order it shows them; their
// labels are under admin.summary.
const summaryOrder = ["auth", "topic", "environment", "keyID", "teamID", "subject", "notAfter", "projectID", "clientEmail", "privateKeyID", "appID", "receipts", "packageName"];
const summaryLabel = (k: string) => (summaryOrder.includes(k) ? i18n.t(`accounts:admin.summary.${k}` as "accounts:admin.summary.auth") : k);

// summaryRows turns a ChannelConfig's summary (what pushd shows of the
// sealed credentials) into labelled rows, in a stable order, with the keys
// it does not know last rather than dropped.
export function summaryRows(summary: Record<string, unknown> | null | undefined): { key: string; label: string; value: string }[] {
  if (!summary) return [];
  const keys = Object.keys(summary).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return keys
    .filter((k) => summary[k] !== null && summary[k] !== undefined && summary[k] !== "")
    .map((k) => ({ key: k, label: summaryLabel(k), value: show(k, summary[k]) }));
}

function rank(k: string) {
  const i = summaryOrder.indexOf(k);
  return i < 0 ? summaryOrder.length : i;
}

function show(k: string, v: unknown): string {
  if (k === "receipts" && typeof v === "boolean") return i18n.t(v ? "accounts:admin.values.receiptsOn" : "accounts:admin.values.receiptsOff");
  if (typeof v === "boolean") return i18n.t(v ? "accounts:admin.values.yes" : "accounts:admin.values.no");
  // A date shows as every date of the console does.
  if (k === "notAfter" && typeof v === "string") return day(v);
  if (typeof v === "string" || typeof v === "number") return String(v);
  return JSON.stringify(v);
}

// Webhooks

export type CreateWebhookInput = { appID: string; url: string; events?: WebhookEvent[] };

// webhookInput builds createWebhook's input. Every event or none both mean
// "all" to pushd; the input then leaves events out, so a later event kind
// reaches the webhook too.
export function webhookInput(appID: string, url: string, events: readonly WebhookEvent[]): Built<CreateWebhookInput> {
  const u = url.trim();
  if (!u) return fail("url", check("urlNeeded"));
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    return fail("url", check("notURL"));
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return fail("url", check("urlScheme"));
  const chosen = WEBHOOK_EVENTS.filter((e) => events.includes(e));
  if (chosen.length === 0 || chosen.length === WEBHOOK_EVENTS.length) return { input: { appID, url: u } };
  return { input: { appID, url: u, events: chosen } };
}

// eventsText says which statuses a webhook reports.
export function eventsText(events: readonly string[] | null | undefined): string {
  if (!events || events.length === 0 || WEBHOOK_EVENTS.every((e) => events.includes(e))) return i18n.t("accounts:admin.allStatuses");
  // The statuses by the names Badge gives them; one pushd adds later as it
  // spells it.
  const name = (e: string) => i18n.t(`common:status.${e}` as "common:status.SENT", { defaultValue: e.toLowerCase() });
  return events.map(name).join(i18n.t("accounts:admin.listSeparator"));
}

// attemptOutcome words one try to post a batch: the receiver's answer or
// why there was none.
export function attemptOutcome(a: { statusCode?: number | null; error?: string | null }): { text: string; ok: boolean } {
  const ok = a.statusCode != null && a.statusCode >= 200 && a.statusCode < 300;
  if (a.statusCode != null) return { text: a.error ? `HTTP ${a.statusCode}: ${a.error}` : `HTTP ${a.statusCode}`, ok };
  return { text: a.error || i18n.t("accounts:admin.noAnswer"), ok: false };
}
