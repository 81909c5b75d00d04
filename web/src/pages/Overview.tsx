import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { explain, gql } from "../api";
import { subscribe } from "../live";

type Counts = { sent: number; arrived: number; opened: number; failed: number };
type Core = { pushes: number; counts: Counts & { ignored: number }; arrivalRate: number; openRate: number };
type Frame = { at: string; totals: Counts };

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

export function Overview() {
  const { appID = "" } = useParams();
  const [name, setName] = useState("");
  const [core, setCore] = useState<Core | null>(null);
  const [frame, setFrame] = useState<Frame | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    const to = new Date(Date.now() + 60_000).toISOString();
    const from = new Date(Date.now() - 24 * 3600_000).toISOString();
    gql<{ node: { name: string } | null; coreIndex: Core }>(
      `query($app: ID!, $from: Time!, $to: Time!) {
        node(id: $app) { ... on App { name } }
        coreIndex(appID: $app, from: $from, to: $to) { pushes counts { sent arrived opened ignored failed } arrivalRate openRate }
      }`,
      { app: appID, from, to },
    )
      .then((d) => {
        setName(d.node?.name ?? "");
        setCore(d.coreIndex);
      })
      .catch((e) => setError(explain(e)));
    return subscribe<{ liveStats: Frame }>(
      `subscription($app: ID!) { liveStats(appID: $app) { at totals { sent arrived opened failed } } }`,
      { app: appID },
      (d) => setFrame(d.liveStats),
      () => setError("Live statistics are unavailable."),
    );
  }, [appID]);

  if (error) return <p role="alert" className="error">{error}</p>;
  return (
    <main>
      <p><Link to="/apps">Apps</Link></p>
      <h1>{name || "…"}</h1>
      <section aria-label="Last 24 hours">
        <h2>Last 24 hours</h2>
        {core ? (
          <dl className="numbers">
            <div><dt>Pushes</dt><dd>{core.pushes}</dd></div>
            <div><dt>Sent</dt><dd>{core.counts.sent}</dd></div>
            <div><dt>Arrived</dt><dd>{core.counts.arrived} ({pct(core.arrivalRate)})</dd></div>
            <div><dt>Opened</dt><dd>{core.counts.opened} ({pct(core.openRate)})</dd></div>
            <div><dt>Failed</dt><dd>{core.counts.failed}</dd></div>
          </dl>
        ) : (
          <p aria-busy="true">Loading…</p>
        )}
      </section>
      <section aria-label="Live">
        <h2>Live (last 60 minutes)</h2>
        {frame ? (
          <dl className="numbers" data-at={frame.at}>
            <div><dt>Sent</dt><dd>{frame.totals.sent}</dd></div>
            <div><dt>Arrived</dt><dd>{frame.totals.arrived}</dd></div>
            <div><dt>Opened</dt><dd>{frame.totals.opened}</dd></div>
            <div><dt>Failed</dt><dd>{frame.totals.failed}</dd></div>
          </dl>
        ) : (
          <p aria-busy="true">Connecting…</p>
        )}
      </section>
    </main>
  );
}
