import { describe, expect, it } from "vitest";
import {
  audience,
  canCancel,
  canRevoke,
  isFinished,
  jobFilter,
  jobTitle,
  jobsWhere,
  oneOf,
  overlay,
  percent,
  progress,
  reportRows,
  schedule,
  ttl,
  JOB_STATUSES,
  type JobCounts, perItemNote } from "./jobs";

const counts = (c: Partial<JobCounts>): JobCounts => ({
  targeted: 0, pending: 0, sent: 0, arrived: 0, opened: 0, ignored: 0, failed: 0, expired: 0, revoked: 0, ...c,
});

describe("progress", () => {
  it("counts every delivery past its first attempt as done", () => {
    const p = progress(counts({ targeted: 10, pending: 4, sent: 2, arrived: 1, opened: 1, failed: 1, revoked: 1 }));
    expect(p).toEqual({ done: 6, total: 10, ratio: 0.6 });
    expect(percent(p.ratio)).toBe("60%");
  });
  it("has no ratio while nothing is targeted", () => {
    expect(progress(counts({}))).toEqual({ done: 0, total: 0, ratio: null });
    expect(percent(null)).toBe("–");
  });
  it("never passes 100% when a snapshot counts more than targeted", () => {
    const p = progress(counts({ targeted: 3, sent: 5 }));
    expect(p.ratio).toBe(1);
    expect(p.total).toBe(5);
    expect(percent(p.ratio)).toBe("100%");
  });
  it("says 100% only when everything is done", () => {
    expect(percent(progress(counts({ targeted: 1000, pending: 1, sent: 999 })).ratio)).toBe("99%");
    expect(percent(progress(counts({ targeted: 2, sent: 2 })).ratio)).toBe("100%");
  });
  it("ignores negative counts", () => {
    expect(progress(counts({ targeted: -1 }))).toEqual({ done: 0, total: 0, ratio: null });
  });
});

describe("status rules", () => {
  it("knows which statuses are final", () => {
    expect(JOB_STATUSES.filter(isFinished)).toEqual(["DONE", "CANCELLED", "REVOKED", "FAILED"]);
  });
  it("revokes what went out, cancels what has not started", () => {
    expect(canRevoke({ status: "DONE" })).toBe(true);
    expect(canRevoke({ status: "SENDING" })).toBe(true);
    expect(canRevoke({ status: "SCHEDULED" })).toBe(false);
    expect(canRevoke({ status: "REVOKED" })).toBe(false);
    expect(canRevoke({ status: "DONE", recurrence: { cron: "0 9 * * *" } })).toBe(false);
    expect(canCancel({ status: "SCHEDULED" })).toBe(true);
    expect(canCancel({ status: "QUEUED" })).toBe(false);
    expect(canCancel({ status: "CANCELLED" })).toBe(false);
  });
});

describe("overlay", () => {
  const job = { id: "j", status: "SENDING", updatedAt: "2030-01-01T00:00:02Z" };
  it("takes a newer or equal live update", () => {
    expect(overlay(job, { status: "DONE", updatedAt: "2030-01-01T00:00:03Z" }).status).toBe("DONE");
    expect(overlay(job, { status: "DONE", updatedAt: "2030-01-01T00:00:02Z" }).status).toBe("DONE");
  });
  it("keeps a job read after the update", () => {
    expect(overlay(job, { status: "QUEUED", updatedAt: "2030-01-01T00:00:01Z" }).status).toBe("SENDING");
    expect(overlay(job, undefined)).toBe(job);
  });
});

describe("filters", () => {
  it("reads only known enum values from the URL", () => {
    expect(jobFilter(new URLSearchParams("status=SCHEDULED&kind=BROADCAST"))).toEqual({ status: "SCHEDULED", kind: "BROADCAST" });
    expect(jobFilter(new URLSearchParams("status=done&kind=nope"))).toEqual({ status: undefined, kind: undefined });
    expect(oneOf(null, ["A"])).toBeUndefined();
  });
  it("builds the where-input without empty keys", () => {
    expect(jobsWhere("app1", {})).toEqual({ appID: "app1" });
    expect(jobsWhere("app1", { status: "DONE" })).toEqual({ appID: "app1", status: "DONE" });
    // The task name hint's promise: a search by task name, or message key.
    expect(jobFilter(new URLSearchParams("q=%20spring-sale%20"))).toEqual({ status: undefined, kind: undefined, q: "spring-sale" });
    expect(jobsWhere("app1", { q: "spring" })).toEqual({
      appID: "app1",
      or: [{ messageContains: "spring" }, { taskNameContainsFold: "spring" }, { msgKeyContainsFold: "spring" }],
    });
  });

  it("filters by the days a push was created on, both included, in the browser's time zone", () => {
    expect(jobFilter(new URLSearchParams("from=2026-12-01&to=2026-12-03"))).toEqual({ status: undefined, kind: undefined, from: "2026-12-01", to: "2026-12-03" });
    expect(jobFilter(new URLSearchParams("from=yesterday&to=2026-13-45"))).toEqual({ status: undefined, kind: undefined });
    const w = jobsWhere("app1", { from: "2026-12-01", to: "2026-12-03" });
    expect(new Date(w.createdAtGTE!).getTime()).toBe(new Date(2026, 11, 1).getTime());
    expect(new Date(w.createdAtLT!).getTime()).toBe(new Date(2026, 11, 4).getTime());
  });
});

