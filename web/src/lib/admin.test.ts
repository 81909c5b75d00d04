import { describe, expect, it } from "vitest";
import {
  apiKeyInput,
  attemptOutcome,
  base64OfBytes,
  channelInput,
  emptyChannelForm,
  eventsText,
  summaryRows,
  webhookInput,
  type ChannelForm,
} from "./admin";

const PUB = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----";

describe("apiKeyInput", () => {
  it("trims the name and sends no public key for HMAC", () => {
    expect(apiKeyInput("app_1", { name: "  backend ", algorithm: "HMAC_SHA256", publicKey: "ignored" })).toEqual({
      input: { appID: "app_1", name: "backend", algorithm: "HMAC_SHA256" },
    });
  });
  it("needs a name", () => {
    expect(apiKeyInput("app_1", { name: "   ", algorithm: "HMAC_SHA256", publicKey: "" }).field).toBe("name");
  });
  it("needs a PEM public key for the public-key algorithms", () => {
    expect(apiKeyInput("a", { name: "k", algorithm: "ED25519", publicKey: " " }).field).toBe("publicKey");
    expect(apiKeyInput("a", { name: "k", algorithm: "RSA_SHA256", publicKey: "ssh-ed25519 AAAA" }).field).toBe("publicKey");
    expect(apiKeyInput("a", { name: "k", algorithm: "ED25519", publicKey: `\n${PUB}\n\n` })).toEqual({
      input: { appID: "a", name: "k", algorithm: "ED25519", publicKey: PUB },
    });
  });
});

function form(change: (f: ChannelForm) => void): ChannelForm {
  const f = emptyChannelForm();
  change(f);
  return f;
}

const P8 = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----";

describe("channelInput", () => {
  it("builds APNs token credentials, trimmed, with no certificate fields", () => {
    const f = form((f) => {
      f.apns = { ...f.apns, environment: "SANDBOX", topic: " com.example.app ", keyP8: `\n${P8}\n\n`, keyID: " ABC123DEFG", teamID: "TEAM123456 ", certPassword: "left over" };
    });
    expect(channelInput("app_1", "APNS", f)).toEqual({
      input: { appID: "app_1", apns: { environment: "SANDBOX", topic: "com.example.app", keyP8: P8 + "\n", keyID: "ABC123DEFG", teamID: "TEAM123456" } },
    });
  });
  it("names the missing APNs field", () => {
    expect(channelInput("a", "APNS", form((f) => (f.apns.keyP8 = P8))).field).toBe("apns.topic");
    expect(channelInput("a", "APNS", form((f) => (f.apns.topic = "t"))).field).toBe("apns.keyP8");
    expect(channelInput("a", "APNS", form((f) => Object.assign(f.apns, { topic: "t", keyP8: "hello" }))).field).toBe("apns.keyP8");
    expect(channelInput("a", "APNS", form((f) => Object.assign(f.apns, { topic: "t", keyP8: P8 }))).field).toBe("apns.keyID");
    expect(channelInput("a", "APNS", form((f) => Object.assign(f.apns, { topic: "t", keyP8: P8, keyID: "K" }))).field).toBe("apns.teamID");
  });
  it("builds APNs certificate credentials and leaves out an empty password", () => {
    const f = form((f) => Object.assign(f.apns, { auth: "certificate", topic: "t", certP12Base64: "MIIK\nAQM=\n", keyID: "stale" }));
    expect(channelInput("a", "APNS", f)).toEqual({ input: { appID: "a", apns: { environment: "PRODUCTION", topic: "t", certP12Base64: "MIIKAQM=" } } });
    f.apns.certPassword = " pass word ";
    expect(channelInput("a", "APNS", f).input?.apns?.certPassword).toBe(" pass word ");
    f.apns.certP12Base64 = "";
    expect(channelInput("a", "APNS", f).field).toBe("apns.certP12Base64");
  });
  it("checks the FCM service account JSON", () => {
    const sa = JSON.stringify({ type: "service_account", project_id: "p" });
    expect(channelInput("a", "FCM", form((f) => (f.fcm.serviceAccountJSON = `  ${sa}\n`)))).toEqual({ input: { appID: "a", fcm: { serviceAccountJSON: sa } } });
    expect(channelInput("a", "FCM", form((f) => (f.fcm.serviceAccountJSON = "{nope"))).error).toMatch(/not JSON/);
    expect(channelInput("a", "FCM", form((f) => (f.fcm.serviceAccountJSON = '{"type":"authorized_user"}'))).error).toMatch(/service account/);
    expect(channelInput("a", "FCM", emptyChannelForm()).field).toBe("fcm.serviceAccountJSON");
  });
  it("sends Huawei receipt fields only as a pair", () => {
    const base = (f: ChannelForm) => Object.assign(f.huawei, { appID: " 123 ", clientSecret: " s " });
    expect(channelInput("a", "HUAWEI", form(base))).toEqual({ input: { appID: "a", huawei: { appID: "123", clientSecret: "s" } } });
    expect(channelInput("a", "HUAWEI", form((f) => (base(f), (f.huawei.receiptUserName = "u")))).field).toBe("huawei.receiptKey");
    expect(channelInput("a", "HUAWEI", form((f) => (base(f), (f.huawei.receiptKey = "k")))).field).toBe("huawei.receiptUserName");
    expect(channelInput("a", "HUAWEI", form((f) => (base(f), Object.assign(f.huawei, { receiptUserName: "u ", receiptKey: " k" })))).input?.huawei).toEqual({
      appID: "123",
      clientSecret: "s",
      receiptUserName: "u",
      receiptKey: "k",
    });
  });
  it("builds Xiaomi credentials", () => {
    expect(channelInput("a", "XIAOMI", form((f) => Object.assign(f.xiaomi, { appSecret: "s==", packageName: " com.x " })))).toEqual({
      input: { appID: "a", xiaomi: { appSecret: "s==", packageName: "com.x" } },
    });
    expect(channelInput("a", "XIAOMI", form((f) => (f.xiaomi.appSecret = "s"))).field).toBe("xiaomi.packageName");
  });
  it("sends maxPerSecond only when given, as a whole number in range", () => {
    const x = (rate: string) => channelInput("a", "XIAOMI", form((f) => Object.assign(f, { maxPerSecond: rate, xiaomi: { appSecret: "s", packageName: "p" } })));
    expect(x("").input).not.toHaveProperty("maxPerSecond");
    expect(x(" 0 ").input?.maxPerSecond).toBe(0);
    expect(x("500").input?.maxPerSecond).toBe(500);
    expect(x("1.5").field).toBe("maxPerSecond");
    expect(x("-1").field).toBe("maxPerSecond");
    expect(x("1000001").field).toBe("maxPerSecond");
  });
});

