// The console's first steps in a real browser: log in, the app list, an
// app's overview with live frames, deep links and the back button.
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin, api, consoleSuite, createApp, login, newPage, registerDevice, shot } from "./harness.mjs";

const suite = consoleSuite();

test("log in, create an app, see its overview with live numbers", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser, { allow: [/status of 401/] });

  await page.goto(base + "/apps");
  await page.waitForURL(/\/login$/); // not logged in: sent to the login page
  await shot(page, "login");

  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").innerText(), /do not match/i);

  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Apps" }).waitFor();
  await page.getByText("No apps yet.").waitFor();

  await page.getByRole("button", { name: "New app" }).click();
  await page.getByLabel("Name").fill("demo");
  await page.getByLabel("Description").fill("The demo app");
  await page.getByRole("button", { name: "Create app" }).click();
  await page.waitForURL(/\/apps\/[^/]+$/);
  const appID = page.url().split("/").pop();
  await page.getByRole("heading", { name: "demo" }).waitFor();

  // Live frames over graphql-ws keep coming.
  const live = page.getByRole("region", { name: "Live" });
  await live.locator("dl[data-at]").waitFor();
  const first = await live.locator("dl").getAttribute("data-at");
  await page.waitForFunction((at) => document.querySelector("section[aria-label=Live] dl")?.getAttribute("data-at") !== at, first);
  await live.getByRole("img").waitFor();
  await shot(page, "overview");

  await page.goBack();
  await page.getByRole("heading", { name: "Apps" }).waitFor(); // the back button works
  await page.getByRole("link", { name: "demo" }).waitFor();
  await shot(page, "apps");

  await page.goto(base + `/apps/${appID}`); // a deep link
  await page.getByRole("heading", { name: "demo" }).waitFor();
  assert.ok((await api(page, "{ viewer { account { email } } }")).viewer.account.email);
  page.assertClean();
});

test("a list's page survives a visit to a detail page and the back button", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "paging");
  for (let i = 0; i < 30; i++) await registerDevice(base, app.appKey, { installationID: `page-${String(i).padStart(2, "0")}` });

  await page.goto(base + `/apps/${app.id}/devices?sort=OLDEST`);
  const pages = page.getByRole("navigation", { name: "Pages" });
  await pages.getByText("Page 1").waitFor();
  await pages.getByRole("button", { name: "Next" }).click();
  await pages.getByText("Page 2").waitFor();
  await page.getByText("page-25").waitFor(); // the 26th oldest opens page 2
  await page.locator("tbody tr a").first().click();
  await page.waitForURL(/\/devices\/dev_/);
  await page.goBack();
  await pages.getByText("Page 2").waitFor();
  await page.getByText("page-25").waitFor();
  await pages.getByRole("button", { name: "Previous" }).click();
  await pages.getByText("Page 1").waitFor();
  page.assertClean();
});
