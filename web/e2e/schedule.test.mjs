// The schedule builder of a recurring push in a real browser: a cron
// typed by hand opens on its shape, Weekly on Monday, Wednesday and Friday
// at 08:30 in Asia/Shanghai writes "30 8 * * 1,3,5", pushd keeps that
// recurrence, and in Chinese the builder speaks Chinese.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, consoleSuite, createApp, login, newPage, registerDevice, shot } from "./harness.mjs";

const suite = consoleSuite();

const jobURL = /\/apps\/[^/]+\/jobs\/[^/?]+$/;
const pressed = async (page, name) => (await page.getByRole("button", { name, exact: true }).getAttribute("aria-pressed")) === "true";

test("a weekly schedule built from choices is the job's recurrence", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "schedule-builder");
  const device = await registerDevice(base, app.appKey, { platform: "ANDROID" });

  await page.goto(`${base}/apps/${app.id}/send`);
  await page.getByLabel("Device IDs").fill(device.deviceID);
  await page.getByLabel("Title").fill("Good morning");
  await page.getByLabel("Repeatedly").check();
  // No cron yet: raw cron, to type.
  assert.ok(await pressed(page, "Custom cron"));

  // A cron typed by hand opens the builder on its shape.
  await page.getByLabel("Cron").fill("0 7 15 * *");
  assert.ok(await pressed(page, "Monthly"));
  assert.equal(await page.getByLabel("Day of the month").inputValue(), "15");
  assert.equal(await page.getByLabel("Time", { exact: true }).inputValue(), "07:00");

  // Weekly keeps the time and starts on Monday; then Wednesday and Friday.
  await page.getByRole("button", { name: "Weekly", exact: true }).click();
  assert.equal(await page.getByLabel("Cron").inputValue(), "0 7 * * 1");
  const day = (name) => page.getByRole("checkbox", { name, exact: true });
  assert.ok(await day("Mon").isChecked());
  assert.ok(await day("Mon").isDisabled(), "the only day cannot be unticked");
  await day("Wed").check();
  await day("Fri").check();
  await page.getByLabel("Time", { exact: true }).fill("08:30");
  assert.equal(await page.getByLabel("Cron").inputValue(), "30 8 * * 1,3,5");
  await page.getByText("At 08:30, on Monday, Wednesday, Friday").waitFor();

  // The zone from the list by region, with its offset; the input follows.
  const picker = page.getByLabel("Choose from the list");
  assert.equal(await picker.locator("optgroup").first().getAttribute("label"), "Suggested");
  const shanghai = picker.locator("optgroup[label=Asia] option", { hasText: "Asia/Shanghai" });
  await shanghai.waitFor({ state: "attached" }); // the whole list comes just after the form
  assert.deepEqual(await shanghai.allInnerTexts(), ["Asia/Shanghai (UTC+08:00)"]);
  await picker.selectOption("Asia/Shanghai");
  assert.equal(await page.getByLabel("Time zone").inputValue(), "Asia/Shanghai");
  await page.getByText("Asia/Shanghai time.").waitFor();
  await shot(page, "schedule-weekly");

  await page.getByRole("button", { name: "Start schedule" }).click();
  await page.waitForURL(jobURL);
  const job = await api(page, `query($id: ID!) { node(id: $id) { ... on PushJob { recurrence { cron timeZone } } } }`, { id: page.url().split("/").pop() });
  assert.deepEqual(job.node.recurrence, { cron: "30 8 * * 1,3,5", timeZone: "Asia/Shanghai" });

  page.assertClean();
});

test("Custom keeps the typed cron; the builder speaks Chinese", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "schedule-zh");
  await page.goto(`${base}/apps/${app.id}/send`);
  await page.getByLabel("Repeatedly").check();
  await page.getByRole("button", { name: "Daily", exact: true }).click();
  assert.equal(await page.getByLabel("Cron").inputValue(), "0 9 * * *");
  // Custom once picked stays, even for a cron the builder could show.
  await page.getByRole("button", { name: "Custom cron", exact: true }).click();
  await page.getByLabel("Cron").fill("0 9 * * 1-5");
  assert.ok(await pressed(page, "Custom cron"));
  await page.getByText("At 09:00, on Monday to Friday").waitFor();

  await page.evaluate(() => localStorage.setItem("pushd.language", "zh-CN"));
  await page.reload();
  await page.getByLabel("循环推送").check();
  for (const name of ["每天", "每周", "每月", "自定义 cron"]) await page.getByRole("button", { name, exact: true }).waitFor();
  await page.getByRole("button", { name: "每周", exact: true }).click();
  // The week in Chinese starts on Monday.
  const days = await page.getByRole("group", { name: "星期" }).getByRole("checkbox").evaluateAll((els) => els.map((e) => e.closest("label").textContent));
  assert.deepEqual(days, ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]);
  await page.getByRole("button", { name: "每月", exact: true }).click();
  await page.getByLabel("每月第几天").selectOption("31");
  await page.getByText("没有 31 日的月份会跳过；选 28 日或更早则每月都会推送。").waitFor();
  assert.equal(await page.getByLabel("从列表选择").locator("optgroup").first().getAttribute("label"), "推荐");
  await shot(page, "schedule-zh");
  await page.evaluate(() => localStorage.removeItem("pushd.language"));

  page.assertClean();
});
