// The app's statistics over a range (docs/analytics.md): totals, a chart
// of one metric per group over time, a table per group and pushes compared
// side by side. The whole view lives in the URL (lib/analytics), so a view
// can be shared and Back returns to the previous one.
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router-dom";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { chartAxis, useScheme } from "../chart/colors";
import { CsvButton } from "../components/CsvButton";
import { graphql } from "../gql";
import type { StatsInput } from "../gql/graphql";
import { useQuery } from "../hooks";
import {
  bucketLabel,
  bucketsFor,
  bucketStarts,
  CHANNELS,
  COUNT_METRICS,
  DIMENSIONS,
  formatValue,
  GROUPINGS,
  groupRows,
  isRate,
  KINDS,
  METRICS,
  OTHER,
  PLATFORMS,
  RANGES,
  rate,
  RATE_METRICS,
  readView,
  series,
  statsRange,
  totalOf,
  viewParams,
  withRange,
  type Counts,
  type Grouping,
  type Metric,
  type Series,
  type View,
} from "../lib/analytics";
import type { Cell } from "../lib/csv";
import { channelName, count, pct } from "../lib/format";
import { withParams } from "../lib/params";
import { Empty, Loading, PageHeader, Problem } from "../ui";
import { Compare } from "./AnalyticsCompare";
import { CountCells, countRow, metricName, palette, rateCell, type T } from "./analyticsShared";
import "./analytics.css";

const AnalyticsStats = graphql(`
  query AnalyticsStats($input: StatsInput!) {
    stats(input: $input) {
      at
      platform
      channel
      appVersion
      kind
      counts {
        ...AllCountsFields
      }
    }
  }
`);

const AnalyticsTotals = graphql(`
  query AnalyticsTotals($app: ID!, $from: Time!, $to: Time!) {
    coreIndex(appID: $app, from: $from, to: $to) {
      pushes
      counts {
        ...AllCountsFields
      }
    }
  }
`);



// groupLabel names a group key in words; "" is a point without a value.
function groupLabel(t: T, by: Grouping, key: string): string {
  if (key === OTHER) return t("group.other");
  switch (by) {
    case "platform":
      return key ? t(`platform.${key}` as "platform.IOS", { defaultValue: key }) : t("group.noPlatform");
    case "channel":
      return key ? channelName(key) : t("group.noChannel");
    case "version":
      return key || t("group.noVersion");
    case "kind":
      return key ? t(`kind.${key}` as "kind.SIMPLE", { defaultValue: key }) : t("group.noKind");
  }
  return t("group.all");
}


