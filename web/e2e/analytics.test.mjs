// The analytics page in a real browser: the numbers of a range grouped by
// platform match what pushd counted, the view lives in the URL, the CSV
// download holds the table (with a BOM for Excel), two pushes compare
// side by side, and a push's report downloads too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { api, consoleSuite, createApp, login, newPage, registerDevice, shot } from "./harness.mjs";

const suite = consoleSuite();
const push = `mutation($input: PushSimpleInput!) { pushSimple(input: $input) { id } }`;

// counted waits until pushd's statistics hold n targeted deliveries for
// the app: they are written by the count refresh after the pushes, and
// the page reads its range once (it has a Refresh button, not a feed).
async function counted(page, appID, n) {
  const query = `query($input: StatsInput!) { stats(input: $input) { counts { targeted } } }`;
  const input = { appID, from: new Date(Date.now() - 86400e3).toISOString(), to: new Date(Date.now() + 3600e3).toISOString() };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const got = (await api(page, query, { input })).stats.reduce((sum, p) => sum + p.counts.targeted, 0);
    if (got >= n) return;
    assert.ok(Date.now() < deadline, `pushd counted ${got} of ${n} targeted deliveries within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function downloaded(page, click) {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  return readFileSync(await file.path(), "utf8");
}

test("analytics: a range by platform, CSV, and pushes compared", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "analytics");
  const ios = await registerDevice(base, app.appKey, { platform: "IOS" });
  const android = await registerDevice(base, app.appKey, { platform: "ANDROID" });
  const a = (await api(page, push, { input: { appID: app.id, target: { deviceIDs: [ios.deviceID, android.deviceID] }, message: { title: "Both phones" }, options: { taskName: "both" } } })).pushSimple;
  const b = (await api(page, push, { input: { appID: app.id, target: { deviceIDs: [android.deviceID] }, message: { title: "Android only" }, options: { taskName: "android" } } })).pushSimple;
  await counted(page, app.id, 3);

  await page.goto(`${base}/apps/${app.id}/analytics`);
  await page.getByRole("heading", { name: "Analytics" }).waitFor();
  await page.getByRole("button", { name: "7 days" }).click();
  await page.getByLabel("Group by").selectOption("platform");
  await page.getByLabel("Metric").selectOption("targeted");
  await page.waitForURL(/by=platform/);
  const table = page.getByRole("table", { name: "By platform" });
  await table.getByRole("row", { name: /^iOS 1 / }).waitFor();
  await table.getByRole("row", { name: /^Android 2 / }).waitFor();
  await table.getByRole("row", { name: /^Total 3 / }).waitFor();
  const totals = page.getByRole("region", { name: "Totals" });
  await totals.getByText("Pushes").waitFor();
  assert.match(await totals.innerText(), /Pushes\s+2/);

  // The view survives a reload: it is the URL.
  await page.reload();
  await table.getByRole("row", { name: /^Android 2 / }).waitFor();
  await shot(page, "analytics");

  const file = await downloaded(page, () => page.getByRole("region", { name: "By platform" }).getByRole("button", { name: "Download CSV" }).click());
  assert.ok(file.startsWith("\ufeff"), "a BOM, so Excel reads UTF-8");
  const lines = file.slice(1).trim().split("\r\n");
  assert.match(lines[0], /^Platform,Targeted,Sent,/);
  assert.ok(lines.some((l) => l.startsWith("Android,2,")), lines.join("\n"));
  assert.ok(lines.some((l) => l.startsWith("iOS,1,")), lines.join("\n"));

  // Two pushes side by side.
  const compare = page.getByRole("region", { name: "Compare pushes" });
  await compare.getByLabel("Title, task name or message key").fill("phones");
  await compare.getByRole("button", { name: "Search" }).click();
  await compare.getByRole("button", { name: "Compare Both phones" }).click();
  await compare.getByLabel("Title, task name or message key").fill("android");
  await compare.getByRole("button", { name: "Search" }).click();
  await compare.getByRole("button", { name: "Compare Android only" }).click();
  const compared = compare.getByRole("table", { name: "Pushes compared" });
  await compared.getByRole("row", { name: /Both phones/ }).waitFor();
  await compared.getByRole("row", { name: /Android only/ }).waitFor();
  assert.match(page.url(), new RegExp(`${a.id}.*${b.id}|${b.id}.*${a.id}`));

  // In Chinese, the file's header is too.
  await page.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
  await page.getByRole("heading", { name: "数据分析" }).waitFor();
  const zh = await downloaded(page, () => page.getByRole("region", { name: "按平台" }).getByRole("button", { name: "下载 CSV" }).click());
  assert.match(zh.split("\r\n")[0], /^\ufeff平台,/);

  // A push's report downloads as it shows.
  await page.getByRole("combobox", { name: "语言" }).selectOption("en");
  await page.goto(`${base}/apps/${app.id}/jobs/${a.id}`);
  const report = page.getByRole("region", { name: "Report" });
  await report.getByRole("table", { name: "Report by platform" }).waitFor();
  const byPlatform = await downloaded(page, () => report.getByRole("button", { name: "Download CSV" }).first().click());
  assert.match(byPlatform.slice(1).split("\r\n")[0], /^Platform,Sent,Arrived,/);
  page.assertClean();
});
