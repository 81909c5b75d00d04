// A broadcast's audience in the URL (?platforms=IOS,ANDROID&tags=beta…), so
// a link or the back button brings the same filters, and with them the same
// device count, back. Unknown values are dropped rather than sent to pushd.
import type { BindFilter, Platform } from "../gql/graphql";
import { emptyAudience, type AudienceForm } from "./compose";

const PLATFORMS: Platform[] = ["ANDROID", "IOS", "HARMONY", "WEB"];
const BOUND: BindFilter[] = ["ANY", "BOUND", "UNBOUND"];
const KEYS = ["platforms", "versions", "tags", "groups", "bound", "seen"] as const;

const list = (v: string | null) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);

export function audienceFromParams(p: URLSearchParams): AudienceForm {
  const bound = p.get("bound") as BindFilter | null;
  const seen = p.get("seen") ?? "";
  return {
    platforms: list(p.get("platforms")).filter((x): x is Platform => (PLATFORMS as string[]).includes(x)),
    appVersions: list(p.get("versions")).join(", "),
    tags: list(p.get("tags")).join(", "),
    groups: list(p.get("groups")),
    bound: bound && BOUND.includes(bound) ? bound : emptyAudience.bound,
    activeWithin: /^\d+$/.test(seen) ? seen : "",
  };
}

// audienceParams writes the audience over p's own audience keys, leaving
// the others (mode, template) and leaving out what is empty.
export function audienceParams(p: URLSearchParams, a: AudienceForm): URLSearchParams {
  const n = new URLSearchParams(p);
  for (const k of KEYS) n.delete(k);
  const set = (k: (typeof KEYS)[number], v: string) => v && n.set(k, v);
  set("platforms", a.platforms.join(","));
  set("versions", list(a.appVersions).join(","));
  set("tags", list(a.tags).join(","));
  set("groups", a.groups.join(","));
  if (a.bound !== emptyAudience.bound) set("bound", a.bound);
  set("seen", a.activeWithin.trim());
  return n;
}
