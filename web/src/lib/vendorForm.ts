// The credentials form of a vendor the console has no page of its own for,
// built from what the server's registry says of it (channelVendors): one
// input per field, in the registry's order, and the input setChannelConfig
// takes, `{appID, <key>: {<field>: value}}`. The four vendors with pages of
// their own (lib/admin.ts) keep them: they check more before sending.
import i18n from "../i18n";
import { count } from "./format";
import { MAX_RATE, type Built } from "./admin";

export type FieldKind = "TEXT" | "SECRET" | "FILE" | "CHOICE";

export type VendorField = {
  name: string;
  label: string;
  help?: string | null;
  kind: FieldKind;
  required: boolean;
  choices: readonly string[];
};

export type VendorDescription = {
  channel: string;
  key: string;
  name: string;
  receipts?: string | null;
  fields: readonly VendorField[];
};

// GenericInput is setChannelConfig's input for a vendor known only by its
// key: the member is the key, its fields the registry's.
export type GenericInput = { appID: string; maxPerSecond?: number } & Record<string, unknown>;

// emptyValues starts a form: a choice at its first value, the rest empty.
export function emptyValues(v: VendorDescription, summary?: Record<string, unknown> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of v.fields) {
    const shown = summary?.[f.name];
    // What the summary shows of a field is never a secret, and saves
    // typing it again when the credentials are replaced.
    if (f.kind !== "SECRET" && typeof shown === "string") out[f.name] = shown;
    else out[f.name] = f.kind === "CHOICE" ? (f.choices[0] ?? "") : "";
  }
  return out;
}

// genericInput builds the input from the form's values: trimmed (a
// secret as typed: spaces in one are meant), empty optional fields left
// out, required ones asked for by name.
export function genericInput(appID: string, v: VendorDescription, values: Record<string, string>, rate: string): Built<GenericInput> {
  const input: GenericInput = { appID };
  const r = rate.trim();
  if (r) {
    if (!/^\d+$/.test(r) || Number(r) > MAX_RATE) {
      return { error: i18n.t("accounts:admin.check.rate", { max: count(MAX_RATE) }), field: "maxPerSecond" };
    }
    input.maxPerSecond = Number(r);
  }
  const member: Record<string, string> = {};
  for (const f of v.fields) {
    const raw = values[f.name] ?? "";
    const value = f.kind === "SECRET" ? raw : f.name.endsWith("Base64") ? raw.replace(/\s+/g, "") : raw.trim();
    if (!value) {
      if (f.required) return { error: i18n.t("channels:generic.required", { field: fieldLabel(v, f) }), field: `${v.key}.${f.name}` };
      continue;
    }
    member[f.name] = value;
  }
  input[v.key] = member;
  return { input };
}

// fieldLabel is a field's label in the console's language when the console
// has one, else the registry's.
export function fieldLabel(v: VendorDescription, f: VendorField): string {
  return i18n.t(`channels:fields.${v.key}.${f.name}.label` as "channels:generic.required", { defaultValue: f.label });
}

// fieldHint is a field's help the same way; "" when there is none.
export function fieldHint(v: VendorDescription, f: VendorField): string {
  return i18n.t(`channels:fields.${v.key}.${f.name}.hint` as "channels:generic.required", { defaultValue: f.help ?? "" });
}
