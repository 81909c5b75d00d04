// What the composer says about a push's reach before it is sent: targets
// that the chosen channels cannot reach would wait for the TTL and expire,
// which nobody wants to learn from the report three days later.
import i18n from "../i18n";
import { channelName } from "./format";

export type Reach = { targeted: number; reachable: number; pushDisabled: number };

// reachWarning is the sentence for a reach answer, or null when every
// target can be reached.
export function reachWarning(r: Reach, channels: string[]): string | null {
  const unreachable = Math.max(0, r.targeted - r.reachable - r.pushDisabled);
  const parts: string[] = [];
  if (unreachable > 0) {
    const named = channels.length ? channels.map(channelName).join(i18n.t("compose:reach.separator")) : null;
    parts.push(
      named
        ? i18n.t("compose:reach.unreachableOn", { count: unreachable, targeted: r.targeted, channels: named })
        : i18n.t("compose:reach.unreachable", { count: unreachable, targeted: r.targeted }),
    );
  }
  if (r.pushDisabled > 0) parts.push(i18n.t("compose:reach.pushDisabled", { count: r.pushDisabled }));
  return parts.length ? parts.join(" ") : null;
}
