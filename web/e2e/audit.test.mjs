// The audit log in a real browser: the admin makes a template and finds
// the change on the app's Audit log page (who, what, which fields, from
// where), pages back with Older past 50 records and forward with Newer; a
// viewer of the app has no Audit log in its navigation and is told so at
// the page's address.
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin as adminAccount, api, consoleSuite, createApp, login, newPage, shot } from "./harness.mjs";

const suite = consoleSuite();

test("owners read the audit log, viewers do not see it", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "Audited app");

  // ---- A change in the app ------------------------------------------------
  await page.goto(`${base}/apps/${app.id}/templates`);
  await page.getByRole("button", { name: "New template" }).click();
  const form = page.getByRole("form", { name: "New template" });
  await form.getByLabel("Name", { exact: true }).fill("welcome");
  await form.getByLabel("Body").fill("Hello");
  await form.getByRole("button", { name: "Create template" }).click();
  await page.getByRole("table", { name: "Templates" }).getByRole("cell", { name: "welcome", exact: true }).waitFor();
  const { templates } = await api(page, "query($a: ID!) { templates(where: {appID: $a}, first: 5) { edges { node { id } } } }", { a: app.id });
  const templateID = templates.edges[0].node.id;

  // ---- The record of it, newest first --------------------------------------
  const nav = page.getByRole("navigation", { name: "App" });
  await nav.getByRole("link", { name: "Audit log" }).click();
  await page.getByRole("heading", { name: "Audit log" }).waitFor();
  assert.match(page.url(), new RegExp(`/apps/${app.id}/audit$`));
  const log = page.getByRole("table", { name: "Audit log" });
  const row = log.getByRole("row").filter({ hasText: templateID });
  await row.waitFor();
  const [time, by, action, object, fields, address] = (await row.getByRole("cell").allInnerTexts()).map((t) => t.trim());
  assert.ok(time.length > 0, "a time");
  assert.equal(by, `${adminAccount.email}\naccount`);
  assert.equal(action, "created");
  assert.equal(object, `template\n${templateID}`);
  assert.match(fields, /\bname\b/, "the fields set, by name");
  assert.equal(address, "127.0.0.1");
  const rows = log.locator("tbody tr");
  assert.equal(await rows.count(), 2, "the app's creation and the template's");
  assert.match(await rows.first().innerText(), new RegExp(templateID), "newest first");
  assert.equal(await page.getByRole("button", { name: "Older" }).count(), 0, "one page only");
  await shot(page, "audit");

  // ---- Older pages back past a full page -----------------------------------
  for (let i = 0; i < 50; i++) {
    await api(page, 'mutation($a: ID!, $n: String!) { createTemplate(input: {appID: $a, name: $n, body: "Hi"}) { id } }', { a: app.id, n: `t-${i}` });
  }
  await page.getByRole("button", { name: "Refresh" }).click();
  await log.getByRole("row").filter({ hasText: templateID }).waitFor({ state: "detached" });
  assert.equal(await rows.count(), 50);
  await page.getByRole("button", { name: "Older" }).click();
  await page.getByText("Page 2").waitFor();
  await log.getByRole("row").filter({ hasText: templateID }).waitFor();
  assert.match(await log.getByRole("row").filter({ hasText: app.id }).getByRole("cell").nth(3).innerText(), /^app\n/, "the app's creation, oldest");
  assert.equal(await rows.count(), 2, "the 52 records, 50 then 2");
  assert.equal(await page.getByRole("button", { name: "Older" }).isDisabled(), true, "nothing older");
  await page.getByRole("button", { name: "Newer" }).click();
  await page.getByText("Page 1").waitFor();
  await log.getByRole("row").filter({ hasText: templateID }).waitFor({ state: "detached" });
  assert.equal(await rows.count(), 50);
  page.assertClean();

  // ---- A viewer of the app -------------------------------------------------
  const who = { email: "viewer@example.com", password: "viewer-pass-123" };
  const acc = await api(page, "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }", { i: who });
  await api(page, "mutation($i: SetMembershipInput!) { setMembership(input: $i) { id } }", {
    i: { accountID: acc.createAccount.id, appID: app.id, role: "VIEWER" },
  });
  const viewer = await newPage(suite.browser);
  await login(viewer, base, who);
  await viewer.goto(`${base}/apps/${app.id}`);
  const viewerNav = viewer.getByRole("navigation", { name: "App" });
  await viewerNav.getByRole("link", { name: "Templates" }).waitFor();
  await viewerNav.getByText("Your role: viewer").waitFor();
  assert.equal(await viewerNav.getByRole("link", { name: "Audit log" }).count(), 0, "no Audit log for a viewer");
  await viewer.goto(`${base}/apps/${app.id}/audit`);
  await viewer.getByText("Only the app's owners and admins read its audit log.").waitFor();
  assert.equal(await viewer.getByRole("table", { name: "Audit log" }).count(), 0);
  viewer.assertClean();
  await viewer.close();
});
