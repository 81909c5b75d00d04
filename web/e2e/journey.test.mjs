// A console user's whole journey in one browser session against a real pushd
// and the vendor fakes: log in, create an app, create a key and see its
// secret once, configure APNs (the fake), connect a simulated device (the
// Go device client, `pushd device`), compose and send a simple push, watch
// the job reach DONE and the live chart move, and cancel a scheduled push.
// Then a VIEWER sees no way to send.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { api, launchBrowser, login, newPage, registerDevice, root, shot, startFakes, startPushd } from "./harness.mjs";

let fakes, pushd, browser, device;

before(async () => {
  fakes = await startFakes();
  pushd = await startPushd(fakes.env);
  browser = await launchBrowser();
});

after(async () => {
  device?.kill();
  await browser?.close();
  pushd?.stop();
  fakes?.stop();
});

// simulatedDevice runs `pushd device` and resolves once it is connected,
// with its device ID and a way to wait for the events it prints.
async function simulatedDevice(base, appKey) {
  const bin = process.env.PUSHD_BIN || join(root, "bin", "pushd");
  const proc = spawn(bin, ["device", "-url", base, "-app-key", appKey, "-platform", "ANDROID", "-open"], { stdio: ["ignore", "pipe", "inherit"] });
  const events = [];
  const waiters = [];
  createInterface({ input: proc.stdout }).on("line", (line) => {
    events.push(JSON.parse(line));
    for (const w of [...waiters]) w();
  });
  const waitFor = (pred) =>
    new Promise((resolve) => {
      const check = () => {
        const ev = events.find(pred);
        if (!ev) return;
        waiters.splice(waiters.indexOf(check), 1);
        resolve(ev);
      };
      waiters.push(check);
      check();
    });
  const registered = await waitFor((e) => e.event === "registered");
  await waitFor((e) => e.event === "connected");
  return { id: registered.deviceID, waitFor, kill: () => proc.kill() };
}

