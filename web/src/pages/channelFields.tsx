// The inputs of the channel forms: a text or secret field, and a file read
// in the browser.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../ui";

export function Text({
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
export function FileField<T>({
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
  const { t } = useTranslation("channels");
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
            if (file.size > 1 << 20) return setProblem(t("file.tooLarge"));
            try {
              onRead(await read(file));
            } catch {
              setProblem(t("file.unreadable"));
            }
          }}
        />
      )}
    </Field>
  );
}
