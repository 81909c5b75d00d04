// Test pushes in a real browser: the device, user, group and template
// pages each send one from a small dialog (a group's says how many devices
// it reaches first, a template's picks its device with the target picker),
// each lands in the push list as "test: …" with the right kind and target,
// the composer's picker finds a device by the start of its ID and a user
// by a part of theirs, and a viewer gets no test button.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, consoleSuite, createApp, login, newPage, registerDevice, shot } from "./harness.mjs";

const suite = consoleSuite();

const JOB = `query($id: ID!) { node(id: $id) { ... on PushJob {
  kind taskName templateName message { title body } target { deviceIDs userIDs } audience { groups } } } }`;

// sendFromDialog sends the open dialog's test push and returns the job's
// node, read back through the API from the dialog's link.
async function sendFromDialog(page, dialog) {
  await dialog.getByRole("button", { name: "Send test" }).click();
  await dialog.getByText("The test push is on its way.").waitFor();
  const href = await dialog.getByRole("link", { name: "Open the push" }).getAttribute("href");
  const m = href.match(/^\/apps\/[^/]+\/jobs\/([^/?]+)$/);
  assert.ok(m, `a link to the push's page: ${href}`);
  return (await api(page, JOB, { id: m[1] })).node;
}

test("test pushes from the device, user, group and template pages, and the composer's picker", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "test sends");
  const device = await registerDevice(base, app.appKey, { installationID: "inst-tester", platform: "ANDROID" });
  await registerDevice(base, app.appKey, { installationID: "inst-other", platform: "IOS" }); // one the searches must leave out
  await api(page, 'mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: "tester-1"}) { id } }', { d: device.deviceID });
  const users = await api(page, 'query($a: ID!) { appUsers(where: {appID: $a, externalID: "tester-1"}) { edges { node { id } } } }', { a: app.id });
  const { createGroup: group } = await api(page, "mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }", {
    i: { appID: app.id, name: "beta", memberIDs: [users.appUsers.edges[0].node.id] },
  });
  await api(page, "mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }", {
    i: { appID: app.id, name: "welcome", title: "Hi {{name}}", body: "Welcome aboard.", defaults: { name: "there" } },
  });

  // Device: Escape closes the dialog and gives the focus back; then a test
  // push with the prefilled message.
  await page.goto(`${base}/apps/${app.id}/devices/${device.deviceID}`);
  const button = page.getByRole("button", { name: "Send a test push" });
  await button.click();
  let dialog = page.getByRole("dialog", { name: "Test push to this device" });
  await dialog.waitFor();
  assert.ok(await dialog.getByRole("button", { name: "Cancel" }).evaluate((el) => el === document.activeElement), "Cancel has the focus first");
  assert.equal(await dialog.getByLabel("Title").inputValue(), "Test from the pushd console");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.ok(await button.evaluate((el) => el === document.activeElement), "the focus is back on the button");
  await button.click();
  await dialog.getByLabel("Body").fill("Checking the device page");
  await shot(page, "testsend-device");
  let job = await sendFromDialog(page, dialog);
  assert.deepEqual(job, {
    kind: "SIMPLE",
    taskName: `test: device ${device.deviceID}`,
    templateName: null,
    message: { title: "Test from the pushd console", body: "Checking the device page" },
    target: { deviceIDs: [device.deviceID], userIDs: [] },
    audience: null,
  });
  await dialog.getByRole("button", { name: "Close" }).click();
  await dialog.waitFor({ state: "detached" });

  // User: a row's button, to the backend's user ID.
  await page.goto(`${base}/apps/${app.id}/users`);
  await page.getByRole("button", { name: "Send a test push to tester-1" }).click();
  dialog = page.getByRole("dialog", { name: "Test push to user tester-1" });
  job = await sendFromDialog(page, dialog);
  assert.equal(job.kind, "SIMPLE");
  assert.equal(job.taskName, "test: user tester-1");
  assert.deepEqual(job.target, { deviceIDs: [], userIDs: ["tester-1"] });
  await page.keyboard.press("Escape");

  // Group: the dialog counts the group's devices before anything goes.
  await page.goto(`${base}/apps/${app.id}/groups`);
  await page.getByRole("button", { name: "Send a test push to beta" }).click();
  dialog = page.getByRole("dialog", { name: "Test push to group beta" });
  await dialog.getByText("This reaches 1 device now.").waitFor();
  await shot(page, "testsend-group");
  job = await sendFromDialog(page, dialog);
  assert.equal(job.kind, "BROADCAST");
  assert.equal(job.taskName, "test: group beta");
  assert.deepEqual(job.audience, { groups: [group.id] });
  await page.keyboard.press("Escape");

  // Template: nothing to send until a device is picked by the start of
  // its ID; it goes with the template's defaults.
  await page.goto(`${base}/apps/${app.id}/templates`);
  await page.getByRole("button", { name: "Send a test push to welcome" }).click();
  dialog = page.getByRole("dialog", { name: "Test the template welcome" });
  await dialog.getByText("Hi there").waitFor(); // the preview, with the defaults
  assert.equal(await dialog.getByRole("button", { name: "Send test" }).isDisabled(), true);
  await dialog.getByLabel("Find a device").fill(device.deviceID.slice(0, 12));
  await dialog.getByRole("button", { name: `Choose ${device.deviceID}` }).click();
  await dialog.getByText("To:").waitFor();
  await shot(page, "testsend-template");
  job = await sendFromDialog(page, dialog);
  assert.deepEqual(job, {
    kind: "TEMPLATE",
    taskName: "test: template welcome",
    templateName: "welcome",
    message: { title: "Hi there", body: "Welcome aboard." },
    target: { deviceIDs: [device.deviceID], userIDs: [] },
    audience: null,
  });
  await dialog.getByRole("link", { name: "Open the push" }).click();
  await page.waitForURL(/\/apps\/[^/]+\/jobs\/[^/?]+$/);

  // Every test push is in the push list, under its task name.
  const jobs = await api(page, "query($a: ID!) { pushJobs(where: {appID: $a, taskNameHasPrefix: \"test: \"}) { totalCount } }", { a: app.id });
  assert.equal(jobs.pushJobs.totalCount, 4);

  // The composer: the picker finds the device by the first characters of
  // its ID (in lower case; past the time both IDs start with) and adds it
  // to the list, once.
  await page.goto(`${base}/apps/${app.id}/send`);
  const targets = page.getByLabel("Device IDs");
  await targets.fill("dev_typed");
  await page.getByLabel("Find a device").fill(device.deviceID.slice(0, 18).toLowerCase());
  const matches = page.getByRole("list", { name: "Matches" });
  await matches.getByText(device.deviceID).waitFor();
  assert.equal(await matches.getByRole("listitem").count(), 1, "the other device does not match");
  await page.getByLabel("Find a device").press("Enter"); // sends nothing
  assert.match(page.url(), /\/send$/);
  await matches.getByRole("button", { name: `Add ${device.deviceID}` }).click();
  assert.equal(await targets.inputValue(), `dev_typed\n${device.deviceID}`);
  assert.equal(await matches.getByRole("button", { name: "Added" }).isDisabled(), true);
  await shot(page, "testsend-picker");
  // Users: by a part of their ID.
  await page.getByRole("button", { name: "User IDs" }).click();
  await page.getByLabel("Find a user").fill("ester");
  await page.getByRole("button", { name: "Add tester-1" }).click();
  assert.match(await page.getByLabel("User IDs").inputValue(), /tester-1$/);
  page.assertClean();
});