test("from an empty pushd to a delivered push, in the console", async () => {
  const base = pushd.url;
  const page = await newPage(browser);
  await login(page, base);

  // An app, made in the console.
  await page.getByRole("button", { name: "New app" }).click();
  await page.getByLabel("Name").fill("Acme Shop");
  await page.getByRole("button", { name: "Create app" }).click();
  await page.waitForURL(/\/apps\/[^/]+$/);
  const appID = page.url().split("/").pop();
  const { node } = await api(page, "query($id: ID!) { node(id: $id) { ... on App { appKey } } }", { id: appID });

  // An API key: its secret is shown once.
  await page.getByRole("navigation", { name: "App" }).getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "New API key" }).click();
  await page.getByLabel("Name").fill("order service");
  await page.getByRole("button", { name: "Create key" }).click();
  const created = page.getByRole("region", { name: "New key" });
  await created.getByText("you will not see it again").waitFor();
  const secret = (await created.locator("code").allInnerTexts()).find((t) => t.length >= 32);
  assert.ok(secret, "the secret is on the page");
  await page.reload();
  await page.getByRole("table", { name: "API keys" }).getByRole("cell", { name: "order service", exact: true }).waitFor();
  assert.ok(!(await page.content()).includes(secret), "and never again");

  // APNs through the fake, with the .p8 uploaded.
  await page.getByRole("navigation", { name: "App" }).getByRole("link", { name: "Channels" }).click();
  const apns = page.getByRole("region", { name: "APNs" });
  await apns.getByRole("button", { name: "Set APNs credentials" }).click();
  await fakes.fillAPNsSandbox(apns);
  await apns.getByRole("button", { name: "Save APNs credentials" }).click();
  await apns.getByText("configured", { exact: true }).waitFor();

  // Two devices: a simulated Android one online on the WebSocket channel,
  // and an iPhone reachable only through APNs.
  device = await simulatedDevice(base, node.appKey);
  const iphone = await registerDevice(base, node.appKey, { platform: "IOS", tokens: { apns: "ab".repeat(32) } });
  await page.getByRole("navigation", { name: "App" }).getByRole("link", { name: "Devices" }).click();
  await page.getByRole("link", { name: device.id }).waitFor();
  await page.getByRole("link", { name: iphone.deviceID }).waitFor();
  await shot(page, "journey-devices");

  // The overview is open in a second tab while the push goes out: its
  // live chart must move without a reload.
  const overview = await newPage(browser);
  await overview.context().addCookies(await page.context().cookies());
  await overview.goto(base + `/apps/${appID}`);
  const chart = overview.getByRole("region", { name: "Live" }).getByRole("img");
  await chart.waitFor();
  assert.equal(await chart.getAttribute("data-points"), "0");

  // Compose and send.
  await page.getByRole("navigation", { name: "App" }).getByRole("link", { name: "Send" }).click();
  await page.getByLabel("Device IDs").fill(`${device.id}\n${iphone.deviceID}`);
  await page.getByLabel("Title").fill("Your order shipped");
  await page.getByLabel("Body").fill("Parcel 42 is on its way.");
  await page.getByRole("button", { name: "Send push" }).click();
  await page.waitForURL(/\/jobs\/[^/?]+$/);
  const jobID = page.url().split("/").pop();

  // The device shows it; the job reaches DONE (the simulated device opened
  // it, APNs accepted the other).
  const got = await device.waitFor((e) => e.event === "push");
  assert.equal(got.title, "Your order shipped");
  await page.getByTestId("job-status").getByText("done").waitFor();
  await page.waitForFunction(() => {
    const dl = document.querySelector("dl[aria-label='Deliveries by state']");
    const get = (k) => [...(dl?.querySelectorAll("div") ?? [])].find((d) => d.querySelector("dt")?.textContent === k)?.querySelector("dd")?.textContent;
    return get("Opened") === "1" && get("Sent") === "1";
  });
  assert.equal((await api(page, "query($id: ID!) { node(id: $id) { ... on PushJob { status } } }", { id: jobID })).node.status, "DONE");
  // The funnel counts how far each delivery got (both went out, one arrived
  // and was opened) and agrees with the report's totals and with the API.
  await page.waitForFunction(() => {
    const dl = document.querySelector("dl[aria-label='Funnel']");
    const get = (k) => [...(dl?.querySelectorAll("div") ?? [])].find((d) => d.querySelector("dt")?.textContent === k)?.querySelector("dd")?.textContent;
    return get("Sent") === "2" && get("Arrived") === "1" && get("Opened") === "1";
  });
  const keys = ["Sent", "Arrived", "Opened", "Ignored", "Failed", "Expired"];
  const onPage = await page.evaluate((keys) => {
    const dl = document.querySelector("dl[aria-label='Funnel']");
    const cards = Object.fromEntries([...dl.querySelectorAll("div")].map((d) => [d.querySelector("dt").textContent, d.querySelector("dd").textContent]));
    const table = document.querySelector("table[aria-label='Report by platform']");
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
    const total = [...table.querySelectorAll("tr")].find((tr) => tr.querySelector("td")?.textContent === "Total");
    const cells = [...total.querySelectorAll("td")].map((td) => td.textContent);
    return { cards: keys.map((k) => cards[k]), report: keys.map((k) => cells[heads.indexOf(k)]) };
  }, keys);
  assert.deepEqual(onPage.cards, onPage.report, "the funnel cards are the report's totals");
  const points = (await api(page, "query($id: ID!) { node(id: $id) { ... on PushJob { report { counts { sent arrived opened ignored failed expired } } } } }", { id: jobID })).node.report;
  const sum = (k) => String(points.reduce((n, p) => n + p.counts[k.toLowerCase()], 0));
  assert.deepEqual(onPage.cards, keys.map(sum), "and the API's report");
  await shot(page, "journey-job-done");

  // The live chart moved: two sent in this minute.
  await overview.waitForFunction(() => Number(document.querySelector("section[aria-label=Live] [role=img]")?.getAttribute("data-points")) >= 2);
  await overview.getByRole("region", { name: "Live" }).locator("dl dd").first().getByText("2").waitFor();
  // The day's numbers follow the live ones (reloaded when they change).
  await overview.getByRole("region", { name: "Last 24 hours" }).locator("div").filter({ hasText: /^Sent/ }).getByText("2", { exact: true }).waitFor();
  await shot(overview, "journey-overview-live");
  overview.assertClean();
  await overview.close();

  // A push scheduled for later, then cancelled before it goes.
  await page.getByRole("navigation", { name: "App" }).getByRole("link", { name: "Send" }).click();
  await page.getByLabel("Device IDs").fill(device.id);
  await page.getByLabel("Title").fill("Flash sale tomorrow");
  await page.getByLabel("Body").fill("Starts at nine.");
  await page.getByRole("radiogroup", { name: "When" }).getByLabel("At a time").check();
  const later = new Date(Date.now() + 3 * 3600_000);
  const p = (n) => String(n).padStart(2, "0");
  await page.getByLabel("Send at").fill(`${later.getFullYear()}-${p(later.getMonth() + 1)}-${p(later.getDate())}T${p(later.getHours())}:${p(later.getMinutes())}`);
  await page.getByRole("button", { name: "Schedule push" }).click();
  await page.waitForURL(/\/jobs\/[^/?]+$/);
  await page.getByTestId("job-status").getByText("scheduled").waitFor();
  await page.getByRole("button", { name: "Cancel push" }).click();
  await page.getByRole("dialog", { name: "Cancel this push?" }).getByRole("button", { name: "Cancel push" }).click();
  await page.getByTestId("job-status").getByText("cancelled").waitFor();
  await page.getByRole("navigation", { name: "App" }).getByRole("link", { name: "Pushes" }).click();
  await page.getByRole("link", { name: "Flash sale tomorrow" }).waitFor();
  await shot(page, "journey-jobs");
  page.assertClean();

  // A VIEWER of the app sees the pushes but no way to send one.
  const viewer = { email: "viewer@example.com", password: "viewer-pass-123" };
  const acct = await api(page, "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }", { i: viewer });
  await api(page, "mutation($i: SetMembershipInput!) { setMembership(input: $i) { id } }", { i: { accountID: acct.createAccount.id, appID, role: "VIEWER" } });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const vpage = await context.newPage();
  await login(vpage, base, viewer);
  await vpage.goto(base + `/apps/${appID}/jobs`);
  await vpage.getByRole("link", { name: "Your order shipped" }).waitFor();
  assert.equal(await vpage.getByRole("navigation", { name: "App" }).getByRole("link", { name: "Send" }).count(), 0);
  await vpage.goto(base + `/apps/${appID}/send`);
  await vpage.getByText(/viewers cannot send/i).waitFor();
  assert.equal(await vpage.getByRole("button", { name: "Send push" }).count(), 0);
  await context.close();
});
