import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useParams } from "react-router-dom";
import { LiveChart } from "../chart/LiveChart";
import { graphql } from "../gql";
import type { StatDimension } from "../gql/graphql";
import { useQuery, useSubscription } from "../hooks";
import { count, dayUpTo, pct } from "../lib/format";
import { grouped, type GroupBy, METRICS, type Metric, MinuteWindow } from "../lib/series";
import { Loading, PageHeader, Problem } from "../ui";

const OverviewQuery = graphql(`
  query Overview($app: ID!, $from: Time!, $to: Time!) {
    node(id: $app) {
      ... on App {
        id
        name
        appKey
      }
    }
    coreIndex(appID: $app, from: $from, to: $to) {
      pushes
      counts {
        ...ReportCountsFields
      }
      arrivalRate
      openRate
    }
  }
`);

const RecentMinutes = graphql(`
  query RecentMinutes($input: StatsInput!) {
    stats(input: $input) {
      at
      platform
      channel
      counts {
        ...LiveCountsFields
      }
    }
  }
`);

const LiveStatsSubscription = graphql(`
  subscription LiveOverview($app: ID!, $groupBy: [StatDimension!]) {
    liveStats(appID: $app, groupBy: $groupBy) {
      at
      minute {
        at
        platform
        channel
        counts {
          ...LiveCountsFields
        }
      }
      totals {
        ...LiveCountsFields
      }
    }
  }
`);

type By = GroupBy;

export function Overview() {
  const { appID = "" } = useParams();
  // The last 24 hours up to the end of the current minute, computed again
  // each time the numbers are read (the live section asks when they moved),
  // so a page left open keeps counting what is new.
  const [reads, setReads] = useState(0);
  const range = useMemo(() => dayUpTo(Date.now()), [reads]); // eslint-disable-line react-hooks/exhaustive-deps
  const { data, error, reload } = useQuery(OverviewQuery, { app: appID, ...range });
  // Within the same minute the range is the same: reload asks anyway.
  const readAgain = useCallback(() => {
    setReads((r) => r + 1);
    reload();
  }, [reload]);
  const app = data?.node && "name" in data.node ? data.node : undefined;
  const core = data?.coreIndex;

  return (
    <>
      <PageHeader title={app?.name ?? "Overview"}>{app && <code title="App key">{app.appKey}</code>}</PageHeader>
      <Problem error={error} retry={reload} />
      <section aria-label="Last 24 hours">
        <h2>Last 24 hours</h2>
        {core ? (
          <dl className="numbers">
            <div><dt>Pushes</dt><dd>{count(core.pushes)}</dd></div>
            <div><dt>Sent</dt><dd>{count(core.counts.sent)}</dd></div>
            <div><dt>Arrived</dt><dd>{count(core.counts.arrived)} <small>{pct(core.arrivalRate)}</small></dd></div>
            <div><dt>Opened</dt><dd>{count(core.counts.opened)} <small>{pct(core.openRate)}</small></dd></div>
            <div><dt>Failed</dt><dd>{count(core.counts.failed)}</dd></div>
            <div><dt>Expired</dt><dd>{count(core.counts.expired)}</dd></div>
          </dl>
        ) : (
          !error && <Loading />
        )}
      </section>
      <Live appID={appID} onChange={readAgain} />
    </>
  );
}

// Live draws the last hour from liveStats frames; onChange hears when the
// numbers moved (at most every 5 s), so the day's numbers can follow.
function Live({ appID, onChange }: { appID: string; onChange: () => void }) {
  const [by, setBy] = useState<By>("CHANNEL");
  const [metric, setMetric] = useState<Metric>("sent");
  return (
    <section aria-label="Live">
      <div className="section-header">
        <h2>Live: last 60 minutes</h2>
        <div className="toggles">
          <div role="group" aria-label="Metric" className="segmented">
            {METRICS.map((m) => (
              <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}>
                {m}
              </button>
            ))}
          </div>
          <div role="group" aria-label="Group by" className="segmented">
            {(["CHANNEL", "PLATFORM"] as By[]).map((b) => (
              <button key={b} type="button" aria-pressed={by === b} onClick={() => setBy(b)}>
                by {b.toLowerCase()}
              </button>
            ))}
          </div>
        </div>
      </div>
      {/* A new grouping is a new window and subscription: keyed, so nothing
          of the previous grouping's points leaks into it. */}
      <LiveWindow key={by} appID={appID} by={by} metric={metric} onChange={onChange} />
    </section>
  );
}

function LiveWindow({ appID, by, metric, onChange }: { appID: string; by: By; metric: Metric; onChange: () => void }) {
  const lastChange = useRef({ key: "", at: 0 });
  const windowRef = useRef(new MinuteWindow(60));
  const [frame, setFrame] = useState<{ at: string; totals: Record<Metric, number> } | null>(null);
  const [version, setVersion] = useState(0);

  // Seeded with the last hour, then kept current by the frames; seeded
  // again after the connection was lost (frames are not replayed).
  const [seeds, setSeeds] = useState(0);
  const seedRange = useMemo(() => {
    const to = new Date(Date.now() + 60_000);
    return { from: new Date(to.getTime() - 61 * 60_000).toISOString(), to: to.toISOString() };
  }, [seeds]); // eslint-disable-line react-hooks/exhaustive-deps
  const groupBy: StatDimension[] = [by];
  const seed = useQuery(RecentMinutes, { input: { appID, ...seedRange, granularity: "MINUTE", groupBy } });
  useEffect(() => {
    if (!seed.data) return;
    windowRef.current.put(grouped(by, seed.data.stats), Date.now());
    setVersion((v) => v + 1);
  }, [seed.data, by]);

  const reseed = () => setSeeds((n) => n + 1);
  const liveError = useSubscription(LiveStatsSubscription, { app: appID, groupBy }, (d) => {
    windowRef.current.put(grouped(by, d.liveStats.minute), Date.now());
    setFrame({ at: d.liveStats.at, totals: d.liveStats.totals });
    // Frames come every second, changed or not, so a change held back by
    // the 5 s spacing is picked up by a later frame.
    const key = JSON.stringify(d.liveStats.totals);
    const last = lastChange.current;
    if (!last.key) last.key = key;
    else if (key !== last.key && Date.now() - last.at >= 5000) {
      lastChange.current = { key, at: Date.now() };
      onChange();
    }
    setVersion((v) => v + 1);
  }, { onReconnect: () => (reseed(), onChange()) }); // minutes missed while away are read again

  const chart = useMemo(() => windowRef.current.data(metric, Date.now()), [metric, version]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <>
      {liveError ? <Problem error={liveError} /> : null}
      {frame ? (
        <dl className="numbers" data-at={frame.at}>
          <div><dt>Sent</dt><dd>{count(frame.totals.sent)}</dd></div>
          <div><dt>Arrived</dt><dd>{count(frame.totals.arrived)}</dd></div>
          <div><dt>Opened</dt><dd>{count(frame.totals.opened)}</dd></div>
          <div><dt>Failed</dt><dd>{count(frame.totals.failed)}</dd></div>
        </dl>
      ) : (
        !liveError && <Loading what="Connecting…" />
      )}
      <LiveChart data={chart} label={`${metric} per minute by ${by.toLowerCase()}`} />
      {/* Only once the last hour is read: while it loads, nothing is known yet. */}
      {seed.data && chart.groups.length === 0 && <p className="muted small">Nothing sent in the last hour: the chart fills as pushes go out.</p>}
    </>
  );
}