export default function Analytics() {
  const { t } = useTranslation("analytics");
  const { appID = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const show = (next: View) => setParams(withParams(params, viewParams(next)));

  // The range is computed when the view changes or on Refresh: a page left
  // open shows the range it was read for, said above the chart.
  const [reads, setReads] = useState(0);
  const range = useMemo(() => statsRange(view.days, view.bucket, Date.now()), [view.days, view.bucket, reads]); // eslint-disable-line react-hooks/exhaustive-deps
  const input: StatsInput = {
    appID,
    ...range,
    granularity: view.bucket,
    groupBy: view.by === "none" ? [] : [DIMENSIONS[view.by]],
    ...(view.platform ? { platform: view.platform } : {}),
    ...(view.channel ? { channel: view.channel } : {}),
    ...(view.kind ? { kind: view.kind } : {}),
  };
  const stats = useQuery(AnalyticsStats, { input });
  const totals = useQuery(AnalyticsTotals, { app: appID, ...range });
  const points = useFresh(stats.data, JSON.stringify(input))?.stats;
  const core = useFresh(totals.data, JSON.stringify(range))?.coreIndex;
  const refresh = () => {
    setReads((r) => r + 1);
    stats.reload();
    totals.reload();
  };
  const filtered = Boolean(view.platform || view.channel || view.kind);

  return (
    <div className="analytics">
      <PageHeader title={t("title")}>
        <button type="button" className="secondary" onClick={refresh} disabled={stats.loading}>
          {t("refresh")}
        </button>
      </PageHeader>
      <ViewControls view={view} show={show} filtered={filtered} />
      <RangeSpan view={view} range={range} />
      <Totals data={core} error={totals.error} retry={totals.reload} filtered={filtered} />
      <Problem error={stats.error} retry={stats.reload} />
      {!points ? (
        !stats.error && <Loading />
      ) : points.length === 0 ? (
        <Empty>{filtered ? t("empty.filtered") : t("empty.range")}</Empty>
      ) : (
        <StatsView points={points} view={view} range={range} />
      )}
      <Compare appID={appID} view={view} show={show} />
    </div>
  );
}

// useFresh is a query's answer only while it answers what is asked now:
// useQuery keeps the last answer while the next one loads, which here
// would show one range's or grouping's numbers under another's labels.
// An answer that arrives is the current variables' (useQuery drops stale
// ones), so it is stored with the key of the render it arrives in.
function useFresh<R>(data: R | undefined, key: string): R | undefined {
  const [seen, setSeen] = useState<{ key: string; data: R } | null>(null);
  useEffect(() => {
    if (data !== undefined) setSeen({ key, data });
  }, [data]); // eslint-disable-line react-hooks/exhaustive-deps
  return seen?.key === key ? seen.data : undefined;
}

// ViewControls are the range, buckets, grouping, metric and filters.
function ViewControls({ view, show, filtered }: { view: View; show: (v: View) => void; filtered: boolean }) {
  const { t } = useTranslation("analytics");
  return (
    <div className="filters analytics-view" role="group" aria-label={t("view.label")}>
      <div className="field-group">
        <span id="analytics-range">{t("view.range")}</span>
        <div role="group" aria-labelledby="analytics-range" className="segmented">
          {RANGES.map((d) => (
            <button key={d} type="button" aria-pressed={view.days === d} onClick={() => show(withRange(view, d))}>
              {t("view.days", { count: d })}
            </button>
          ))}
        </div>
      </div>
      <div className="field-group">
        <span id="analytics-bucket">{t("view.bucket")}</span>
        <div role="group" aria-labelledby="analytics-bucket" className="segmented">
          {bucketsFor(view.days).map((b) => (
            <button key={b} type="button" aria-pressed={view.bucket === b} onClick={() => show({ ...view, bucket: b })}>
              {t(`view.buckets.${b}`)}
            </button>
          ))}
        </div>
      </div>
      <label>
        {t("view.groupBy")}
        <select value={view.by} onChange={(e) => show({ ...view, by: e.target.value as Grouping })}>
          {GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {t(`groupBy.${g}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("view.metric")}
        <select value={view.metric} onChange={(e) => show({ ...view, metric: e.target.value as Metric })}>
          <optgroup label={t("view.counts")}>
            {COUNT_METRICS.map((m) => (
              <option key={m} value={m}>
                {metricName(t, m)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("view.rates")}>
            {RATE_METRICS.map((m) => (
              <option key={m} value={m}>
                {metricName(t, m)}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        {t("filter.platform")}
        <select value={view.platform ?? ""} onChange={(e) => show({ ...view, platform: PLATFORMS.find((p) => p === e.target.value) })}>
          <option value="">{t("filter.anyPlatform")}</option>
          {PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {t(`platform.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("filter.channel")}
        <select value={view.channel ?? ""} onChange={(e) => show({ ...view, channel: CHANNELS.find((c) => c === e.target.value) })}>
          <option value="">{t("filter.anyChannel")}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {channelName(c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("filter.kind")}
        <select value={view.kind ?? ""} onChange={(e) => show({ ...view, kind: KINDS.find((k) => k === e.target.value) })}>
          <option value="">{t("filter.anyKind")}</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {filtered && (
        <button type="button" className="secondary" onClick={() => show({ ...view, platform: undefined, channel: undefined, kind: undefined })}>
          {t("filter.clear")}
        </button>
      )}
    </div>
  );
}

// RangeSpan says which buckets the numbers cover, and that the last one
// is still filling.
function RangeSpan({ view, range }: { view: View; range: { from: string; to: string } }) {
  const { t } = useTranslation("analytics");
  const starts = bucketStarts(range, view.bucket);
  const first = bucketLabel(starts[0], view.bucket);
  const last = bucketLabel(starts[starts.length - 1], view.bucket);
  return (
    <p className="muted small analytics-span">
      {view.bucket === "HOUR"
        ? t("span.hours", { hours: count(starts.length), first, last })
        : starts.length === 1
          ? t("span.today", { first })
          : t("span.days", { days: count(starts.length), first, last })}
    </p>
  );
}

type Core = { pushes: number; counts: Counts };

// Totals are the app's numbers over the range (coreIndex): the whole app,
// whatever the filters.
function Totals({ data, error, retry, filtered }: { data: Core | undefined; error: unknown; retry: () => void; filtered: boolean }) {
  const { t } = useTranslation("analytics");
  return (
    <section aria-label={t("totals.title")}>
      <h2>{t("totals.title")}</h2>
      <Problem error={error} retry={retry} />
      {data ? (
        <>
          <dl className="numbers totals">
            <div>
              <dt>{t("totals.pushes")}</dt>
              <dd>{count(data.pushes)}</dd>
            </div>
            {COUNT_METRICS.map((m) => (
              <div key={m}>
                <dt>{metricName(t, m)}</dt>
                <dd>{count(data.counts[m])}</dd>
              </div>
            ))}
            {RATE_METRICS.map((m) => (
              <div key={m}>
                <dt title={t(`formula.${m}`)}>{metricName(t, m)}</dt>
                <dd>{pct(rate(data.counts, m))}</dd>
              </div>
            ))}
          </dl>
          {filtered && <p className="muted small">{t("totals.unfiltered")}</p>}
        </>
      ) : (
        !error && <Loading />
      )}
    </section>
  );
}

type Point = { at: string; platform?: string | null; channel?: string | null; appVersion?: string | null; kind?: string | null; counts: Counts };

// StatsView is the chart and the table of the points read.
function StatsView({ points, view, range }: { points: Point[]; view: View; range: { from: string; to: string } }) {
  const { t } = useTranslation("analytics");
  const chart = useMemo(() => series(points, view.by, view.metric, range, view.bucket), [points, view.by, view.metric, view.bucket, range]);
  const labels = chart.groups.map((g) => groupLabel(t, view.by, g));
  const rows = useMemo(() => groupRows(points, view.by), [points, view.by]);
  const by = view.by === "none" ? "" : `-by-${view.by}`;
  return (
    <>
      <section aria-label={t("chart.title")}>
        <div className="section-header">
          <h2>{t("chart.heading", { metric: metricName(t, view.metric) })}</h2>
          <CsvButton
            name={`analytics-${view.metric}${by}-${view.days}d`}
            header={[t("csv.bucketStart"), ...labels]}
            rows={() => chart.x.map((x, i) => [new Date(x * 1000).toISOString(), ...chart.ys.map((y) => (isRate(view.metric) ? rateCell(y[i]) : y[i]))])}
          />
        </div>
        <StatsChart
          data={chart}
          labels={labels}
          metric={view.metric}
          bucket={view.bucket}
          label={t(`chart.label.${view.by}`, { metric: metricName(t, view.metric) })}
        />
        <p className="muted small">{t("chart.hint")}</p>
      </section>
      <GroupTable rows={rows} view={view} />
    </>
  );
}

// StatsChart draws one line per group on uPlot; hovering shows each
// group's value for the bucket in the legend.
function StatsChart({ data, labels, metric, bucket, label }: { data: Series; labels: string[]; metric: Metric; bucket: View["bucket"]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const { t } = useTranslation("analytics");
  const timeLabel = t("chart.time");
  const scheme = useScheme();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(240, el.clientWidth - 16);
    const fmt = (v: number | null | undefined) => formatValue(metric, v);
    const opts: uPlot.Options = {
      width: width(),
      height: 300,
      // Day buckets are UTC days: ticks at UTC midnight, whatever the zone.
      ...(bucket === "DAY" ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC") } : {}),
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, isRate(metric) ? Math.max(1, max ?? 0) : Math.max(1, max ?? 0) * 1.1] },
      },
      axes: [
        { ...chartAxis(), space: 110, values: (_u, splits) => splits.map((s) => bucketLabel(s * 1000, bucket)) },
        {
          ...chartAxis(),
          size: 64,
          // Counts are whole: no ticks between 0 and 1.
          ...(isRate(metric) ? {} : { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8] }),
          values: (_u, splits) => splits.map(fmt),
        },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: timeLabel, value: (_u, v) => (v == null ? "–" : bucketLabel(v * 1000, bucket)) },
        ...labels.map((l, i) => ({
          label: l,
          stroke: palette[i % palette.length],
          width: 2,
          value: (_u: uPlot, v: number | null) => fmt(v),
          points: { show: data.x.length <= 48 },
        })),
      ],
    };
    const u = new uPlot(opts, [data.x, ...data.ys] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => u.setSize({ width: width(), height: 300 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
    };
  }, [data, labels.join("\u0000"), metric, bucket, timeLabel, scheme]); // eslint-disable-line react-hooks/exhaustive-deps

  const total = data.ys.reduce((n, y) => n + y.reduce<number>((a, b) => a + (b ?? 0), 0), 0);
  return <div ref={box} className="stats-chart" role="img" aria-label={label} data-points={isRate(metric) ? undefined : total} />;
}

// GroupTable is each group's counts and rates over the range, with the
// total of the rows (the filters applied).
function GroupTable({ rows, view }: { rows: ReturnType<typeof groupRows>; view: View }) {
  const { t } = useTranslation("analytics");
  const total = totalOf(rows);
  const heading = t(`table.group.${view.by}`);
  const header = [heading, ...METRICS.map((m) => metricName(t, m))];
  const line = (label: string, c: Counts): Cell[] => [label, ...countRow(c)];
  const title = t(`table.title.${view.by}`);
  return (
    <section aria-label={title}>
      <div className="section-header">
        <h2>{title}</h2>
        <CsvButton
          name={`analytics${view.by === "none" ? "" : `-by-${view.by}`}-${view.days}d`}
          header={header}
          rows={() => [...rows.map((r) => line(groupLabel(t, view.by, r.key), r.counts)), ...(rows.length > 1 ? [line(t("table.total"), total)] : [])]}
        />
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={title}>
        <table aria-label={title}>
          <thead>
            <tr>
              <th>{heading}</th>
              {COUNT_METRICS.map((m) => (
                <th key={m} className="num">
                  {metricName(t, m)}
                </th>
              ))}
              {RATE_METRICS.map((m) => (
                <th key={m} className="num" title={t(`formula.${m}`)}>
                  {metricName(t, m)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td>{groupLabel(t, view.by, r.key)}</td>
                <CountCells c={r.counts} />
              </tr>
            ))}
          </tbody>
          {rows.length > 1 && (
            <tfoot>
              <tr>
                <td>{t("table.total")}</td>
                <CountCells c={total} />
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </section>
  );
}