describe("base64OfBytes", () => {
  it("encodes binary bytes, not text", () => {
    expect(base64OfBytes(new Uint8Array([0x30, 0x82, 0xff, 0x00, 0x01]))).toBe("MIL/AAE=");
    expect(base64OfBytes(new Uint8Array())).toBe("");
  });
  it("handles files larger than one slice", () => {
    const big = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
    const back = Uint8Array.from(atob(base64OfBytes(big)), (c) => c.charCodeAt(0));
    expect(back).toEqual(big);
  });
});

describe("summaryRows", () => {
  it("labels known keys in a stable order and keeps unknown ones", () => {
    expect(summaryRows({ teamID: "T", keyID: "K", auth: "token", topic: "com.x", environment: "SANDBOX", extra: 3 })).toEqual([
      { key: "auth", label: "Authentication", value: "token" },
      { key: "topic", label: "Topic", value: "com.x" },
      { key: "environment", label: "Environment", value: "SANDBOX" },
      { key: "keyID", label: "Key ID", value: "K" },
      { key: "teamID", label: "Team ID", value: "T" },
      { key: "extra", label: "extra", value: "3" },
    ]);
  });
  it("words booleans and dates", () => {
    expect(summaryRows({ appID: "1", receipts: false })).toEqual([
      { key: "appID", label: "App ID", value: "1" },
      { key: "receipts", label: "Receipts", value: "not configured" },
    ]);
    expect(summaryRows({ notAfter: "2027-03-01T10:00:00Z" })).toEqual([{ key: "notAfter", label: "Valid until", value: "1 Mar 2027" }]);
    expect(summaryRows(null)).toEqual([]);
  });
});

describe("webhookInput", () => {
  it("leaves events out when all or none are chosen", () => {
    expect(webhookInput("a", " https://h.example/r ", [])).toEqual({ input: { appID: "a", url: "https://h.example/r" } });
    expect(webhookInput("a", "https://h.example/r", ["REVOKED", "SENT", "ARRIVED", "OPENED", "IGNORED", "FAILED", "EXPIRED"]).input).not.toHaveProperty("events");
  });
  it("keeps the chosen events in schema order", () => {
    expect(webhookInput("a", "http://10.0.0.1:8080/x", ["FAILED", "SENT"]).input?.events).toEqual(["SENT", "FAILED"]);
  });
  it("refuses what is not an http(s) URL", () => {
    expect(webhookInput("a", "", []).field).toBe("url");
    expect(webhookInput("a", "example.com/hook", []).field).toBe("url");
    expect(webhookInput("a", "ftp://example.com/hook", []).error).toMatch(/https:\/\//);
  });
});

describe("readings", () => {
  it("eventsText", () => {
    expect(eventsText(null)).toBe("all statuses");
    expect(eventsText(["SENT", "FAILED"])).toBe("sent, failed");
  });
  it("attemptOutcome", () => {
    expect(attemptOutcome({ statusCode: 204 })).toEqual({ text: "HTTP 204", ok: true });
    expect(attemptOutcome({ statusCode: 500, error: "status 500" })).toEqual({ text: "HTTP 500: status 500", ok: false });
    expect(attemptOutcome({ statusCode: null, error: "dial tcp: refused" })).toEqual({ text: "dial tcp: refused", ok: false });
    expect(attemptOutcome({})).toEqual({ text: "no answer", ok: false });
  });
});
