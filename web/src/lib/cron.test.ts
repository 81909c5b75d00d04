import { describe, expect, it } from "vitest";
import { describeCron } from "./cron";

describe("cron in words", () => {
  it.each([
    ["0 9 * * 1-5", "At 09:00, on Monday to Friday"],
    ["*/15 * * * *", "Every 15 minutes, every day"],
    ["* * * * *", "Every minute, every day"],
    ["30 8 1 * *", "At 08:30, on day 1 of the month"],
    ["0 9,17 * * *", "At 09:00, 17:00, every day"],
    ["0 */2 * * *", "At minute 0 of every 2 hours, every day"],
    ["5 * * * *", "At minute 5 of every hour, every day"],
    ["0 9-17 * * *", "At minute 0 of hour 9 to 17, every day"],
    ["0 12 * jan,jul sun", "At 12:00, on Sunday, in January, July"],
    ["0 0 13 * 5", "At 00:00, on day 13 of the month or on Friday"],
  ])("%s", (cron, words) => {
    expect(describeCron(cron)).toEqual({ words });
  });

  it.each([
    ["", /five fields/],
    ["@daily", /not @descriptors/],
    ["0 9 * *", /has 4/],
    ["60 * * * *", /minute: 60 is outside 0–59/],
    ["0 9 * * 7", /weekday: 7/],
    ["0 9 * * x", /not a number/],
    ["*/0 * * * *", /step/],
    ["0 17-9 * * *", /backwards/],
  ])("%j is refused", (cron, re) => {
    expect(describeCron(cron).error).toMatch(re);
  });
});
