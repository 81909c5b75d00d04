// A push's deliveries over time: running totals of sent, arrived, opened
// and failed from the statistics pushd keeps per minute, read again as the
// push progresses (the page's tick).
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { LiveChart } from "../chart/LiveChart";
import { graphql } from "../gql";
import { useQuery } from "../hooks";
import { timeline, timelineRange } from "../lib/timeline";
import { Loading, Problem } from "../ui";

const TimelineQuery = graphql(`
  query JobTimeline($input: StatsInput!) {
    stats(input: $input) {
      at
      counts {
        sent
        arrived
        opened
        failed
      }
    }
  }
`);

type Job = { id: string; appID: string; createdAt: string; finishedAt?: string | null };

export function JobTimeline({ job, tick }: { job: Job; tick: number }) {
  const { t } = useTranslation("jobs");
  // The range moves with the tick, so a running push's chart reaches now.
  const range = useMemo(() => timelineRange(job.createdAt, job.finishedAt, Date.now()), [job.createdAt, job.finishedAt, tick]);
  const { data, error, reload } = useQuery(TimelineQuery, {
    input: { appID: job.appID, jobID: job.id, from: range.from, to: range.to, granularity: range.granularity },
  });
  const names = { sent: t("counts.sent"), arrived: t("counts.arrived"), opened: t("counts.opened"), failed: t("counts.failed") };
  return (
    <section aria-label={t("timeline.title")} className="card job-timeline">
      <h2>{t("timeline.title")}</h2>
      <p className="muted small">{t(`timeline.hint.${range.granularity}`)}</p>
      <Problem error={error} retry={reload} />
      {data ? <LiveChart data={timeline(data.stats, range, names)} label={t("timeline.chart")} height={220} /> : !error && <Loading />}
    </section>
  );
}
