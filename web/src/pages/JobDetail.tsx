import { Fragment, useEffect, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { GraphQLError } from "../api";
import { graphql } from "../gql";
import type { JobDetailQuery, JobDetailUpdatedSubscription } from "../gql/graphql";
import { useMutation, useQuery, useSubscription } from "../hooks";
import { channelName, count, when } from "../lib/format";
import { canCancel, canRevoke, isFinished, jobTitle, kindName, overlay, perItemNote, platformName, reportRows, schedule, type StatCounts, ttl } from "../lib/jobs";
import { useCan } from "../session";
import { Badge, Confirm, Empty, Loading, PageHeader, Problem } from "../ui";
import { Deliveries } from "./JobDeliveries";
import { ReportTable } from "./JobReport";
import { Occurrences } from "./JobOccurrences";
import { JobAudience } from "./JobAudience";
import { JobProgress } from "./JobProgress";
import { JobTimeline } from "./JobTimeline";
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
        target {
          deviceIDs
          userIDs
        }
        audience {
          platforms
          appVersions
          tags
          groups
          bound
          activeWithinSeconds
        }
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
          classification
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
  const { t } = useTranslation("jobs");
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
        <PageHeader title={t("detail.title")} />
        <Empty>
          <Trans t={t} i18nKey="detail.missing" components={{ a: <Link to={`/apps/${appID}/jobs`} /> }} />
        </Empty>
      </>
    );
  }
  const job: Job = overlay(node, live?.id === node.id ? live : undefined);
  return <Detail appID={appID} job={job} liveError={liveError} onChange={setLive} />;
}

