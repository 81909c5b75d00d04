// Shared set-up of the console's browser tests: a real pushd (bin/pushd,
// embedded mode, built with this console) on a free port, Debian's
// chromium driven by playwright-core (nothing downloads a browser), a
// logged-in page, and GraphQL calls for arranging data. Each test file
// starts its own pushd, so files run side by side without sharing state.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const shots = join(here, "screenshots");
export const root = join(here, "..", "..");
export const admin = { email: "console@example.com", password: "console-pass-123" };

// startPushd runs `pushd serve` on the embedded default and resolves with
// its base URL once it listens.
export async function startPushd(extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "pushd-e2e-"));
  const bin = process.env.PUSHD_BIN || join(root, "bin", "pushd");
  const proc = spawn(bin, ["serve"], {
    env: {
      ...process.env,
      PUSHD_DATA_DIR: dataDir,
      PUSHD_HTTP_ADDR: "127.0.0.1:0",
      PUSHD_ADMIN_EMAIL: admin.email,
      PUSHD_ADMIN_PASSWORD: admin.password,
      PUSHD_LOG_LEVEL: "info",
      ...extraEnv,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const url = await new Promise((resolve, reject) => {
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
  return {
    url,
    log: () => log,
    stop() {
      proc.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  mkdirSync(shots, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

// consoleSuite starts one pushd and one browser for a test file's tests
// and stops both after them; the tests read suite.pushd and suite.browser.
export function consoleSuite() {
  const suite = { pushd: undefined, browser: undefined };
  before(async () => {
    suite.pushd = await startPushd();
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    suite.pushd?.stop();
  });
  return suite;
}

// newPage opens a page at a laptop's size that records console errors and
// script errors; call page.assertClean() at the end of a test. A refused
// login (401) is expected where a test asks for it.
export async function newPage(browser, { allow = [] } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const t = m.text();
    if (allow.some((re) => re.test(t))) return;
    problems.push(t);
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.assertClean = () => assert.deepEqual(problems, [], "no console errors (CSP violations and missing files show here)");
  return page;
}

// login logs the page in through the form.
export async function login(page, base, who = admin) {
  await page.goto(base + "/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Apps" }).waitFor();
}

// api runs a GraphQL operation in the page, on its console session, and
// returns data (it throws on errors): for arranging what a test needs.
export async function api(page, query, variables = {}) {
  const body = await page.evaluate(
    async ([query, variables]) => {
      const m = document.cookie.match(/(?:^|;\s*)pushd_csrf=([^;]+)/);
      const res = await fetch("/graphql", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Pushd-CSRF": m ? decodeURIComponent(m[1]) : "" },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    },
    [query, variables],
  );
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export async function createApp(page, name) {
  const d = await api(page, "mutation($n: String!) { createApp(input: {name: $n}) { id appKey } }", { n: name });
  return d.createApp;
}

// shot saves a full-page screenshot as a test artifact.
export async function shot(page, name) {
  await page.screenshot({ path: join(shots, name + ".png"), fullPage: true });
}

// registerDevice registers a device through the device API (what an app's
// SDK does) and returns {deviceID, deviceToken}. tokens: {apns, fcm, huawei,
// xiaomi} vendor tokens, optional.
export async function registerDevice(base, appKey, { installationID, platform = "ANDROID", appVersion = "1.0.0", tokens } = {}) {
  const res = await fetch(base + "/device/v1/register", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ appKey, installationID: installationID ?? `inst-${Math.random().toString(36).slice(2)}`, platform, appVersion, tokens }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`register: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

// startFakes runs pushd-fakes (TLS fakes of APNs, FCM, Huawei and Xiaomi: a
// binary of their own, PUSHD_FAKES_BIN, by default the pushd-fakes beside
// PUSHD_BIN, since the pushd binary leaves them out) and resolves with {env, dir, creds, stop}: env points a pushd at them (pass
// it to startPushd), creds holds each fake's credentials
// ("apns-sandbox", "apns-production", "fcm", "huawei", "xiaomi"), and dir
// has them as files, with the APNs keys also as .p8 files and the FCM
// service account as fcm-service-account.json, for upload fields.
export async function startFakes() {
  const dir = mkdtempSync(join(tmpdir(), "pushd-fakes-"));
  const pushdBin = process.env.PUSHD_BIN || join(root, "bin", "pushd");
  const bin = process.env.PUSHD_FAKES_BIN || join(dirname(pushdBin), "pushd-fakes");
  const proc = spawn(bin, ["-dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const env = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("fakes did not start:\n" + out)), 30_000);
    proc.stdout.on("data", (chunk) => {
      out += chunk;
      if (!out.includes("Ctrl-C")) return;
      clearTimeout(timer);
      resolve(Object.fromEntries([...out.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1], m[2]])));
    });
    proc.on("exit", (code) => reject(new Error(`fakes exited (${code}):\n${out}`)));
  });
  const { readFileSync, writeFileSync } = await import("node:fs");
  const creds = {};
  for (const name of ["apns-sandbox", "apns-production", "fcm", "huawei", "xiaomi"]) {
    creds[name] = JSON.parse(readFileSync(join(dir, name + ".json"), "utf8"));
  }
  writeFileSync(join(dir, "apns-sandbox.p8"), creds["apns-sandbox"].keyP8);
  writeFileSync(join(dir, "apns-production.p8"), creds["apns-production"].keyP8);
  if (creds.fcm.serviceAccountJSON) writeFileSync(join(dir, "fcm-service-account.json"), creds.fcm.serviceAccountJSON);
  return {
    env,
    dir,
    creds,
    // fillAPNsSandbox fills the console's APNs form (the region) with the
    // sandbox fake's token credentials, the .p8 uploaded as a file.
    async fillAPNsSandbox(form) {
      const c = creds["apns-sandbox"];
      await form.getByLabel("Sandbox").check();
      await form.getByLabel("Topic (bundle ID)").fill(c.topic);
      await form.getByLabel(".p8 key file").setInputFiles(join(dir, "apns-sandbox.p8"));
      await form.getByText("Key read").waitFor();
      await form.getByLabel("Key ID").fill(c.keyID);
      await form.getByLabel("Team ID").fill(c.teamID);
    },
    stop() {
      proc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
