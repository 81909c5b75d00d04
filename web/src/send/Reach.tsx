// ReachNote warns, before a push is sent, about targets that the chosen
// channels cannot reach (they would wait for the TTL and expire) and
// targets with push turned off. It asks pushd once the form has stayed put
// for a moment, and says nothing while every target can be reached.
import { graphql } from "../gql";
import type { AudienceInput, Channel, PushTarget } from "../gql/graphql";
import { useQuery } from "../hooks";
import { MAX_TARGETS } from "../lib/compose";
import { reachWarning } from "../lib/reach";
import { useDebounced } from "./parts";

const ReachQuery = graphql(`
  query SendReachability($app: ID!, $target: PushTarget, $audience: AudienceInput, $channels: [Channel!]) {
    reachability(appID: $app, target: $target, audience: $audience, channels: $channels) {
      targeted
      reachable
      pushDisabled
    }
  }
`);

type Props = { appID: string; target?: PushTarget; audience?: AudienceInput; channels: Channel[] };

export function ReachNote({ appID, target, audience, channels }: Props) {
  const ids = (target?.deviceIDs?.length ?? 0) + (target?.userIDs?.length ?? 0);
  // A broadcast's audience leaves out devices with push turned off, so with
  // every channel allowed (or pushd's own) all of it can be reached: only
  // a restriction to vendor channels is worth asking about, and the
  // audience's size is counted beside it already. Only a target list
  // pushd would take is worth asking about; the form's own check says what
  // is wrong with the others.
  const vendorsOnly = channels.length > 0 && !channels.includes("SELF");
  const askable = audience != null ? vendorsOnly : ids > 0 && ids <= MAX_TARGETS;
  const settled = useDebounced({ target: audience ? null : (target ?? null), audience: audience ?? null, channels }, 400);
  const { data } = useQuery(ReachQuery, { app: appID, ...settled, channels: settled.channels.length ? settled.channels : null }, { skip: !askable });
  const warning = askable && data ? reachWarning(data.reachability, settled.channels) : null;
  if (!warning) return null;
  return (
    <p role="status" className="reach-warning warning">
      {warning}
    </p>
  );
}