function Detail({ appID, job, liveError, onChange }: { appID: string; job: Job; liveError: unknown; onChange: (u: Update) => void }) {
  const { t } = useTranslation("jobs");
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
  const byPlatform = reportNode && reportRows(reportNode.byPlatform, (p) => (p.platform ? platformName(p.platform) : null));
  const byChannel = reportNode && reportRows(reportNode.byChannel, (p) => (p.channel ? channelName(p.channel) : t("report.noChannel")));
  return (
    <>
      <p className="small">
        <Link to={`/apps/${appID}/jobs`}>{t("detail.back")}</Link>
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
            {t("detail.cancel")}
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
            {t("detail.revoke")}
          </button>
        )}
      </PageHeader>
      {asking === "cancel" && (
        <Confirm
          title={t("detail.cancelConfirm.title")}
          confirm={t("detail.cancelConfirm.confirm")}
          dismiss={t("detail.cancelConfirm.dismiss")}
          danger
          busy={cancelling.running}
          onConfirm={() => act("cancel")}
          onCancel={() => setAsking(null)}
        >
          <p>{t(job.recurrence ? "detail.cancelConfirm.schedule" : "detail.cancelConfirm.once")}</p>
        </Confirm>
      )}
      {asking === "revoke" && (
        <Confirm
          title={t("detail.revokeConfirm.title")}
          confirm={t("detail.revokeConfirm.confirm")}
          danger
          busy={revoking.running}
          onConfirm={() => act("revoke")}
          onCancel={() => setAsking(null)}
        >
          <p>{t("detail.revokeConfirm.body")}</p>
        </Confirm>
      )}
      <Problem error={actionError} />
      {liveError ? <Problem error={liveError} /> : null}

      {job.recurrence ? (
        <p className="muted" role="note">
          {t("detail.scheduleNote")}
        </p>
      ) : (
        <section aria-label={t("progress.label")}>
          {unfinished && <JobProgress counts={c} />}
          <h2 className="job-counts-title">{t("detail.funnel.title")}</h2>
          <p className="muted small">{t("detail.funnel.hint")}</p>
          <Funnel targeted={c.targeted} revoked={c.revoked} total={byPlatform?.total.counts} />
          <h2 className="job-counts-title">{t("detail.now.title")}</h2>
          <p className="muted small">{t("detail.now.hint")}</p>
          <dl className="numbers job-counts" aria-label={t("detail.now.label")}>
            <div><dt>{t("counts.targeted")}</dt><dd>{count(c.targeted)}</dd></div>
            <div><dt>{t("counts.pending")}</dt><dd>{count(c.pending)}</dd></div>
            <div><dt>{t("counts.sent")}</dt><dd>{count(c.sent)}</dd></div>
            <div><dt>{t("counts.arrived")}</dt><dd>{count(c.arrived)}</dd></div>
            <div><dt>{t("counts.opened")}</dt><dd>{count(c.opened)}</dd></div>
            <div><dt>{t("counts.ignored")}</dt><dd>{count(c.ignored)}</dd></div>
            <div><dt>{t("counts.failed")}</dt><dd>{count(c.failed)}</dd></div>
            <div><dt>{t("counts.expired")}</dt><dd>{count(c.expired)}</dd></div>
            <div><dt>{t("counts.revoked")}</dt><dd>{count(c.revoked)}</dd></div>
          </dl>
        </section>
      )}

      <div className="job-summary">
        <section className="card" aria-label={t("detail.props.title")}>
          <h2>{t("detail.props.title")}</h2>
          <dl className="props">
            <dt>{t("fields.kind")}</dt>
            <dd>{kindName(job.kind)}</dd>
            <dt>{t("fields.status")}</dt>
            <dd data-testid="job-status">
              <Badge value={job.status} />
            </dd>
            <dt>{t("fields.created")}</dt>
            <dd>{when(job.createdAt)}</dd>
            <dt>{t("detail.props.schedule")}</dt>
            <dd>{schedule(job, when)}</dd>
            <dt>{t("detail.props.finished")}</dt>
            <dd>{job.finishedAt ? when(job.finishedAt) : t("detail.props.notYet")}</dd>
            <dt>{t("detail.props.ttl")}</dt>
            <dd>
              {ttl(job.ttlSeconds)}
              {job.expiresAt && <span className="muted small"> · {t("detail.props.expires", { when: when(job.expiresAt) })}</span>}
            </dd>
            <dt>{t("detail.props.msgKey")}</dt>
            <dd>{job.msgKey ? <code>{job.msgKey}</code> : <span className="muted">{t("detail.props.none")}</span>}</dd>
            {job.taskName && (
              <>
                <dt>{t("detail.props.task")}</dt>
                <dd>{job.taskName}</dd>
              </>
            )}
            {job.templateName && (
              <>
                <dt>{t("detail.props.template")}</dt>
                <dd>
                  <Link to={`/apps/${appID}/templates`}>{job.templateName}</Link>
                </dd>
              </>
            )}
            <dt>{t("detail.props.channels")}</dt>
            <dd>{job.channels?.length ? job.channels.map(channelName).join(t("sep.list")) : t("detail.props.anyChannel")}</dd>
            {job.scheduleID && (
              <>
                <dt>{t("detail.props.occurrenceOf")}</dt>
                <dd>
                  <Link to={`/apps/${appID}/jobs/${job.scheduleID}`}>{t("detail.props.itsSchedule")}</Link>
                </dd>
              </>
            )}
            {(job.unknownTargets?.length ?? 0) > 0 && (
              <>
                <dt>{t("detail.props.unknownTargets")}</dt>
                <dd>
                  {job.unknownTargets!.slice(0, 10).map((u) => (
                    <code key={u}>{u} </code>
                  ))}
                  {job.unknownTargets!.length > 10 && <span className="muted"> {t("detail.props.more", { n: job.unknownTargets!.length - 10 })}</span>}
                </dd>
              </>
            )}
            {job.error && (
              <>
                <dt>{t("fields.error")}</dt>
                <dd className="error">{job.error}</dd>
              </>
            )}
            <dt>{t("detail.props.id")}</dt>
            <dd>
              <code>{job.id}</code>
            </dd>
          </dl>
        </section>
        <MessageCard job={job} />
        <section className="card" aria-label={t("audienceCard.title")}>
          <h2>{t("audienceCard.title")}</h2>
          <JobAudience appID={appID} job={job} />
        </section>
      </div>

      {!job.recurrence && job.status !== "SCHEDULED" && <JobTimeline job={{ ...job, appID }} tick={deliveriesTick} />}

      {job.recurrence && <Occurrences appID={appID} scheduleID={job.id} />}

      {!job.recurrence && (
        <section aria-label={t("report.title")}>
          <h2>{t("report.title")}</h2>
          <Problem error={report.error} retry={report.reload} />
          {byPlatform && byChannel ? (
            <div className="report-tables">
              <ReportTable by="platform" file={`push-${job.id}`} {...byPlatform} />
              <ReportTable by="channel" file={`push-${job.id}`} {...byChannel} />
            </div>
          ) : (
            !report.error && <Loading />
          )}
        </section>
      )}

      <Deliveries appID={appID} jobID={job.id} tick={deliveriesTick} forUsers={(job.target?.userIDs.length ?? 0) > 0} />
    </>
  );
}