test("a viewer gets no test button", async () => {
  const base = suite.pushd.url;
  const admin = await newPage(suite.browser);
  await login(admin, base);
  const app = await createApp(admin, "watch only");
  const dev = await registerDevice(base, app.appKey, { platform: "WEB" });
  await api(admin, 'mutation($a: ID!) { createGroup(input: {appID: $a, name: "g"}) { id } }', { a: app.id });
  const who = { email: "test-viewer@example.com", password: "viewer-pass-123" };
  const acc = await api(admin, "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }", { i: who });
  await api(admin, "mutation($i: SetMembershipInput!) { setMembership(input: $i) { id } }", { i: { accountID: acc.createAccount.id, appID: app.id, role: "VIEWER" } });

  const page = await newPage(suite.browser);
  await login(page, base, who);
  await page.goto(`${base}/apps/${app.id}/devices/${dev.deviceID}`);
  await page.getByRole("region", { name: "Properties" }).waitFor();
  assert.equal(await page.getByRole("button", { name: /Send a test push/ }).count(), 0);
  await page.goto(`${base}/apps/${app.id}/groups`);
  await page.getByRole("table", { name: "Groups" }).getByText("g", { exact: true }).waitFor();
  assert.equal(await page.getByRole("button", { name: /Send a test push/ }).count(), 0);
  page.assertClean();
  admin.assertClean();
});
