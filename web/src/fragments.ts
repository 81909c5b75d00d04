// Selection sets that several operations share, so each shape is written
// once and the code reading it (lib/jobs, the tables, the composer) gets
// the same fields wherever the data came from. Operations spread them by
// name (...JobCountsFields) without importing anything: codegen appends
// the fragment's text to every operation that spreads it (documentMode
// string), and with fragment masking off its fields sit right on the
// result types. Types for code that takes one of these shapes are
// generated too (JobCountsFieldsFragment in gql/graphql).
import { graphql } from "./gql";

// PushJob.counts as lib/jobs' JobCounts reads it: each delivery in exactly
// one state.
export const JobCountsFields = graphql(`
  fragment JobCountsFields on PushCounts {
    targeted
    pending
    sent
    arrived
    opened
    ignored
    failed
    expired
    revoked
  }
`);

// What changes on a job while it goes out: what the live subscriptions
// and the revoke and cancel answers lay over the job as loaded.
export const JobUpdateFields = graphql(`
  fragment JobUpdateFields on PushJob {
    id
    status
    updatedAt
    scheduleAt
    finishedAt
    error
    counts {
      ...JobCountsFields
    }
  }
`);

// Every count of StatCounts, for the app's funnel and the analytics
// tables, which show them all.
export const AllCountsFields = graphql(`
  fragment AllCountsFields on StatCounts {
    targeted
    sent
    arrived
    opened
    ignored
    failed
    expired
    revoked
  }
`);

// StatCounts as the report tables and the day's numbers show them
// (lib/jobs' StatCounts).
export const ReportCountsFields = graphql(`
  fragment ReportCountsFields on StatCounts {
    sent
    arrived
    opened
    ignored
    failed
    expired
  }
`);

// StatCounts as the live chart draws them (lib/series' metrics).
export const LiveCountsFields = graphql(`
  fragment LiveCountsFields on StatCounts {
    sent
    arrived
    opened
    failed
  }
`);

// A delivery's state and its times, as the deliveries tables of a push
// and of a device show it.
export const DeliveryStateFields = graphql(`
  fragment DeliveryStateFields on Delivery {
    id
    channel
    status
    attempts
    lastError
    createdAt
    sentAt
    arrivedAt
    openedAt
  }
`);

// A group as its edit form and its members' page show it; appID lets them
// refuse a group of another app (its ID comes from the URL).
export const GroupFields = graphql(`
  fragment GroupFields on Group {
    id
    appID
    name
    description
  }
`);

// A template's content: what the editor loads and the composer renders
// and fills.
export const TemplateContentFields = graphql(`
  fragment TemplateContentFields on Template {
    id
    name
    title
    body
    variables
    defaults
  }
`);
