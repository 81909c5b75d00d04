import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router-dom";
import { LiveChart } from "../chart/LiveChart";
import { graphql } from "../gql";
import type { OverviewQuery as OverviewData, StatDimension } from "../gql/graphql";
import { useQuery, useSubscription } from "../hooks";
import { rate, readRecent, RECENT, recentRange, type RateMetric, type RecentDays } from "../lib/analytics";
import { count, pct } from "../lib/format";
import { withParams } from "../lib/params";
import { grouped, type GroupBy, METRICS, type Metric, MinuteWindow } from "../lib/series";
import { Loading, PageHeader, Problem } from "../ui";
import "./analytics.css";

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
        ...AllCountsFields
      }
      arrivalRate
      openRate
      ignoreRate
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

// The range's names, by its number of days.
const SPAN = { 1: "day", 7: "week", 30: "month" } as const;

export function Overview() {
  const { t } = useTranslation("overview");
  const { appID = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const days = readRecent(params);
  const span = SPAN[days];
  // The range up to the end of the current minute, computed again each
  // time the numbers are read (the live section asks when they moved), so
  // a page left open keeps counting what is new.
  const [reads, setReads] = useState(0);
  const range = useMemo(() => recentRange(days, Date.now()), [days, reads]); // eslint-disable-line react-hooks/exhaustive-deps
  const { data, error, reload } = useQuery(OverviewQuery, { app: appID, ...range });
  // Within the same minute the range is the same: reload asks anyway.
  const readAgain = useCallback(() => {
    setReads((r) => r + 1);
    reload();
  }, [reload]);
  const app = data?.node && "name" in data.node ? data.node : undefined;
  const core = data?.coreIndex;
  const pick = (d: RecentDays) => setParams(withParams(params, { range: d === 1 ? null : `${d}d` }));

  return (
    <>
      <PageHeader title={app?.name ?? t("title")}>{app && <code title={t("appKey")}>{app.appKey}</code>}</PageHeader>
      <Problem error={error} retry={reload} />
      <section aria-label={t(`funnel.title.${span}`)}>
        <div className="section-header">
          <h2>{t(`funnel.title.${span}`)}</h2>
          <div role="group" aria-label={t("funnel.range")} className="segmented">
            {RECENT.map((d) => (
              <button key={d} type="button" aria-pressed={days === d} onClick={() => pick(d)}>
                {t(`funnel.pick.${SPAN[d]}`)}
              </button>
            ))}
          </div>
        </div>
        {core ? <Funnel core={core} /> : !error && <Loading />}
      </section>
      <Live appID={appID} onChange={readAgain} />
    </>
  );
}

type Core = OverviewData["coreIndex"];
type Step = "targeted" | "sent" | "arrived" | "opened" | "ignored" | "failed" | "expired" | "revoked";

// Funnel is the app's deliveries over the range, step by step (targeted →
// sent → arrived → opened) and how the others ended. Each card says what
// it counts; the bars are to scale with the largest step.
function Funnel({ core }: { core: Core }) {
  const { t } = useTranslation("overview");
  const c = core.counts;
  const steps: Step[] = ["targeted", "sent", "arrived", "opened"];
  const widest = Math.max(1, ...steps.map((s) => c[s]));
  // pushd's rates, except that nothing to divide by is no rate ("–"),
  // not 0 %.
  const rateOf = (name: RateMetric) => ({ name, value: rate(c, name) == null ? null : core[name] });
  const rates: Partial<Record<Step, ReturnType<typeof rateOf>>> = {
    arrived: rateOf("arrivalRate"),
    opened: rateOf("openRate"),
    ignored: rateOf("ignoreRate"),
  };
  const card = (s: Step, bar: boolean) => {
    const r = rates[s];
    return (
      <div key={s} className={`funnel-step ${s}`}>
        <dt>{t(`counts.${s}`)}</dt>
        <dd className="funnel-count">{count(c[s])}</dd>
        {r && (
          <dd className="funnel-rate" title={t(`funnel.${r.name}.formula`)}>
            {t(`funnel.${r.name}.label`, { rate: pct(r.value) })}
          </dd>
        )}
        {bar && (
          <dd className="funnel-bar" aria-hidden="true">
            <span style={{ width: `${(100 * c[s]) / widest}%` }} />
          </dd>
        )}
        <dd className="funnel-what">{t(`funnel.what.${s}`)}</dd>
      </div>
    );
  };
  return (
    <>
      <dl className="funnel" aria-label={t("funnel.steps")}>
        <div className="funnel-step pushes">
          <dt>{t("counts.pushes")}</dt>
          <dd className="funnel-count">{count(core.pushes)}</dd>
          <dd className="funnel-what">{t("funnel.what.pushes")}</dd>
        </div>
        {steps.map((s) => card(s, true))}
      </dl>
      <dl className="funnel outcomes" aria-label={t("funnel.outcomes")}>
        {(["ignored", "failed", "expired", "revoked"] as Step[]).map((s) => card(s, false))}
      </dl>
      <p className="muted small">{t("funnel.note")}</p>
    </>
  );
}

// Live draws the last hour from liveStats frames; onChange hears when the
// numbers moved (at most every 5 s), so the day's numbers can follow.
function Live({ appID, onChange }: { appID: string; onChange: () => void }) {
  const { t } = useTranslation("overview");
  const [by, setBy] = useState<By>("CHANNEL");
  const [metric, setMetric] = useState<Metric>("sent");
  return (
    <section aria-label={t("live.label")}>
      <div className="section-header">
        <h2>{t("live.title")}</h2>
        <div className="toggles">
          <div role="group" aria-label={t("live.metric")} className="segmented">
            {METRICS.map((m) => (
              <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}>
                {t(`live.metrics.${m}`)}
              </button>
            ))}
          </div>
          <div role="group" aria-label={t("live.groupBy")} className="segmented">
            {(["CHANNEL", "PLATFORM"] as By[]).map((b) => (
              <button key={b} type="button" aria-pressed={by === b} onClick={() => setBy(b)}>
                {t(`live.by.${b}`)}
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
  const { t } = useTranslation("overview");
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
          <div><dt>{t("counts.sent")}</dt><dd>{count(frame.totals.sent)}</dd></div>
          <div><dt>{t("counts.arrived")}</dt><dd>{count(frame.totals.arrived)}</dd></div>
          <div><dt>{t("counts.opened")}</dt><dd>{count(frame.totals.opened)}</dd></div>
          <div><dt>{t("counts.failed")}</dt><dd>{count(frame.totals.failed)}</dd></div>
        </dl>
      ) : (
        !liveError && <Loading what={t("live.connecting")} />
      )}
      <LiveChart data={chart} label={t("live.chart", { metric: t(`live.metrics.${metric}`), by: t(`live.dimension.${by}`) })} />
      {/* Only once the last hour is read: while it loads, nothing is known yet. */}
      {seed.data && chart.groups.length === 0 && <p className="muted small">{t("live.quiet")}</p>}
    </>
  );
}
