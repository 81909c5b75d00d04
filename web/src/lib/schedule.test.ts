import { describe, expect, it } from "vitest";
import { describeCron } from "./cron";
import {
  buildCron,
  clockText,
  firstDayOf,
  parseClock,
  parseCron,
  reshape,
  toggleDay,
  weekdayList,
  weekdayName,
  weekOrder,
  zoneGroups,
  zoneOffset,
  type Shape,
} from "./schedule";

describe("simple schedules as cron", () => {
  it.each<[Shape, string]>([
    [{ kind: "daily", hour: 9, minute: 0 }, "0 9 * * *"],
    [{ kind: "daily", hour: 0, minute: 5 }, "5 0 * * *"],
    [{ kind: "weekly", hour: 8, minute: 30, days: [1, 3, 5] }, "30 8 * * 1,3,5"],
    [{ kind: "weekly", hour: 9, minute: 0, days: [1, 2, 3, 4, 5] }, "0 9 * * 1-5"],
    [{ kind: "weekly", hour: 9, minute: 0, days: [0, 6] }, "0 9 * * 0,6"],
    [{ kind: "weekly", hour: 9, minute: 0, days: [0, 1, 2, 3, 4, 5, 6] }, "0 9 * * 0-6"],
    [{ kind: "monthly", hour: 23, minute: 59, day: 31 }, "59 23 31 * *"],
  ])("%j is %s, and reads back the same", (shape, cron) => {
    expect(buildCron(shape)).toBe(cron);
    expect(parseCron(cron)).toEqual(shape);
  });

  it.each<[string, Shape]>([
    ["  0   9 * * *  ", { kind: "daily", hour: 9, minute: 0 }],
    ["00 09 * * *", { kind: "daily", hour: 9, minute: 0 }],
    ["0 9 * * mon-fri", { kind: "weekly", hour: 9, minute: 0, days: [1, 2, 3, 4, 5] }],
    ["0 9 * * SUN,sat", { kind: "weekly", hour: 9, minute: 0, days: [0, 6] }],
    ["0 9 * * 5,1,1-2", { kind: "weekly", hour: 9, minute: 0, days: [1, 2, 5] }],
    ["30 8 1 * *", { kind: "monthly", hour: 8, minute: 30, day: 1 }],
  ])("%j reads as a simple shape", (cron, shape) => {
    expect(parseCron(cron)).toEqual(shape);
  });

  it.each([
    "",
    "0 9 * *",
    "0 9 * * * *",
    "*/15 * * * *",
    "0 9,17 * * *",
    "0 9-17 * * *",
    "0 * * * *",
    "60 9 * * *",
    "0 24 * * *",
    "0 9 * * 7", // pushd refuses 7 for Sunday
    "0 9 * * 1-5/2",
    "0 9 * * 5-1",
    "0 9 * * */2",
    "0 9 L * *", // no "last day" in pushd's cron
    "0 9 0 * *",
    "0 9 32 * *",
    "0 9 1,15 * *",
    "0 9 1 * 1", // day of month or weekday: not one simple shape
    "0 9 * 1 *",
    "@daily",
  ])("%j stays raw cron", (cron) => {
    expect(parseCron(cron)).toBeUndefined();
  });

  it.each<[string, Shape["kind"], Shape]>([
    ["30 8 * * 1,3,5", "weekly", { kind: "weekly", hour: 8, minute: 30, days: [1, 3, 5] }],
    ["30 8 * * 1,3,5", "daily", { kind: "daily", hour: 8, minute: 30 }],
    ["30 8 * * 1,3,5", "monthly", { kind: "monthly", hour: 8, minute: 30, day: 1 }],
    ["15 7 * 1 *", "weekly", { kind: "weekly", hour: 7, minute: 15, days: [1] }],
    ["*/5 * * * *", "daily", { kind: "daily", hour: 9, minute: 0 }],
    ["", "monthly", { kind: "monthly", hour: 9, minute: 0, day: 1 }],
  ])("%j picked as %s keeps its time", (cron, kind, shape) => {
    expect(reshape(cron, kind)).toEqual(shape);
  });

  it.each([
    [[1], "1"],
    [[1, 2], "1,2"],
    [[0, 1, 2, 4, 5, 6], "0-2,4-6"],
    [[3, 1, 3], "1,3"],
  ])("weekdays %j are %s", (days, cron) => {
    expect(weekdayList(days)).toBe(cron);
  });
});

