// TargetPicker finds an app's devices (by the start of their ID, their
// installation ID, user or tag) or users (by a part of their ID) as one
// types, and picks one of the first matches: the composer adds it to its
// list of targets, a template's test push sends to it.
import { useEffect, useId, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { explain } from "../api";
import { graphql } from "../gql";
import { useQuery } from "../hooks";
import { parseList, type TargetKind } from "../lib/compose";
import { ago, count, when } from "../lib/format";
import { appendTarget, deviceSearch, lastSeen, PICKS, userSearch } from "../lib/picker";

const PickerDevicesQuery = graphql(`
  query PickerDevices($where: DeviceWhereInput!, $first: Int!) {
    devices(where: $where, first: $first, orderBy: { field: LAST_SEEN_AT, direction: DESC }) {
      totalCount
      edges {
        node {
          id
          installationID
          platform
          model
          lastSeenAt
          online
          user {
            id
            externalID
          }
        }
      }
    }
  }
`);

const PickerUsersQuery = graphql(`
  query PickerUsers($where: AppUserWhereInput!, $first: Int!) {
    appUsers(where: $where, first: $first, orderBy: { field: EXTERNAL_ID, direction: ASC }) {
      totalCount
      edges {
        node {
          id
          externalID
          devices {
            id
            platform
            lastSeenAt
          }
        }
      }
    }
  }
`);

// Examples in placeholders are values to type, the same in every language.
const EXAMPLE: Record<TargetKind, string> = { device: "dev_01J…", user: "user-42" };

// A match as the list shows it: value is what picking it hands on (a
// device ID, the backend's user ID).
type Match = { value: string; details: string[]; seen?: string | null; online?: boolean };

type T = TFunction<["picker", "devices"]>;

const platformName = (t: T, p: string) => t(`devices:platform.${p}` as "devices:platform.IOS");

function deviceMatches(t: T, data: { devices: { edges?: ({ node?: DeviceNode | null } | null)[] | null } } | undefined): Match[] {
  return (data?.devices.edges ?? []).flatMap((e) =>
    e?.node
      ? [
          {
            value: e.node.id,
            details: [platformName(t, e.node.platform), e.node.model || e.node.installationID, e.node.user?.externalID ?? t("notBound")],
            seen: e.node.lastSeenAt,
            online: e.node.online,
          },
        ]
      : [],
  );
}

type DeviceNode = { id: string; installationID: string; platform: string; model: string; lastSeenAt?: string | null; online: boolean; user?: { externalID: string } | null };
type UserNode = { externalID: string; devices?: { platform: string; lastSeenAt?: string | null }[] | null };

function userMatches(t: T, data: { appUsers: { edges?: ({ node?: UserNode | null } | null)[] | null } } | undefined): Match[] {
  return (data?.appUsers.edges ?? []).flatMap((e) => {
    if (!e?.node) return [];
    const devices = e.node.devices ?? [];
    const platforms = [...new Set(devices.map((d) => platformName(t, d.platform)))].join(t("separator"));
    return [
      {
        value: e.node.externalID,
        details: devices.length ? [t("devices", { count: devices.length }), platforms] : [t("noDevices")],
        seen: lastSeen(devices),
      },
    ];
  });
}

// useSettled follows value once it has stayed put for a moment, so the
// search runs when typing pauses, not at every key.
function useSettled(value: string, ms = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

type PickerProps = {
  kind: TargetKind;
  onPick: (value: string) => void;
  // picked are the values already chosen: shown as added, not offered again.
  picked?: string[];
  // action: "add" to a list (the composer) or "choose" the one target.
  action?: "add" | "choose";
  // appID defaults to the app of the page's URL.
  appID?: string;
};

export function TargetPicker({ kind, onPick, picked = [], action = "add", appID }: PickerProps) {
  const { t } = useTranslation(["picker", "devices"]);
  const params = useParams();
  const app = appID ?? params.appID ?? "";
  const hint = useId();
  const [q, setQ] = useState("");
  const search = useSettled(q.trim());
  const devicesWhere = kind === "device" ? deviceSearch(app, search) : null;
  const usersWhere = kind === "user" ? userSearch(app, search) : null;
  const devices = useQuery(PickerDevicesQuery, { where: devicesWhere ?? { appID: app }, first: PICKS }, { skip: !devicesWhere });
  const users = useQuery(PickerUsersQuery, { where: usersWhere ?? { appID: app }, first: PICKS }, { skip: !usersWhere });
  const query = kind === "device" ? devices : users;
  const matches = !search ? [] : kind === "device" ? deviceMatches(t, devices.data) : userMatches(t, users.data);
  const total = (kind === "device" ? devices.data?.devices.totalCount : users.data?.appUsers.totalCount) ?? 0;
  const waiting = q.trim() !== search || query.loading;

  return (
    <div className="picker" style={{ display: "grid", gap: "0.4rem", minWidth: 0 }}>
      <label>
        {t(kind === "device" ? "find.device" : "find.user")}
        <input
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          // Enter must not send the form the picker sits in.
          onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
          placeholder={EXAMPLE[kind]}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={hint}
        />
      </label>
      <small id={hint} className="muted">{t(kind === "device" ? "hint.device" : "hint.user")}</small>
      {search && (
        <PickerStatus
          t={t}
          kind={kind}
          q={search}
          waiting={waiting}
          error={query.error}
          shown={matches.length}
          total={total}
        />
      )}
      {matches.length > 0 && (
        <ul aria-label={t("matches")} style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: "0.35rem" }}>
          {matches.map((m) => (
            <MatchRow key={m.value} t={t} match={m} added={picked.includes(m.value)} action={action} onPick={() => onPick(m.value)} />
          ))}
        </ul>
      )}
    </div>
  );
}

