import { useState, type FormEvent } from "react";
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
      <form className="inline-form" onSubmit={submit} aria-label="Edit tags">
        <label>
          Tags
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="beta, region:eu" autoFocus />
        </label>
        <button type="submit" disabled={state.running}>
          Save tags
        </button>
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          Cancel
        </button>
        <Problem error={state.error} />
      </form>
    );
  }
  return (
    <>
      {tags.length ? (
        <ul className="chips">
          {tags.map((t) => (
            <li key={t}>
              <span className="badge">{t}</span>
            </li>
          ))}
        </ul>
      ) : (
        <span className="muted">none</span>
      )}{" "}
      {write && (
        <button type="button" className="link" onClick={() => (setText(tags.join(", ")), setEditing(true))}>
          Edit tags
        </button>
      )}
    </>
  );
}