// A property: whatever simple shape is built, it reads back as itself,
// and pushd's words for it are not an error.
describe("build then parse gives the same shape", () => {
  // mulberry32: a seeded generator, so a failure is the same every run.
  function random(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const rnd = random(20240601);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  function shape(): Shape {
    const clock = { hour: int(0, 23), minute: int(0, 59) };
    const kind = (["daily", "weekly", "monthly"] as const)[int(0, 2)];
    if (kind === "daily") return { kind, ...clock };
    if (kind === "monthly") return { kind, ...clock, day: int(1, 31) };
    const days = [0, 1, 2, 3, 4, 5, 6].filter(() => rnd() < 0.5);
    return { kind, ...clock, days: days.length ? days : [int(0, 6)] };
  }

  it("for 2000 random shapes", () => {
    for (let i = 0; i < 2000; i++) {
      const s = shape();
      const cron = buildCron(s);
      expect(parseCron(cron), cron).toEqual(s);
      expect(describeCron(cron).error, cron).toBeUndefined();
    }
  });
});

describe("times and weekdays", () => {
  it.each([
    ["08:30", { hour: 8, minute: 30 }],
    ["8:05", { hour: 8, minute: 5 }],
    ["23:59:00", { hour: 23, minute: 59 }],
    ["00:00", { hour: 0, minute: 0 }],
    ["24:00", undefined],
    ["12:60", undefined],
    ["", undefined],
    ["noon", undefined],
  ])("%j is %j", (text, clock) => {
    expect(parseClock(text)).toEqual(clock);
  });

  it("writes a time as a time input holds it", () => {
    expect(clockText({ hour: 8, minute: 5 })).toBe("08:05");
  });

  it.each([
    [[1], 3, [1, 3]],
    [[1, 3], 1, [3]],
    [[3], 3, [3]], // the last day stays
    [[5, 1], 0, [0, 1, 5]],
  ])("%j toggling %i is %j", (days, day, want) => {
    expect(toggleDay(days, day)).toEqual(want);
  });

  it.each([
    [1, [1, 2, 3, 4, 5, 6, 0]],
    [7, [0, 1, 2, 3, 4, 5, 6]],
    [6, [6, 0, 1, 2, 3, 4, 5]],
  ])("a week starting on ISO day %i is %j", (first, order) => {
    expect(weekOrder(first)).toEqual(order);
  });

  it.each([
    ["zh-CN", 1],
    ["en-GB", 1],
    ["en-US", 7],
  ])("the week starts in %s on ISO day %i", (locale, day) => {
    expect(firstDayOf(locale)).toBe(day);
  });

  it.each([
    [0, "en", "Sun"],
    [1, "en", "Mon"],
    [6, "en", "Sat"],
    [1, "zh-CN", "周一"],
    [0, "zh-CN", "周日"],
  ])("weekday %i in %s is %s", (day, locale, name) => {
    expect(weekdayName(day, locale)).toBe(name);
  });
});

describe("time zones with their offsets", () => {
  const winter = new Date("2025-01-15T12:00:00Z");
  const summer = new Date("2025-07-15T12:00:00Z");

  it.each([
    ["Asia/Shanghai", winter, "+08:00"],
    ["Asia/Kolkata", winter, "+05:30"],
    ["UTC", winter, "+00:00"],
    ["Europe/London", winter, "+00:00"],
    ["Europe/London", summer, "+01:00"],
    ["America/New_York", winter, "-05:00"],
    ["America/New_York", summer, "-04:00"],
    ["America/St_Johns", summer, "-02:30"],
    ["Mars/Olympus", winter, undefined],
  ])("%s at %s is %s", (zone, at, offset) => {
    expect(zoneOffset(zone, at)).toBe(offset);
  });

  it("suggests first, then lists every zone by region, by name", () => {
    const zones = ["Europe/Paris", "Asia/Tokyo", "America/New_York", "Asia/Shanghai", "Etc/GMT+3", "Mars/Olympus"];
    expect(zoneGroups(zones, ["Europe/Paris", "Asia/Shanghai", "UTC", "Asia/Shanghai"], winter)).toEqual([
      {
        region: "suggested",
        zones: [
          { zone: "Europe/Paris", offset: "+01:00" },
          { zone: "Asia/Shanghai", offset: "+08:00" },
          { zone: "UTC", offset: "+00:00" },
        ],
      },
      { region: "America", zones: [{ zone: "America/New_York", offset: "-05:00" }] },
      {
        region: "Asia",
        zones: [
          { zone: "Asia/Shanghai", offset: "+08:00" },
          { zone: "Asia/Tokyo", offset: "+09:00" },
        ],
      },
      { region: "Europe", zones: [{ zone: "Europe/Paris", offset: "+01:00" }] },
      { region: "other", zones: [{ zone: "Etc/GMT+3", offset: "-03:00" }] },
    ]);
  });

  it("lists every zone the runtime knows once in its region", () => {
    const all = Intl.supportedValuesOf("timeZone");
    const groups = zoneGroups(all, [], winter);
    expect(groups.flatMap((g) => g.zones).length).toBe(new Set(all).size);
  });
});