function PickerStatus({ t, kind, q, waiting, error, shown, total }: { t: T; kind: TargetKind; q: string; waiting: boolean; error: unknown; shown: number; total: number }) {
  let text = "";
  if (waiting) text = t("searching");
  else if (error) text = explain(error);
  else if (total === 0) text = t(kind === "device" ? "noMatch.device" : "noMatch.user", { q });
  else if (total > shown) text = t("more", { shown: count(shown), total: count(total) });
  if (!text) return null;
  return (
    <p role="status" className={`small ${error && !waiting ? "error" : "muted"}`} style={{ margin: 0 }}>
      {text}
    </p>
  );
}

function MatchRow({ t, match, added, action, onPick }: { t: T; match: Match; added: boolean; action: "add" | "choose"; onPick: () => void }) {
  const label = action === "add" ? t("addID", { id: match.value }) : t("chooseID", { id: match.value });
  return (
    <li style={{ display: "flex", flexWrap: "wrap", gap: "0.25rem 0.75rem", alignItems: "center", justifyContent: "space-between" }}>
      <span style={{ minWidth: 0 }}>
        <code>{match.value}</code>
        <span className="muted small">
          {" "}
          {match.details.filter(Boolean).join(" · ")}
          {(match.online || match.seen) && (
            <>
              {" · "}
              <span title={when(match.seen)}>{match.online ? t("devices:onlineNow") : t("seen", { ago: ago(match.seen) })}</span>
            </>
          )}
        </span>
      </span>
      <button type="button" className="secondary" disabled={added} aria-label={added ? undefined : label} onClick={onPick}>
        {added ? t("added") : t(action === "add" ? "add" : "choose")}
      </button>
    </li>
  );
}

// TargetListPicker is the composer's picker: a pick goes at the end of the
// list of targets typed one per line.
export function TargetListPicker({ kind, value, onChange }: { kind: TargetKind; value: string; onChange: (v: string) => void }) {
  return <TargetPicker kind={kind} picked={parseList(value)} onPick={(id) => onChange(appendTarget(value, id))} />;
}
