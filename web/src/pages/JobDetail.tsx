import { Fragment, useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { GraphQLError } from "../api";
import { graphql } from "../gql";
import type { JobDetailQuery, JobDetailUpdatedSubscription } from "../gql/graphql";
import { useMutation, useQuery, useSubscription } from "../hooks";
import { channelName, count, when } from "../lib/format";
import { canCancel, canRevoke, isFinished, jobTitle, overlay, perItemNote, reportRows, schedule, type StatCounts, ttl } from "../lib/jobs";
import { useCan } from "../session";
import { Badge, Confirm, Empty, Loading, PageHeader, Problem } from "../ui";
import { Deliveries } from "./JobDeliveries";
import { ReportTable } from "./JobReport";
import { Occurrences } from "./JobOccurrences";
import { JobProgress } from "./JobProgress";
import "./jobs.css";

const JobDetailQueryDoc = graphql(`
  query JobDetail($id: ID!) {
    node(id: $id) {
      ... on PushJob {
        ...JobUpdateFields
        appID
        kind
        createdAt
        expiresAt
        ttlSeconds
        msgKey
        taskName
        templateName
        unknownTargets
        channels
        scheduleID
        recurrence {
          cron
          timeZone
          startAt
          endAt
        }
        message {
          title
          body
          payload
          uri
          action
          silent
          badge
          sound
          imageURL
          collapseKey
          priority
          androidChannelID
          category
        }
      }
    }
  }
`);

const JobDetailUpdated = graphql(`
  subscription JobDetailUpdated($id: ID!) {
    pushJobUpdated(id: $id) {
      ...JobUpdateFields
    }
  }
`);

const JobDetailRevoke = graphql(`
  mutation JobDetailRevoke($id: ID!) {
    revokePush(id: $id) {
      ...JobUpdateFields
    }
  }
`);

const JobDetailCancel = graphql(`
  mutation JobDetailCancel($id: ID!) {
    cancelPush(id: $id) {
      ...JobUpdateFields
    }
  }
`);

const JobDetailReport = graphql(`
  query JobDetailReport($id: ID!) {
    node(id: $id) {
      ... on PushJob {
        id
        byPlatform: report(groupBy: [PLATFORM]) {
          platform
          counts {
            ...ReportCountsFields
          }
        }
        byChannel: report(groupBy: [CHANNEL]) {
          channel
          counts {
            ...ReportCountsFields
          }
        }
      }
    }
  }
`);

type Job = Extract<NonNullable<JobDetailQuery["node"]>, { __typename?: "PushJob"; kind: unknown }>;
type Update = JobDetailUpdatedSubscription["pushJobUpdated"];

export default function JobDetail() {
  const { appID = "", jobID = "" } = useParams();
  const { data, error, loading, reload } = useQuery(JobDetailQueryDoc, { id: jobID });
  const [live, setLive] = useState<Update>();
  const liveError = useSubscription(JobDetailUpdated, { id: jobID }, (d) => setLive(d.pushJobUpdated));

  const node = data?.node && "kind" in data.node ? (data.node as Job) : undefined;
  // A malformed ID or a job of another app (a pasted link) is treated as
  // not there.
  const missing = error instanceof GraphQLError && (error.code === "NOT_FOUND" || error.code === "INVALID_ARGUMENT");
  if (error && !data && !missing) return <Problem error={error} retry={reload} />;
  if (loading && !data) return <Loading />;
  if (!node || node.appID !== appID) {
    return (
      <>
        <PageHeader title="Push" />
        <Empty>
          This push does not exist, or you cannot see it. <Link to={`/apps/${appID}/jobs`}>All pushes</Link>
        </Empty>
      </>
    );
  }
  const job: Job = overlay(node, live?.id === node.id ? live : undefined);
  return <Detail appID={appID} job={job} liveError={liveError} onChange={setLive} />;
}

function Detail({ appID, job, liveError, onChange }: { appID: string; job: Job; liveError: unknown; onChange: (u: Update) => void }) {
  const can = useCan(appID);
  const [asking, setAsking] = useState<"revoke" | "cancel" | null>(null);
  const [revoke, revoking, clearRevoke] = useMutation(JobDetailRevoke);
  const [cancel, cancelling, clearCancel] = useMutation(JobDetailCancel);

  // The report and the deliveries follow the job: they are read again when
  // the live counts or the status change, at most every 5 s (a sending job
  // changes every second, and each read counts over all its deliveries);
  // the last change is always read.
  const version = JSON.stringify([job.status, job.counts]);
  const report = useQuery(JobDetailReport, { id: job.id });
  const reloadReport = report.reload;
  const first = useRef(version);
  const lastRead = useRef(0);
  const [deliveriesTick, setDeliveriesTick] = useState(0);
  useEffect(() => {
    if (first.current === version) return;
    const timer = setTimeout(
      () => {
        first.current = version;
        lastRead.current = Date.now();
        reloadReport();
        setDeliveriesTick((t) => t + 1);
      },
      Math.max(0, lastRead.current + 5000 - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [version, reloadReport]);

  async function act(kind: "revoke" | "cancel") {
    const r = kind === "revoke" ? (await revoke({ id: job.id }))?.revokePush : (await cancel({ id: job.id }))?.cancelPush;
    setAsking(null);
    if (r) onChange(r);
  }

  const actionError = revoking.error ?? cancelling.error;
  const unfinished = !isFinished(job.status) && job.status !== "SCHEDULED";
  const c = job.counts;
  // The funnel and the report's tables are one computation, so their
  // numbers cannot disagree.
  const reportNode = report.data?.node && "byPlatform" in report.data.node ? report.data.node : undefined;
  const byPlatform = reportNode && reportRows(reportNode.byPlatform, (p) => p.platform?.toLowerCase());
  const byChannel = reportNode && reportRows(reportNode.byChannel, (p) => (p.channel ? channelName(p.channel) : "none yet"));
  return (
    <>
      <p className="small">
        <Link to={`/apps/${appID}/jobs`}>← All pushes</Link>
      </p>
      <PageHeader
        title={
          <>
            {jobTitle(job)} <Badge value={job.status} />
          </>
        }
      >
        {can.send && canCancel(job) && (
          <button
            type="button"
            className="danger"
            onClick={() => {
              clearCancel();
              setAsking("cancel");
            }}
          >
            Cancel push
          </button>
        )}
        {can.send && canRevoke(job) && (
          <button
            type="button"
            className="danger"
            onClick={() => {
              clearRevoke();
              setAsking("revoke");
            }}
          >
            Revoke
          </button>
        )}
      </PageHeader>
      {asking === "cancel" && (
        <Confirm title="Cancel this push?" confirm="Cancel push" dismiss="Keep the push" danger busy={cancelling.running} onConfirm={() => act("cancel")} onCancel={() => setAsking(null)}>
          <p>{job.recurrence ? "The schedule stops: no further occurrences are sent." : "It will not be sent."} This cannot be undone.</p>
        </Confirm>
      )}
      {asking === "revoke" && (
        <Confirm title="Revoke this push?" confirm="Revoke push" danger busy={revoking.running} onConfirm={() => act("revoke")} onCancel={() => setAsking(null)}>
          <p>
            Deliveries not sent yet are withdrawn, and messages on the WebSocket channel are taken back from devices. Messages a vendor (APNs, FCM, …)
            already accepted cannot be recalled.
          </p>
        </Confirm>
      )}
      <Problem error={actionError} />
      {liveError ? <Problem error={liveError} /> : null}

      {job.recurrence ? (
        <p className="muted" role="note">
          A schedule sends nothing itself: each run is a push of its own, with its own numbers. The runs are listed under Occurrences below.
        </p>
      ) : (
        <section aria-label="Progress">
          {unfinished && <JobProgress counts={c} />}
          <h2 className="job-counts-title">Funnel</h2>
          <p className="muted small">
            How far the deliveries got: a delivery that was opened counts as sent, arrived and opened. The same numbers as the report&apos;s totals.
          </p>
          <Funnel targeted={c.targeted} revoked={c.revoked} total={byPlatform?.total.counts} />
          <h2 className="job-counts-title">Now</h2>
          <p className="muted small">Where each delivery is at this moment: each counted once, in its current state.</p>
          <dl className="numbers job-counts" aria-label="Deliveries by state">
            <div><dt>Targeted</dt><dd>{count(c.targeted)}</dd></div>
            <div><dt>Pending</dt><dd>{count(c.pending)}</dd></div>
            <div><dt>Sent</dt><dd>{count(c.sent)}</dd></div>
            <div><dt>Arrived</dt><dd>{count(c.arrived)}</dd></div>
            <div><dt>Opened</dt><dd>{count(c.opened)}</dd></div>
            <div><dt>Ignored</dt><dd>{count(c.ignored)}</dd></div>
            <div><dt>Failed</dt><dd>{count(c.failed)}</dd></div>
            <div><dt>Expired</dt><dd>{count(c.expired)}</dd></div>
            <div><dt>Revoked</dt><dd>{count(c.revoked)}</dd></div>
          </dl>
        </section>
      )}

      <div className="job-summary">
        <section className="card" aria-label="Details">
          <h2>Details</h2>
          <dl className="props">
            <dt>Kind</dt>
            <dd>{job.kind.toLowerCase()}</dd>
            <dt>Status</dt>
            <dd data-testid="job-status">
              <Badge value={job.status} />
            </dd>
            <dt>Created</dt>
            <dd>{when(job.createdAt)}</dd>
            <dt>Schedule</dt>
            <dd>{schedule(job, when)}</dd>
            <dt>Finished</dt>
            <dd>{job.finishedAt ? when(job.finishedAt) : "not yet"}</dd>
            <dt>TTL</dt>
            <dd>
              {ttl(job.ttlSeconds)}
              {job.expiresAt && <span className="muted small"> · undelivered expire {when(job.expiresAt)}</span>}
            </dd>
            <dt>Message key</dt>
            <dd>{job.msgKey ? <code>{job.msgKey}</code> : <span className="muted">none</span>}</dd>
            {job.taskName && (
              <>
                <dt>Task</dt>
                <dd>{job.taskName}</dd>
              </>
            )}
            {job.templateName && (
              <>
                <dt>Template</dt>
                <dd>
                  <Link to={`/apps/${appID}/templates`}>{job.templateName}</Link>
                </dd>
              </>
            )}
            <dt>Channels</dt>
            <dd>{job.channels?.length ? job.channels.map(channelName).join(", ") : "any"}</dd>
            {job.scheduleID && (
              <>
                <dt>Occurrence of</dt>
                <dd>
                  <Link to={`/apps/${appID}/jobs/${job.scheduleID}`}>its schedule</Link>
                </dd>
              </>
            )}
            {(job.unknownTargets?.length ?? 0) > 0 && (
              <>
                <dt>Unknown targets</dt>
                <dd>
                  {job.unknownTargets!.slice(0, 10).map((t) => (
                    <code key={t}>{t} </code>
                  ))}
                  {job.unknownTargets!.length > 10 && <span className="muted"> and {job.unknownTargets!.length - 10} more</span>}
                </dd>
              </>
            )}
            {job.error && (
              <>
                <dt>Error</dt>
                <dd className="error">{job.error}</dd>
              </>
            )}
            <dt>ID</dt>
            <dd>
              <code>{job.id}</code>
            </dd>
          </dl>
        </section>
        <MessageCard job={job} />
      </div>

      {job.recurrence && <Occurrences appID={appID} scheduleID={job.id} />}

      {!job.recurrence && (
        <section aria-label="Report">
          <h2>Report</h2>
          <Problem error={report.error} retry={report.reload} />
          {byPlatform && byChannel ? (
            <div className="report-tables">
              <ReportTable title="By platform" {...byPlatform} />
              <ReportTable title="By channel" {...byChannel} />
            </div>
          ) : (
            !report.error && <Loading />
          )}
        </section>
      )}

      <Deliveries appID={appID} jobID={job.id} tick={deliveriesTick} />
    </>
  );
}

function MessageCard({ job }: { job: Job }) {
  const m = job.message;
  const rows: [string, string | number | null | undefined][] = [
    ["Title", m.title],
    ["Body", m.body],
    ["Opens", m.action === "OPEN_URI" ? `URI ${m.uri ?? ""}` : m.uri ? m.uri : m.action ? "the app" : null],
    ["Badge", m.badge],
    ["Sound", m.sound],
    ["Image", m.imageURL],
    ["Collapse key", m.collapseKey],
    ["Priority", m.priority?.toLowerCase()],
    ["Android channel", m.androidChannelID],
    ["Category", m.category],
  ];
  const shown = rows.filter(([, v]) => v != null && v !== "");
  return (
    <section className="card job-message" aria-label="Message">
      <h2>Message</h2>
      {m.silent && <p className="muted small">Silent: a data-only push, no notification is shown.</p>}
      {job.templateName && !m.title && !m.body && <p className="muted small">Title and body come from the template.</p>}
      {perItemNote(job.kind, m) && <p className="muted small">{perItemNote(job.kind, m)}</p>}
      <dl className="props">
        {shown.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{String(v)}</dd>
          </Fragment>
        ))}
        {m.payload && Object.keys(m.payload).length > 0 && (
          <>
            <dt>Payload</dt>
            <dd>
              <pre>{JSON.stringify(m.payload, null, 2)}</pre>
            </dd>
          </>
        )}
      </dl>
      {shown.length === 0 && !m.payload && <p className="muted">Nothing beyond the template.</p>}
    </section>
  );
}

// Funnel is the job's deliveries by how far they got, from the report's
// totals (targeted and revoked, which the report does not count, from the
// job's counts); "–" until the report is read.
function Funnel({ targeted, revoked, total }: { targeted: number; revoked: number; total?: StatCounts }) {
  const n = (v: number | undefined) => (v === undefined ? "–" : count(v));
  return (
    <dl className="numbers job-counts" aria-label="Funnel">
      <div><dt>Targeted</dt><dd>{count(targeted)}</dd></div>
      <div title="went out: accepted by a vendor or written to the device's socket"><dt>Sent</dt><dd>{n(total?.sent)}</dd></div>
      <div title="the device reported it (opened and ignored included)"><dt>Arrived</dt><dd>{n(total?.arrived)}</dd></div>
      <div><dt>Opened</dt><dd>{n(total?.opened)}</dd></div>
      <div><dt>Ignored</dt><dd>{n(total?.ignored)}</dd></div>
      <div><dt>Failed</dt><dd>{n(total?.failed)}</dd></div>
      <div><dt>Expired</dt><dd>{n(total?.expired)}</dd></div>
      <div><dt>Revoked</dt><dd>{count(revoked)}</dd></div>
    </dl>
  );
}
