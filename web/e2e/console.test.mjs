// End-to-end tests of the console in a real browser: Debian's chromium,
// driven by playwright-core (nothing downloads a browser), against a real
// pushd (bin/pushd, embedded mode, built with this console). Screenshots of
// every page go to e2e/screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, "screenshots");
const admin = { email: "console@example.com", password: "console-pass-123" };
let pushd, base, browser, dataDir;

async function startPushd() {
  dataDir = mkdtempSync(join(tmpdir(), "pushd-e2e-"));
  const bin = process.env.PUSHD_BIN || join(here, "..", "..", "bin", "pushd");
  const proc = spawn(bin, ["serve"], {
    env: {
      ...process.env,
      PUSHD_DATA_DIR: dataDir,
      PUSHD_HTTP_ADDR: "127.0.0.1:0",
      PUSHD_ADMIN_EMAIL: admin.email,
      PUSHD_ADMIN_PASSWORD: admin.password,
      PUSHD_LOG_LEVEL: "info",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error("pushd did not start:\n" + log)), 30_000);
    proc.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/msg="pushd listening" addr=(\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve("http://" + m[1]);
      }
    });
    proc.on("exit", (code) => reject(new Error(`pushd exited (${code}):\n${log}`)));
  });
  return { proc, url };
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  ({ proc: pushd, url: base } = await startPushd());
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox"],
  });
});

after(async () => {
  await browser?.close();
  pushd?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("log in, see the apps, create one through the API and see it listed", async () => {
  const page = await browser.newPage();
  const problems = [];
  // A refused login is a 401 on purpose; a CSP violation or a script error is not.
  page.on("console", (m) => m.type() === "error" && !/status of 401/.test(m.text()) && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));

  await page.goto(base + "/apps");
  await page.waitForURL(/\/login$/); // not logged in: sent to the login page
  await page.screenshot({ path: join(shots, "login.png") });

  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").innerText(), /log in again/i);

  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Apps" }).waitFor();
  await page.getByText("No apps yet.").waitFor();

  const created = await page.evaluate(async () => {
    const csrf = document.cookie.match(/(?:^|;\s*)pushd_csrf=([^;]+)/)[1];
    const res = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Pushd-CSRF": decodeURIComponent(csrf) },
      body: JSON.stringify({ query: 'mutation { createApp(input: {name: "demo"}) { id } }' }),
    });
    return (await res.json()).data.createApp.id;
  });
  assert.ok(created);
  await page.reload();
  await page.getByRole("link", { name: "demo" }).waitFor();
  await page.screenshot({ path: join(shots, "apps.png") });

  // The app's overview: the day's numbers and a live frame over graphql-ws.
  await page.getByRole("link", { name: "demo" }).click();
  await page.waitForURL(new RegExp(`/apps/${created}$`));
  await page.getByRole("heading", { name: "demo" }).waitFor();
  const live = page.getByRole("region", { name: "Live" });
  await live.locator("dl[data-at]").waitFor();
  const first = await live.locator("dl").getAttribute("data-at");
  await page.waitForFunction(
    (at) => document.querySelector("section[aria-label=Live] dl")?.getAttribute("data-at") !== at,
    first,
  ); // frames keep coming
  await page.screenshot({ path: join(shots, "overview.png") });
  await page.goBack();
  await page.getByRole("heading", { name: "Apps" }).waitFor(); // the back button works
  assert.deepEqual(problems, [], "no console errors (CSP violations and missing files show here)");
});
