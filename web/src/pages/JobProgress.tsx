import { useTranslation } from "react-i18next";
import { count } from "../lib/format";
import { percent, progress, type JobCounts } from "../lib/jobs";

// JobProgress is the live bar of a job that is still going out: how many
// of its deliveries had their first attempt.
export function JobProgress({ counts }: { counts: JobCounts }) {
  const { t } = useTranslation("jobs");
  const p = progress(counts);
  const label = p.ratio == null ? t("progress.waiting") : t("progress.of", { done: count(p.done), total: count(p.total) });
  return (
    <div className="job-progress">
      <div
        className={p.ratio == null ? "progress indeterminate" : "progress"}
        role="progressbar"
        aria-label={t("progress.label")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={p.ratio == null ? undefined : Math.floor(p.ratio * 100)}
        aria-valuetext={label}
      >
        <span style={{ width: p.ratio == null ? "30%" : percent(p.ratio) }} />
      </div>
      <span className="muted small">
        {percent(p.ratio)} · {label}
      </span>
    </div>
  );
}
