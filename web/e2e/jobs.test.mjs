// The pushes pages in a real browser: the list with statuses and filters in
// the URL, cancelling a scheduled push, a sent push's report and
// deliveries, and revoking it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, consoleSuite, createApp, login, newPage, registerDevice, shot } from "./harness.mjs";

const suite = consoleSuite();

const push = `mutation($input: PushSimpleInput!) { pushSimple(input: $input) { id status } }`;

test("pushes list, cancel a scheduled push, report and deliveries of a sent one, revoke it", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "jobs-demo");
  const { deviceID } = await registerDevice(base, app.appKey, { platform: "ANDROID" });

  const now = (await api(page, push, { input: { appID: app.id, target: { deviceIDs: [deviceID] }, message: { title: "Hello now", body: "Sent at once" } } })).pushSimple;
  const later = (
    await api(page, push, {
      input: {
        appID: app.id,
        target: { deviceIDs: [deviceID] },
        message: { title: "Later today", body: "In an hour" },
        options: { scheduleAt: new Date(Date.now() + 3600_000).toISOString(), msgKey: "later-1" },
      },
    })
  ).pushSimple;
  assert.equal(later.status, "SCHEDULED");

  // The list: newest first, each with its status.
  await page.goto(base + `/apps/${app.id}/jobs`);
  await page.getByRole("heading", { name: "Pushes" }).waitFor();
  const rows = page.locator("table.jobs tbody tr");
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).getAttribute("data-job"), later.id);
  const laterRow = page.locator(`tr[data-job="${later.id}"]`);
  const nowRow = page.locator(`tr[data-job="${now.id}"]`);
  await laterRow.locator(".badge", { hasText: "scheduled" }).waitFor();
  assert.match(await nowRow.locator(".badge").innerText(), /^(queued|sending|done)$/);
  assert.match(await nowRow.innerText(), /1 device/);

  // Filters live in the URL, so a reload (or a shared link) keeps them.
  await page.getByLabel("Status").selectOption("SCHEDULED");
  await page.waitForURL(/status=SCHEDULED/);
  await page.waitForFunction(() => document.querySelectorAll("table.jobs tbody tr").length === 1);
  await page.reload();
  await laterRow.waitFor();
  assert.equal(await rows.count(), 1);
  await page.getByLabel("Kind").selectOption("BROADCAST");
  await page.getByText("No pushes match these filters.").waitFor();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await rows.nth(1).waitFor();
  // A search by message key (or task name), any part of it, any case.
  const search = page.getByLabel("Title, task name or message key");
  await search.fill("LATER");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/q=LATER/);
  await page.waitForFunction(() => document.querySelectorAll("table.jobs tbody tr").length === 1);
  await laterRow.waitFor();
  // The same box finds a push by words of its body.
  await search.fill("sent at");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/q=sent/);
  await page.waitForFunction((id) => {
    const rows = document.querySelectorAll("table.jobs tbody tr");
    return rows.length === 1 && rows[0].getAttribute("data-job") === id;
  }, now.id);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await rows.nth(1).waitFor();
  // Days: today has both, tomorrow has none.
  const day = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  await page.getByLabel("From").fill(day(new Date()));
  await page.waitForURL(/from=/);
  await rows.nth(1).waitFor();
  await page.getByLabel("From").fill(day(new Date(Date.now() + 86400_000)));
  await page.getByText("No pushes match these filters.").waitFor();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await rows.nth(1).waitFor();
  // A push made elsewhere shows up in the open list by itself.
  const third = (await api(page, push, { input: { appID: app.id, target: { deviceIDs: [deviceID] }, message: { title: "Made by a backend" } } })).pushSimple;
  await page.locator(`tr[data-job="${third.id}"]`).waitFor();
  assert.equal(await rows.nth(0).getAttribute("data-job"), third.id);
  await shot(page, "jobs");

  // Cancel the scheduled push.
  await laterRow.getByRole("link", { name: "Later today" }).click();
  await page.waitForURL(new RegExp(`/jobs/${later.id}$`));
  await page.getByRole("heading", { name: /Later today/ }).waitFor();
  const details = page.getByRole("region", { name: "Details" });
  await details.getByText("later-1").waitFor();
  await details.getByText(/^once, at /).waitFor();
  assert.equal(await page.getByRole("button", { name: "Revoke" }).count(), 0, "a scheduled push is cancelled, not revoked");
  await page.getByRole("button", { name: "Cancel push" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this push?" });
  // The way out does not read like the action.
  await dialog.getByRole("button", { name: "Keep the push", exact: true }).waitFor();
  assert.equal(await dialog.getByRole("button", { name: "Cancel", exact: true }).count(), 0);
  await dialog.getByRole("button", { name: "Cancel push" }).click();
  await details.getByTestId("job-status").getByText("cancelled").waitFor();
  // No next run for a cancelled push.
  await details.getByText(/^was to go at .*; cancelled$/).waitFor();
  await page.getByRole("button", { name: "Cancel push" }).waitFor({ state: "detached" });

  // Back in the list it is cancelled too.
  await page.getByRole("link", { name: "← All pushes" }).click();
  await laterRow.locator(".badge", { hasText: "cancelled" }).waitFor();

  // The sent push: report, deliveries with a status filter, revoke.
  await nowRow.getByRole("link", { name: "Hello now" }).click();
  await page.waitForURL(new RegExp(`/jobs/${now.id}$`));
  await page.getByRole("heading", { name: /Hello now/ }).waitFor();
  const report = page.getByRole("region", { name: "Report" });
  await report.getByRole("heading", { name: "By platform" }).waitFor();
  await report.getByRole("heading", { name: "By channel" }).waitFor();
  const deliveries = page.getByRole("region", { name: "Deliveries", exact: true });
  const device = deliveries.getByRole("link", { name: /Android/ });
  await device.waitFor();
  assert.equal(await device.getAttribute("href"), `/apps/${app.id}/devices/${deviceID}`);
  await deliveries.getByLabel("Delivery status").selectOption("OPENED");
  await page.waitForURL(/status=OPENED/);
  await deliveries.getByText("No opened deliveries.").waitFor();
  await deliveries.getByLabel("Delivery status").selectOption("PENDING");
  await deliveries.locator('tr[data-status="PENDING"]').waitFor();
  await deliveries.getByLabel("Delivery status").selectOption("");
  await deliveries.locator("tbody tr").first().waitFor();

  await page.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog", { name: "Revoke this push?" }).getByRole("button", { name: "Revoke push" }).click();
  await details.getByTestId("job-status").getByText("revoked").waitFor();
  await deliveries.locator('tr[data-status="REVOKED"]').waitFor(); // the deliveries follow the job
  await page.getByRole("button", { name: "Revoke" }).waitFor({ state: "detached" });
  // Revoked both now and in the funnel.
  for (const name of ["Deliveries by state", "Funnel"]) {
    await page.locator(`dl[aria-label='${name}'] div`, { hasText: "Revoked" }).locator("dd", { hasText: "1" }).waitFor();
  }
  await shot(page, "job-detail");

  const after = (await api(page, `query($id: ID!) { node(id: $id) { ... on PushJob { status } } }`, { id: now.id })).node;
  assert.equal(after.status, "REVOKED");

  // A schedule's page shows no zero cards: its runs carry the numbers.
  const schedule = (
    await api(page, push, {
      input: { appID: app.id, target: { deviceIDs: [deviceID] }, message: { title: "Every morning" }, options: { recurrence: { cron: "0 9 * * *", timeZone: "UTC" } } },
    })
  ).pushSimple;
  await page.goto(base + `/apps/${app.id}/jobs/${schedule.id}`);
  await page.getByRole("heading", { name: /Every morning/ }).waitFor();
  await page.getByRole("note").getByText(/A schedule sends nothing itself/).waitFor();
  assert.equal(await page.locator("dl[aria-label='Funnel'], dl[aria-label='Deliveries by state']").count(), 0);
  await page.getByRole("region", { name: "Occurrences" }).waitFor();
  page.assertClean();
});