describe("descriptions", () => {
  it("names a push by title, template, body or task", () => {
    expect(jobTitle({ message: { title: "Hi", body: "there" }, templateName: "welcome" })).toBe("Hi");
    expect(jobTitle({ message: { title: null, body: "b" }, templateName: "welcome" })).toBe("Template welcome");
    expect(jobTitle({ message: { body: "x".repeat(100) } })).toHaveLength(80);
    expect(jobTitle({ message: { silent: true }, taskName: "" })).toBe("(silent data push)");
    expect(jobTitle({ message: {}, taskName: "nightly" })).toBe("nightly");
  });
  it("summarises the audience", () => {
    expect(audience({ kind: "SIMPLE", status: "DONE", counts: { targeted: 1 } })).toBe("1 device");
    expect(audience({ kind: "SIMPLE", status: "DONE", counts: { targeted: 1200 }, unknownTargets: ["a", "b"] })).toBe("1,200 devices, 2 unknown");
    expect(audience({ kind: "BROADCAST", status: "SENDING", counts: { targeted: 3 } })).toBe("broadcast: 3 devices");
    expect(audience({ kind: "BROADCAST", status: "SCHEDULED", counts: { targeted: 0 } })).toBe("broadcast: resolved when due");
  });
  it("writes TTLs in the largest whole unit", () => {
    expect(ttl(259200)).toBe("3 days");
    expect(ttl(3600)).toBe("1 hour");
    expect(ttl(90)).toBe("90 seconds");
    expect(ttl(120)).toBe("2 minutes");
    expect(ttl(0)).toBe("0 (only devices reachable at once)");
  });
  it("describes schedules", () => {
    const w = (iso: string) => iso.slice(0, 10);
    expect(schedule({}, w)).toBe("at once");
    expect(schedule({ scheduleAt: "2030-01-02T03:04:05Z" }, w)).toBe("once, at 2030-01-02");
    expect(schedule({ scheduleAt: "2030-01-02T09:00:00Z", recurrence: { cron: "0 9 * * *", timeZone: "Europe/Paris", endAt: "2030-02-01T00:00:00Z" } }, w)).toBe(
      'cron "0 9 * * *" in Europe/Paris, until 2030-02-01; next at 2030-01-02',
    );
    // A cancelled schedule keeps its last scheduleAt, but runs no more.
    const recurring = { cron: "0 9 * * *", timeZone: "Europe/Paris" };
    expect(schedule({ status: "CANCELLED", scheduleAt: "2030-01-02T09:00:00Z", recurrence: recurring }, w)).toBe(
      'cron "0 9 * * *" in Europe/Paris; cancelled: no further runs',
    );
    expect(schedule({ status: "CANCELLED", scheduleAt: "2030-01-02T03:04:05Z" }, w)).toBe("was to go at 2030-01-02; cancelled");
  });
});

describe("reportRows", () => {
  const c = (sent: number, arrived: number, opened: number, ignored = 0, failed = 0, expired = 0) => ({ sent, arrived, opened, ignored, failed, expired });
  it("groups, sorts by sent and totals with rates", () => {
    const { rows, total } = reportRows(
      [
        { platform: "IOS", counts: c(10, 8, 2, 1) },
        { platform: "ANDROID", counts: c(20, 10, 5) },
        { platform: "IOS", counts: c(10, 2, 0, 0, 1) },
      ],
      (p) => p.platform,
    );
    expect(rows.map((r) => r.group)).toEqual(["ANDROID", "IOS"]);
    expect(rows[1].counts).toEqual(c(20, 10, 2, 1, 1));
    expect(rows[1].arrivalRate).toBe(0.5);
    expect(rows[1].openRate).toBe(0.2);
    expect(rows[1].ignoreRate).toBe(0.1);
    expect(total.counts).toEqual(c(40, 20, 7, 1, 1));
    expect(total.arrivalRate).toBe(0.5);
  });
  it("has no rates without a denominator and names a missing group", () => {
    const { rows, total } = reportRows([{ channel: null, counts: c(0, 0, 0, 0, 0, 2) }], (p) => p.channel);
    expect(rows[0].group).toBe("unknown");
    expect(rows[0].arrivalRate).toBeNull();
    expect(rows[0].openRate).toBeNull();
    expect(total.counts.expired).toBe(2);
  });
  it("totals nothing when the report is empty", () => {
    const { rows, total } = reportRows([], () => "x");
    expect(rows).toEqual([]);
    expect(total.counts.sent).toBe(0);
    expect(total.arrivalRate).toBeNull();
  });
});

describe("perItemNote", () => {
  it("says a multiple push's placeholders are filled per item", () => {
    expect(perItemNote("MULTIPLE", { title: "Order {{order_id}}", body: "{{ order_id }} ships {{day}}" })).toBe(
      "The template as written: each target gets it with its own item's values for {{order_id}}, {{day}}.",
    );
    expect(perItemNote("MULTIPLE", { title: "Hello", body: null })).toBeNull();
    expect(perItemNote("SIMPLE", { title: "{{x}}" })).toBeNull();
  });
});