type MessageField = "title" | "body" | "opens" | "badge" | "sound" | "image" | "collapseKey" | "priority" | "androidChannel" | "category" | "classification";

function MessageCard({ job }: { job: Job }) {
  const { t } = useTranslation("jobs");
  const { t: tc } = useTranslation("common");
  const m = job.message;
  const priority = m.priority && t(`message.priority.${m.priority}` as "message.priority.HIGH", { defaultValue: m.priority.toLowerCase() });
  const rows: [MessageField, string | number | null | undefined][] = [
    ["title", m.title],
    ["body", m.body],
    ["opens", m.action === "OPEN_URI" ? t("message.uri", { uri: m.uri ?? "" }) : m.uri ? m.uri : m.action ? t("message.theApp") : null],
    ["badge", m.badge],
    ["sound", m.sound],
    ["image", m.imageURL],
    ["collapseKey", m.collapseKey],
    ["priority", priority],
    ["androidChannel", m.androidChannelID],
    ["category", m.category],
    ["classification", m.classification && tc(`classification.${m.classification}`)],
  ];
  const shown = rows.filter(([, v]) => v != null && v !== "");
  return (
    <section className="card job-message" aria-label={t("message.title")}>
      <h2>{t("message.title")}</h2>
      {m.silent && <p className="muted small">{t("message.silent")}</p>}
      {job.templateName && !m.title && !m.body && <p className="muted small">{t("message.fromTemplate")}</p>}
      {perItemNote(job.kind, m) && <p className="muted small">{perItemNote(job.kind, m)}</p>}
      <dl className="props">
        {shown.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{t(`message.fields.${k}`)}</dt>
            <dd>{String(v)}</dd>
          </Fragment>
        ))}
        {m.payload && Object.keys(m.payload).length > 0 && (
          <>
            <dt>{t("message.payload")}</dt>
            <dd>
              <pre>{JSON.stringify(m.payload, null, 2)}</pre>
            </dd>
          </>
        )}
      </dl>
      {shown.length === 0 && !m.payload && <p className="muted">{t("message.nothing")}</p>}
    </section>
  );
}

// Funnel is the job's deliveries by how far they got, from the report's
// totals (targeted and revoked, which the report does not count, from the
// job's counts); "–" until the report is read.
function Funnel({ targeted, revoked, total }: { targeted: number; revoked: number; total?: StatCounts }) {
  const { t } = useTranslation("jobs");
  const n = (v: number | undefined) => (v === undefined ? "–" : count(v));
  return (
    <dl className="numbers job-counts" aria-label={t("detail.funnel.title")}>
      <div><dt>{t("counts.targeted")}</dt><dd>{count(targeted)}</dd></div>
      <div title={t("detail.funnel.sentHint")}><dt>{t("counts.sent")}</dt><dd>{n(total?.sent)}</dd></div>
      <div title={t("detail.funnel.arrivedHint")}><dt>{t("counts.arrived")}</dt><dd>{n(total?.arrived)}</dd></div>
      <div><dt>{t("counts.opened")}</dt><dd>{n(total?.opened)}</dd></div>
      <div><dt>{t("counts.ignored")}</dt><dd>{n(total?.ignored)}</dd></div>
      <div><dt>{t("counts.failed")}</dt><dd>{n(total?.failed)}</dd></div>
      <div><dt>{t("counts.expired")}</dt><dd>{n(total?.expired)}</dd></div>
      <div><dt>{t("counts.revoked")}</dt><dd>{count(revoked)}</dd></div>
    </dl>
  );
}
