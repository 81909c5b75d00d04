// The credentials form of a vendor known only from the server's registry:
// one input per field it describes (see lib/vendorForm.ts).
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { GraphQLError } from "../api";
import { base64OfBytes } from "../lib/admin";
import { emptyValues, fieldHint, fieldLabel, genericInput, type VendorDescription, type VendorField } from "../lib/vendorForm";
import { CheckProblem, Field, FormButtons, Problem, Segmented } from "../ui";
import { FileField, Text } from "./channelFields";

type Save = (vars: { input: Record<string, unknown> & { appID: string } }) => Promise<unknown>;

export function GenericCredentialsForm({
  appID,
  vendor,
  name,
  summary,
  rate,
  save,
  state,
  onCancel,
  onSaved,
}: {
  appID: string;
  vendor: VendorDescription;
  name: string;
  summary?: Record<string, unknown> | null;
  rate: string;
  save: Save;
  state: { running: boolean; error?: unknown };
  onCancel: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation("channels");
  const [values, setValues] = useState(() => emptyValues(vendor, summary));
  const [maxPerSecond, setMaxPerSecond] = useState(rate);
  const [invalid, setInvalid] = useState<{ error: string; field: string } | null>(null);
  const serverField = state.error instanceof GraphQLError ? state.error.field : undefined;
  const bad = (field: string) => invalid?.field === field || serverField === field;
  const set = (f: VendorField) => (v: string) => setValues((old) => ({ ...old, [f.name]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = genericInput(appID, vendor, values, maxPerSecond);
    if (!built.input) return setInvalid(built);
    setInvalid(null);
    if (await save({ input: built.input })) onSaved();
  }

  return (
    <form className="admin-cred-form" onSubmit={submit} aria-label={t("form.label", { name })} noValidate autoComplete="off">
      {vendor.fields.map((f) => (
        <VendorInput key={f.name} vendor={vendor} field={f} value={values[f.name] ?? ""} set={set(f)} invalid={bad(`${vendor.key}.${f.name}`)} />
      ))}
      <div className="row">
        <Text label={t("form.rate.label")} value={maxPerSecond} set={setMaxPerSecond} invalid={bad("maxPerSecond")} hint={t("form.rate.hint")} numeric />
      </div>
      <CheckProblem message={invalid?.error} />
      <Problem error={state.error} />
      <FormButtons submit={state.running ? t("form.checking") : t("form.save", { name })} disabled={state.running} onCancel={onCancel} />
    </form>
  );
}

function VendorInput({ vendor, field, value, set, invalid }: { vendor: VendorDescription; field: VendorField; value: string; set: (v: string) => void; invalid: boolean }) {
  const label = fieldLabel(vendor, field) + (field.required ? " *" : "");
  const hint = fieldHint(vendor, field) || undefined;
  switch (field.kind) {
    case "CHOICE":
      return (
        <Field label={label} hint={hint}>
          {() => <Segmented label={label} value={value} options={field.choices.map((c) => [c, c] as [string, string])} onChange={set} />}
        </Field>
      );
    case "FILE": {
      // A binary file (its field's name ends in Base64) goes as base64, a
      // key file as its text.
      const binary = field.name.endsWith("Base64");
      return (
        <>
          <FileField label={label} accept="*/*" hint={hint} read={async (file) => (binary ? base64OfBytes(new Uint8Array(await file.arrayBuffer())) : file.text())} onRead={set} invalid={invalid} />
          {!binary && (
            <Field label={label}>
              {(id) => <textarea id={id} className="mono admin-json" value={value} onChange={(e) => set(e.target.value)} spellCheck={false} aria-invalid={invalid || undefined} />}
            </Field>
          )}
        </>
      );
    }
    default:
      return (
        <div className="row">
          <Text label={label} value={value} set={set} invalid={invalid} hint={hint} secret={field.kind === "SECRET"} />
        </div>
      );
  }
}
