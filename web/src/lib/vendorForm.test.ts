import { describe, expect, it } from "vitest";
import { emptyValues, genericInput, type VendorDescription } from "./vendorForm";

// A vendor as the registry describes it, with each kind of field.
const vendor: VendorDescription = {
  channel: "OPPO",
  key: "oppo",
  name: "OPPO Push",
  receipts: null,
  fields: [
    { name: "appKey", label: "App key", kind: "TEXT", required: true, choices: [] },
    { name: "masterSecret", label: "Master secret", kind: "SECRET", required: true, choices: [] },
    { name: "region", label: "Region", kind: "CHOICE", required: true, choices: ["CN", "GLOBAL"] },
    { name: "certBase64", label: "Certificate", kind: "FILE", required: false, choices: [] },
    { name: "channelID", label: "Channel ID", help: "The notification channel.", kind: "TEXT", required: false, choices: [] },
  ],
};

describe("emptyValues", () => {
  it("starts a choice at its first value and everything else empty", () => {
    expect(emptyValues(vendor)).toEqual({ appKey: "", masterSecret: "", region: "CN", certBase64: "", channelID: "" });
  });
  it("prefills what the summary shows, never a secret", () => {
    const v = emptyValues(vendor, { appKey: "ak", masterSecret: "leaked?", region: "GLOBAL", other: "x" });
    expect(v).toMatchObject({ appKey: "ak", masterSecret: "", region: "GLOBAL" });
  });
});

describe("genericInput", () => {
  it("names the vendor's member by its key, trims, and leaves out empty optional fields", () => {
    const got = genericInput("app_1", vendor, { appKey: " ak ", masterSecret: " s p ", region: "CN", certBase64: "QUJD\nREVG", channelID: "" }, "50");
    expect(got).toEqual({ input: { appID: "app_1", maxPerSecond: 50, oppo: { appKey: "ak", masterSecret: " s p ", region: "CN", certBase64: "QUJDREVG" } } });
  });
  it("asks for a required field by name, pointing at it", () => {
    const got = genericInput("app_1", vendor, { appKey: "", masterSecret: "s", region: "CN" }, "");
    expect(got.field).toBe("oppo.appKey");
    expect(got.error).toContain("App key");
  });
  it("refuses a rate that is not a whole number in range", () => {
    expect(genericInput("app_1", vendor, { appKey: "a", masterSecret: "s", region: "CN" }, "-1").field).toBe("maxPerSecond");
    expect(genericInput("app_1", vendor, { appKey: "a", masterSecret: "s", region: "CN" }, "2000000").field).toBe("maxPerSecond");
  });
});
