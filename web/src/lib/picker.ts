// The target picker's searches and what picking does to a list of targets
// (components/TargetPicker.tsx): one box finds devices by the start of
// their ID, their installation ID, their user or a tag, and users by a
// part of their ID.
import type { AppUserWhereInput, DeviceWhereInput } from "../gql/graphql";
import { idPrefixRange, isDeviceID } from "./content";
import { parseList } from "./compose";

// PICKS is how many matches the picker shows: enough to choose from, few
// enough to read; a longer search narrows the rest.
export const PICKS = 10;

// A device ID is "dev_" and 26 characters of Crockford's base32 (no I, L,
// O or U).
const DEVICE_ID_LENGTH = 30;
const ULID_PART = /^[0-9A-HJKMNP-TV-Z]+$/i;

// deviceIDCondition matches the IDs that start with s, with or without its
// "dev_" (people copy the part they see). null when s cannot start one.
export function deviceIDCondition(s: string): DeviceWhereInput | null {
  const id = isDeviceID(s) ? s : ULID_PART.test(s) ? "dev_" + s : "";
  if (!id) return null;
  if (id.length >= DEVICE_ID_LENGTH) return { id: id.slice(0, 4) + id.slice(4).toUpperCase() };
  const r = idPrefixRange(id);
  return r ? { idGTE: r.from, idLT: r.to } : null;
}

// deviceSearch is the devices filter for what was typed: any device whose
// ID starts with it or whose installation ID, user ID or tag holds it.
// null for an empty search (nothing is asked).
export function deviceSearch(appID: string, q: string): DeviceWhereInput | null {
  const s = q.trim();
  if (!s) return null;
  const byID = deviceIDCondition(s);
  return {
    appID,
    or: [...(byID ? [byID] : []), { installationIDContainsFold: s }, { hasUserWith: [{ externalIDContainsFold: s }] }, { hasTag: s }],
  };
}

// userSearch finds users by a part of the backend's user ID.
export function userSearch(appID: string, q: string): AppUserWhereInput | null {
  const s = q.trim();
  return s ? { appID, externalIDContainsFold: s } : null;
}

// appendTarget adds a picked ID to a list typed one per line, unless it is
// there already; what was typed stays as it is.
export function appendTarget(text: string, id: string): string {
  if (parseList(text).includes(id)) return text;
  const kept = text.replace(/[\s,]+$/, "");
  return kept ? `${kept}\n${id}` : id;
}

// lastSeen is when any of a user's devices was last seen (ISO times sort
// as strings).
export function lastSeen(devices: { lastSeenAt?: string | null }[]): string | undefined {
  return devices
    .map((d) => d.lastSeenAt)
    .filter((s): s is string => !!s)
    .sort()
    .pop();
}
