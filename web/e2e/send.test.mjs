// The push composer in a real browser: a simple push to a registered
// device lands on its job page, a template's preview follows what is
// typed, a multiple push reads pasted CSV with errors per line, a
// broadcast counts its audience and asks before sending, and a viewer gets
// no form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, consoleSuite, createApp, login, newPage, registerDevice, shot } from "./harness.mjs";

const suite = consoleSuite();

const jobURL = /\/apps\/[^/]+\/jobs\/[^/?]+$/;

test("compose and send pushes in the four modes", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "composer");
  const device = await registerDevice(base, app.appKey, { platform: "ANDROID", appVersion: "2.0.0" });
  await api(
    page,
    `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
    { input: { appID: app.id, name: "welcome", title: "Hi {{name}}", body: "Your code is {{code}}.", defaults: { code: "WELCOME10" } } },
  );

  // Simple: the default tab.
  await page.goto(`${base}/apps/${app.id}/send`);
  await page.getByRole("heading", { name: "Send a push" }).waitFor();
  assert.equal(await page.getByRole("tab", { name: "Simple" }).getAttribute("aria-selected"), "true");
  await page.getByLabel("Device IDs").fill(device.deviceID);
  await page.getByLabel("Title").fill("Hello from the console");
  await page.getByLabel("Body").fill("A simple push, straight to one device.");
  await page.getByText("Advanced").click();
  await page.getByLabel("Payload (JSON)").fill("{orderID: 42}");
  await page.getByText(/^Not valid JSON/).waitFor(); // said at once, before sending
  await page.getByRole("button", { name: "Send push" }).click();
  await page.getByRole("alert").filter({ hasText: "needs fixing" }).waitFor();
  assert.ok(await page.getByLabel("Payload (JSON)").evaluate((el) => el === document.activeElement), "the field to fix has the focus");
  await page.getByLabel("Payload (JSON)").fill('{"orderID": 42}');
  await page.getByLabel("Badge").fill("3");
  await page.getByLabel("Classification").selectOption({ label: "Delivery and logistics" });
  await page.getByLabel("Time to live").fill("2");
  await page.getByLabel("Message key").fill("e2e-simple-1");
  await page.getByText("Hello from the console", { exact: true }).waitFor(); // the preview
  assert.equal(await page.getByText(/^Not valid JSON/).count(), 0); // gone once the payload parses
  assert.equal(await page.getByRole("alert").count(), 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "send-simple");
  await page.getByRole("button", { name: "Send push" }).click();
  await page.waitForURL(jobURL);
  const jobID = page.url().split("/").pop();
  const job = await api(page, `query($id: ID!) { node(id: $id) { ... on PushJob { kind ttlSeconds msgKey message { title badge payload classification } } } }`, { id: jobID });
  assert.deepEqual(job.node, {
    kind: "SIMPLE",
    ttlSeconds: 7200,
    msgKey: "e2e-simple-1",
    message: { title: "Hello from the console", badge: 3, payload: { orderID: 42 }, classification: "EXPRESS" },
  });
  await page.getByText("Delivery and logistics").waitFor(); // the job page names it

  // Template: the tab is in the URL, the preview follows the variables.
  await page.goto(`${base}/apps/${app.id}/send`);
  await page.getByRole("tab", { name: "Template" }).click();
  await page.waitForURL(/[?&]mode=template/);
  await page.getByRole("combobox", { name: "Template" }).selectOption("welcome");
  await page.waitForURL(/[?&]template=welcome/);
  const preview = page.getByTestId("preview");
  await preview.getByText("{{name}}").waitFor(); // no value yet: marked
  assert.equal(await page.getByLabel("code", { exact: true }).inputValue(), "WELCOME10"); // prefilled with its default
  await page.getByLabel("name", { exact: true }).pressSequentially("Ada");
  await page.waitForFunction(() => document.querySelector("[data-testid=preview] .preview-title")?.textContent === "Hi Ada");
  await page.getByLabel("code", { exact: true }).fill("SPRING");
  await page.waitForFunction(() => document.querySelector("[data-testid=preview] .preview-body")?.textContent === "Your code is SPRING.");
  await page.getByLabel("Device IDs").fill(device.deviceID);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "send-template");
  await page.getByRole("button", { name: "Send push" }).click();
  await page.waitForURL(jobURL);

  // A deep link opens the same form; back returns to the simple tab.
  await page.goto(`${base}/apps/${app.id}/send?mode=template&template=welcome`);
  await page.getByLabel("name", { exact: true }).waitFor();
  await page.getByRole("tab", { name: "Simple" }).click();
  await page.getByLabel("Title").waitFor();
  await page.goBack();
  await page.getByLabel("name", { exact: true }).waitFor();

  // Multiple: pasted CSV with errors per line, then rows to send.
  await page.getByRole("tab", { name: "Multiple" }).click();
  await page.getByRole("combobox", { name: "Template" }).selectOption("welcome");
  await page.getByText("Paste CSV").click();
  await page.getByLabel("CSV").fill(`deviceID,name,code\n${device.deviceID},Ada,A1\n,Bob,B2\n${device.deviceID},Cy\n`);
  const summary = page.locator(".csv-summary");
  await summary.getByText("Line 3: No target in the first cell.").waitFor();
  await summary.getByText(/^Line 4: 2 cells/).waitFor();
  assert.match(await summary.locator("p").innerText(), /1 row read \(device IDs\), 2 errors/);
  assert.equal(await page.getByRole("button", { name: "Replace rows" }).isDisabled(), true);
  await shot(page, "send-multiple");
  await page.getByLabel("CSV").fill(`deviceID,name,code\n${device.deviceID},Ada,A1\n${device.deviceID},Bob,\n`);
  await page.getByRole("button", { name: "Replace rows" }).click();
  assert.equal(await page.getByLabel("Row 2 name").inputValue(), "Bob");
  await page.getByText("2 rows · 2 targets").waitFor();
  await page.getByRole("button", { name: "Send push" }).click();
  await page.waitForURL(jobURL);

  // Broadcast: the live count, then the question before sending.
  await page.goto(`${base}/apps/${app.id}/send?mode=broadcast`);
  const count = page.getByRole("region", { name: "Audience size" }).getByRole("status");
  await page.waitForFunction(() => document.querySelector("[aria-label='Audience size'] [data-count]")?.getAttribute("data-count") === "1");
  assert.match(await count.innerText(), /1 device matches now/);
  await page.getByRole("group", { name: "Platforms" }).getByLabel("iOS").check();
  await page.waitForFunction(() => document.querySelector("[aria-label='Audience size'] [data-count]")?.getAttribute("data-count") === "0");
  await page.getByRole("group", { name: "Platforms" }).getByLabel("Android").check();
  await page.getByLabel("App versions").fill("2.0.0");
  await page.waitForFunction(() => document.querySelector("[aria-label='Audience size'] [data-count]")?.getAttribute("data-count") === "1");
  // The audience is in the URL: a reload brings the same filters back.
  await page.waitForURL(/platforms=IOS%2CANDROID&versions=2\.0\.0/);
  await page.reload();
  assert.equal(await page.getByLabel("App versions").inputValue(), "2.0.0");
  assert.ok(await page.getByRole("group", { name: "Platforms" }).getByLabel("Android").isChecked());
  await page.waitForFunction(() => document.querySelector("[aria-label='Audience size'] [data-count]")?.getAttribute("data-count") === "1");
  await page.getByLabel("Title").fill("Everyone on Android 2.0.0");
  await page.getByLabel("Body").fill("A broadcast from the console.");
  await page.getByRole("button", { name: "Review and send…" }).click();
  const dialog = page.getByRole("dialog", { name: "Send to 1 device?" });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /1 device matches the audience now and will get this push/);
  await shot(page, "send-broadcast-confirm");
  await dialog.getByRole("button", { name: "Send to 1" }).click();
  await page.waitForURL(jobURL);
  const b = await api(page, `query($id: ID!) { node(id: $id) { ... on PushJob { kind message { title } } } }`, { id: page.url().split("/").pop() });
  assert.deepEqual(b.node, { kind: "BROADCAST", message: { title: "Everyone on Android 2.0.0" } });

  page.assertClean();
});

// A WEB device pushed only through APNs used to wait out its TTL without a
// word; the composer now says so, with the count, before sending.
test("the composer warns about targets the chosen channels cannot reach", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "composer-reach");
  const web = await registerDevice(base, app.appKey, { platform: "WEB" });
  await page.goto(`${base}/apps/${app.id}/send`);
  await page.getByLabel("Device IDs").fill(web.deviceID);
  await page.getByLabel("Title").fill("Only through APNs");
  const warning = page.locator(".reach-warning");
  await page.getByRole("checkbox", { name: "APNs" }).check();
  await warning.filter({ hasText: "1 of 1 target cannot be reached through APNs: it would wait until the TTL ends and then expire." }).waitFor();
  await shot(page, "send-unreachable");
  // pushd's own channel reaches it (when it next connects): no warning.
  await page.getByRole("checkbox", { name: "WebSocket" }).check();
  await warning.waitFor({ state: "detached" });
  // A broadcast to the web through APNs only: the same warning.
  await page.getByRole("tab", { name: "Broadcast" }).click();
  await page.getByRole("checkbox", { name: "APNs" }).check();
  await warning.filter({ hasText: "1 of 1 target cannot be reached through APNs" }).waitFor();
  page.assertClean();
});

test("pushd's refusals name the field; viewers get no form", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "composer-roles");

  // A template that no longer exists: pushd says which field is wrong.
  await page.goto(`${base}/apps/${app.id}/send?mode=template&template=gone`);
  await page.getByText("There is no template named “gone” in this app.").waitFor();
  await page.getByLabel("Device IDs").fill("dev_unknown");
  await page.getByRole("button", { name: "Send push" }).click();
  await page.getByText("Pick a template.").waitFor();

  // A time zone nobody knows is refused in the form, on its field, before
  // any confirmation or request.
  await page.getByRole("tab", { name: "Simple" }).click();
  await page.getByLabel("Device IDs").fill("dev_unknown");
  await page.getByLabel("Title").fill("Every morning");
  await page.getByLabel("Repeatedly").check();
  await page.getByLabel("Cron").fill("0 9 * * 1-5");
  await page.getByText("At 09:00, on Monday to Friday").waitFor();
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  await page.getByRole("button", { name: "Start schedule" }).click();
  await page.getByText('"Mars/Olympus" is not an IANA time zone (such as Europe/Paris or Asia/Shanghai).').waitFor();
  assert.equal(await page.getByLabel("Time zone").getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByRole("dialog").count(), 0, "no confirmation for a form that is wrong");

  const d = await api(page, `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }`, { i: { email: "viewer@example.com", password: "viewer-pass-123" } });
  await api(page, `mutation($i: SetMembershipInput!) { setMembership(input: $i) { id } }`, { i: { accountID: d.createAccount.id, appID: app.id, role: "VIEWER" } });
  const viewer = await newPage(suite.browser);
  await login(viewer, base, { email: "viewer@example.com", password: "viewer-pass-123" });
  await viewer.goto(`${base}/apps/${app.id}/send`);
  await viewer.getByText("Viewers cannot send pushes.", { exact: false }).waitFor();
  assert.equal(await viewer.getByRole("button", { name: "Send push" }).count(), 0);
  assert.equal(await viewer.getByRole("tab").count(), 0);

  page.assertClean();
  viewer.assertClean();
});