// A push to users: its page names the users, lists only deliveries to
// devices (not pushd's per-user bookkeeping row, once shown as an
// unexplained "no device yet"), says later devices get it too, and
// charts its deliveries over time.
test("a push to users names them and lists only devices", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "users-push");
  const { deviceID } = await registerDevice(base, app.appKey);
  await api(page, 'mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: "ada"}) { id } }', { d: deviceID });
  const job = (await api(page, push, { input: { appID: app.id, target: { userIDs: ["ada", "grace"] }, message: { title: "To two users" } } })).pushSimple;
  await page.goto(base + `/apps/${app.id}/jobs/${job.id}`);
  const audience = page.getByRole("region", { name: "Audience" });
  await audience.getByText("2 users, with every device bound to each:").waitFor();
  await audience.getByRole("link", { name: "ada" }).waitFor();
  await audience.getByRole("link", { name: "grace" }).waitFor();
  const deliveries = page.getByRole("region", { name: "Deliveries", exact: true });
  await deliveries.getByText(/Devices bound to these users later/).waitFor();
  await deliveries.locator("tbody tr").first().waitFor();
  assert.equal(await deliveries.locator("tbody tr").count(), 1, "one device, no row for a user without one");
  await page.getByRole("region", { name: "Deliveries over time" }).locator("canvas").first().waitFor();
  await shot(page, "job-users");

  // A broadcast's page shows its filters.
  const b = await api(page, `mutation($in: PushBroadcastInput!) { pushBroadcast(input: $in) { id } }`, {
    in: { appID: app.id, message: { title: "To Android in Shanghai" }, audience: { platforms: ["ANDROID"], tags: ["城市:上海"] } },
  });
  await page.goto(base + `/apps/${app.id}/jobs/${b.pushBroadcast.id}`);
  const filters = page.getByRole("region", { name: "Audience" });
  await filters.getByText("Devices with push turned on matching all of:").waitFor();
  await filters.getByText("城市:上海").waitFor();
  await filters.getByText("Android", { exact: true }).waitFor();
  page.assertClean();
});

