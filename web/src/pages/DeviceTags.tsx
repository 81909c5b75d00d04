import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import { useMutation } from "../hooks";
import { parseTags } from "../lib/content";
import { Problem } from "../ui";

const SetTagsMutation = graphql(`
  mutation DeviceDetailSetTags($id: ID!, $tags: [String!]!) {
    setDeviceTags(deviceID: $id, tags: $tags) {
      id
      tags
    }
  }
`);

// DeviceTags shows a device's tags and, for writers, edits them as one
// comma-separated line (pushd checks the characters and the limit of 20).
export function DeviceTags({ deviceID, tags, write, saved }: { deviceID: string; tags: string[]; write: boolean; saved: () => void }) {
  const { t } = useTranslation("devices");
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(tags.join(", "));
  const [save, state] = useMutation(SetTagsMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await save({ id: deviceID, tags: parseTags(text) })) {
      setEditing(false);
      saved();
    }
  }

  if (editing) {
    return (
      <form className="inline-form" onSubmit={submit} aria-label={t("tags.form")}>
        <label>
          {t("tags.label")}
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t("tags.placeholder")} autoFocus />
        </label>
        <button type="submit" disabled={state.running}>
          {t("tags.save")}
        </button>
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          {t("tags.cancel")}
        </button>
        <Problem error={state.error} />
      </form>
    );
  }
  return (
    <>
      {tags.length ? (
        <ul className="chips">
          {tags.map((tag) => (
            <li key={tag}>
              <span className="badge">{tag}</span>
            </li>
          ))}
        </ul>
      ) : (
        <span className="muted">{t("tags.none")}</span>
      )}{" "}
      {write && (
        <button type="button" className="link" onClick={() => (setText(tags.join(", ")), setEditing(true))}>
          {t("tags.edit")}
        </button>
      )}
    </>
  );
}
