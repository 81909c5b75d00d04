import { useCallback, useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { graphql } from "../gql";
import type { JobsListQuery, JobsRowUpdatedSubscription } from "../gql/graphql";
import { useQuery, useSubscription } from "../hooks";
import { count, when } from "../lib/format";
import { audience, isFinished, kindName, overlay, JOB_KINDS, JOB_STATUSES, jobFilter, jobsWhere, jobTitle } from "../lib/jobs";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { useCan } from "../session";
import { Badge, ListBody, PageHeader, Pager, Problem, statusLabel, usePager } from "../ui";
import { JobProgress } from "./JobProgress";
import "./jobs.css";

const JobsListQueryDoc = graphql(`
  query JobsList($where: PushJobWhereInput!, $first: Int, $after: Cursor) {
    pushJobs(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...JobUpdateFields
          kind
          createdAt
          templateName
          taskName
          unknownTargets
          recurrence {
            cron
          }
          message {
            title
            body
            silent
          }
        }
      }
    }
  }
`);

// Each unfinished row listens to its job; graphql-ws multiplexes them all
// on the console's one connection. The row loads every field an update
// brings (JobUpdateFields), so laying one over it keeps the row's shape.
const JobsRowUpdated = graphql(`
  subscription JobsRowUpdated($id: ID!) {
    pushJobUpdated(id: $id) {
      ...JobUpdateFields
    }
  }
`);

type Job = NonNullable<NonNullable<NonNullable<JobsListQuery["pushJobs"]["edges"]>[number]>["node"]>;
type Update = JobsRowUpdatedSubscription["pushJobUpdated"];

export default function Jobs() {
  const { t } = useTranslation("jobs");
  // Statuses are named once for the whole console, in common.
  const { t: tc } = useTranslation();
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const [params, setParams] = useSearchParams();
  const filter = jobFilter(params);
  const where = jobsWhere(appID, filter);
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(JobsListQueryDoc, { where, first: PAGE_SIZE, after: pager.after });
  // Live updates by job ID, laid over the rows as they were loaded.
  const [live, setLive] = useState<Record<string, Update>>({});
  const onUpdate = useCallback((u: Update) => setLive((l) => ({ ...l, [u.id]: u })), []);

  useNewPushes(pager.page === 1, reload);

  const jobs = (data?.pushJobs.edges ?? []).flatMap((e) => (e?.node ? [overlay(e.node, live[e.node.id])] : []));
  const filtered = Boolean(filter.status || filter.kind || filter.q || filter.from || filter.to);
  const set = (key: string, value: string) => setParams(withParams(params, { [key]: value }));

  return (
    <>
      <PageHeader title={t("list.title")}>
        {can.send && (
          <Link className="button" to={`/apps/${appID}/send`}>
            {t("list.new")}
          </Link>
        )}
      </PageHeader>
      <div className="filters" role="search" aria-label={t("list.filters")}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            set("q", String(new FormData(e.currentTarget).get("q") ?? "").trim());
          }}
        >
          <label>
            {t("list.search.label")}
            <input key={filter.q ?? ""} type="search" name="q" defaultValue={filter.q ?? ""} placeholder={t("list.search.placeholder")} />
          </label>
          <button type="submit" className="secondary">
            {t("list.search.submit")}
          </button>
        </form>
        <label>
          {t("fields.status")}
          <select value={filter.status ?? ""} onChange={(e) => set("status", e.target.value)}>
            <option value="">{t("list.anyStatus")}</option>
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(tc, s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("fields.kind")}
          <select value={filter.kind ?? ""} onChange={(e) => set("kind", e.target.value)}>
            <option value="">{t("list.anyKind")}</option>
            {JOB_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindName(k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("list.from")}
          <input type="date" value={filter.from ?? ""} max={filter.to} onChange={(e) => set("from", e.target.value)} />
        </label>
        <label>
          {t("list.to")}
          <input type="date" value={filter.to ?? ""} min={filter.from} onChange={(e) => set("to", e.target.value)} />
        </label>
        {filtered && (
          <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
            {t("list.clear")}
          </button>
        )}
      </div>
      <Problem error={error} retry={reload} />
      <ListBody
        data={data}
        loading={loading}
        error={error}
        count={jobs.length}
        empty={
          filtered ? (
            t("list.empty.filtered")
          ) : can.send ? (
            <Trans t={t} i18nKey="list.empty.noneCanSend" components={{ a: <Link to={`/apps/${appID}/send`} /> }} />
          ) : (
            t("list.empty.none")
          )
        }
      >
        <table className="jobs">
          <thead>
            <tr>
              <th>{t("fields.push")}</th>
              <th>{t("fields.kind")}</th>
              <th>{t("fields.status")}</th>
              <th>{t("fields.created")}</th>
              <th>{t("fields.audience")}</th>
              <th className="num">{t("counts.sent")}</th>
              <th className="num">{t("counts.arrived")}</th>
              <th className="num">{t("counts.opened")}</th>
              <th className="num">{t("counts.failed")}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <JobRow key={j.id} appID={appID} job={j} onUpdate={onUpdate} />
            ))}
          </tbody>
        </table>
      </ListBody>
      <Pager pager={pager} conn={data?.pushJobs} />
    </>
  );
}

// NEW_PUSHES_EVERY is how often the first page looks for pushes made since
// it loaded (by a backend, another console, a schedule). Rows already
// shown follow their jobs live; new rows need the list itself again. A
// poll costs one small query per open page, where a subscription would
// cost a publish on every push pushd accepts.
const NEW_PUSHES_EVERY = 5_000;

// useNewPushes reloads the first page of the list while it is on screen.
function useNewPushes(firstPage: boolean, reload: () => void) {
  useEffect(() => {
    if (!firstPage) return;
    const tick = setInterval(() => {
      if (document.visibilityState === "visible") reload();
    }, NEW_PUSHES_EVERY);
    return () => clearInterval(tick);
  }, [firstPage, reload]);
}

function JobRow({ appID, job, onUpdate }: { appID: string; job: Job; onUpdate: (u: Update) => void }) {
  const { t } = useTranslation("jobs");
  const finished = isFinished(job.status);
  // Stops by itself once the job is finished: skip closes the subscription.
  useSubscription(JobsRowUpdated, { id: job.id }, (d) => onUpdate(d.pushJobUpdated), { skip: finished });
  const c = job.counts;
  // Counts are exclusive states; the columns say what reached at least
  // that state, as the report does.
  const arrived = c.arrived + c.opened + c.ignored;
  return (
    <tr data-job={job.id} data-status={job.status}>
      <td>
        <Link to={`/apps/${appID}/jobs/${job.id}`}>{jobTitle(job)}</Link>
        {job.recurrence && <div className="muted small">{t("list.recurring", { cron: job.recurrence.cron })}</div>}
        {job.status === "SCHEDULED" && job.scheduleAt && <div className="muted small">{t("list.due", { when: when(job.scheduleAt) })}</div>}
      </td>
      <td>{kindName(job.kind)}</td>
      <td>
        <Badge value={job.status} />
        {!finished && job.status !== "SCHEDULED" && <JobProgress counts={c} />}
      </td>
      <td className="nowrap">{when(job.createdAt)}</td>
      <td>{audience(job)}</td>
      <td className="num">{count(c.sent + arrived)}</td>
      <td className="num">{count(arrived)}</td>
      <td className="num">{count(c.opened)}</td>
      <td className="num">{count(c.failed)}</td>
    </tr>
  );
}