test("an app without pushes says so; a viewer sees no actions", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "quiet-app");
  await page.goto(base + `/apps/${app.id}/jobs`);
  await page.getByText("No pushes yet.").waitFor();
  await page.locator(".empty").getByRole("link", { name: "Send one" }).waitFor();
  await page.goto(base + `/apps/${app.id}/jobs/nope`);
  await page.getByText("This push does not exist").waitFor();

  const { deviceID } = await registerDevice(base, app.appKey);
  const job = (
    await api(page, push, {
      input: { appID: app.id, target: { deviceIDs: [deviceID] }, message: { title: "For viewers" }, options: { scheduleAt: new Date(Date.now() + 3600_000).toISOString() } },
    })
  ).pushSimple;
  const viewer = { email: "viewer@example.com", password: "viewer-pass-123" };
  const { createAccount } = await api(page, `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`, { input: viewer });
  await api(page, `mutation($input: SetMembershipInput!) { setMembership(input: $input) { id } }`, {
    input: { accountID: createAccount.id, appID: app.id, role: "VIEWER" },
  });
  page.assertClean();

  const vpage = await newPage(suite.browser);
  await login(vpage, base, viewer);
  await vpage.goto(base + `/apps/${app.id}/jobs`);
  await vpage.locator(`tr[data-job="${job.id}"]`).waitFor();
  assert.equal(await vpage.getByRole("link", { name: "New push" }).count(), 0);
  await vpage.getByRole("link", { name: "For viewers" }).click();
  await vpage.getByRole("region", { name: "Details" }).getByText("scheduled").waitFor();
  assert.equal(await vpage.getByRole("button", { name: "Cancel push" }).count(), 0, "a viewer cannot cancel");

  // An unfinished row follows its job live: cancelled elsewhere, it changes
  // without a reload.
  await vpage.goBack();
  const row = vpage.locator(`tr[data-job="${job.id}"]`);
  await row.locator(".badge", { hasText: "scheduled" }).waitFor();
  await api(page, `mutation($id: ID!) { cancelPush(id: $id) { id } }`, { id: job.id });
  await row.locator(".badge", { hasText: "cancelled" }).waitFor();
  vpage.assertClean();
});
