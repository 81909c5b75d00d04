// Every page of the console, in both languages, on a phone (360 px) and a
// laptop (1280 px), and once more in dark mode: the page is never wider
// than the window, the app's sections open from the menu button on a
// phone, the top bar keeps everything reachable, axe-core finds nothing
// serious or critical, and a Chinese page says so (<html lang>) and is in
// Chinese. One pushd (with the vendor fakes, for a configured channel), one
// browser, one page walked through all of it; every finding is gathered and
// asserted at the end, so one run lists them all (also in
// screenshots/walk-findings.json, next to the screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { api, createApp, launchBrowser, login, newPage, registerDevice, shot, shots, startFakes, startPushd } from "./harness.mjs";

// axe-core goes in through the DevTools protocol (page.evaluate), which the
// console's CSP (script-src 'self') does not apply to; a <script> tag
// (page.addScriptTag) would be refused, and bypassing the CSP would hide
// the violations newPage reports.
const axeSource = readFileSync(new URL("../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

let fakes, pushd, browser;

before(async () => {
  fakes = await startFakes();
  // The webhook posts to loopback (nobody listens: its attempts fail),
  // which pushd refuses unless told.
  pushd = await startPushd({ ...fakes.env, PUSHD_WEBHOOK_ALLOW_PRIVATE: "true" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  pushd?.stop();
  fakes?.stop();
});

// arrange makes an app with one of everything its pages list, and returns
// the IDs the detail pages need.
async function arrange(page, base) {
  const app = await createApp(page, "Acme Shop");
  const a = app.id;
  await api(page, "mutation($i: SetChannelConfigInput!) { setChannelConfig(input: $i) { id } }", { i: { appID: a, apns: fakes.creds["apns-sandbox"] } });
  const device = await registerDevice(base, app.appKey, { platform: "IOS", appVersion: "2.4.1", tokens: { apns: "ab".repeat(32) } });
  await api(page, 'mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: "customer-1042"}) { id } }', { d: device.deviceID });
  await api(page, 'mutation($d: ID!) { setDeviceTags(deviceID: $d, tags: ["region:eu", "城市:上海"]) { id } }', { d: device.deviceID });
  const users = await api(page, "query($a: ID!) { appUsers(where: {appID: $a}, first: 5) { edges { node { id } } } }", { a });
  await api(page, "mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }", {
    i: { appID: a, name: "beta testers", description: "People who try new features first", memberIDs: users.appUsers.edges.map((e) => e.node.id) },
  });
  await api(page, 'mutation($a: ID!) { createTemplate(input: {appID: $a, name: "order-shipped", title: "Order {{order}} shipped", body: "Hello {{name}}, your parcel is on its way."}) { id } }', { a });
  await api(page, 'mutation($a: ID!) { createAPIKey(input: {appID: $a, name: "order service", algorithm: HMAC_SHA256}) { secret } }', { a });
  await api(page, 'mutation($a: ID!) { createWebhook(input: {appID: $a, url: "http://127.0.0.1:9/pushd/receipts"}) { secret } }', { a });
  await api(page, 'mutation($a: ID!) { inviteMember(input: {appID: $a, email: "new.colleague@example.com", role: DEVELOPER}) { id } }', { a });
  await api(page, 'mutation { createAccount(input: {email: "ops@example.com", password: "ops-pass-12345"}) { id } }');
  const { pushSimple: job } = await api(page, "mutation($i: PushSimpleInput!) { pushSimple(input: $i) { id } }", {
    i: { appID: a, target: { deviceIDs: [device.deviceID] }, message: { title: "Your order shipped", body: "Parcel 42 is on its way." } },
  });
  return { app: a, device: device.deviceID, job: job.id };
}

// routes are the console's pages (web/src/main.tsx). latinHeading says why
// a page's main heading has no Chinese in Chinese (the brand, the app's
// name, a term Chinese consoles keep in English): there the rest of the
// page must be in Chinese instead.
function routes(ids) {
  const app = (s) => `/apps/${ids.app}${s ? "/" + s : ""}`;
  return [
    { name: "login", path: "/login", latinHeading: "the brand, pushd" },
    { name: "apps", path: "/apps" },
    { name: "explorer", path: "/explorer", ready: ".graphiql-container" },
    { name: "accounts", path: "/accounts" },
    { name: "account", path: "/account" },
    { name: "invitations", path: "/invitations" },
    { name: "overview", path: app(""), latinHeading: "the app's name" },
    { name: "analytics", path: app("analytics") },
    { name: "send", path: app("send") },
    { name: "jobs", path: app("jobs") },
    { name: "job", path: app(`jobs/${ids.job}`) },
    { name: "devices", path: app("devices") },
    { name: "device", path: app(`devices/${ids.device}`) },
    { name: "users", path: app("users") },
    { name: "groups", path: app("groups") },
    { name: "templates", path: app("templates") },
    { name: "keys", path: app("keys") },
    { name: "channels", path: app("channels") },
    { name: "webhooks", path: app("webhooks"), latinHeading: "Webhook, kept as it is in Chinese" },
    { name: "settings", path: app("settings") },
    { name: "audit", path: app("audit") },
  ].map((r) => ({ ...r, appPage: r.path.startsWith("/apps/") }));
}

const han = /[\u3400-\u9fff]/;

// settle waits for the page's heading and for every "Loading…" to be gone.
async function settle(page, route) {
  await page.waitForFunction(
    (ready) => document.querySelector(ready) && !document.querySelector("main [aria-busy='true']"),
    route.ready ?? "main h1",
    { timeout: 15_000 },
  );
}

// overflow says whether the page is wider than the window and, if so, the
// innermost elements that stick out (not those inside a scrolling box).
function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.scrollingElement.scrollWidth;
    if (scrollWidth <= width) return null;
    // Inside a box that scrolls or clips (and within the window) is fine,
    // unless the element is positioned out of it (an absolute element
    // escapes a box that is not positioned).
    const clipped = (el) => {
      if (["absolute", "fixed"].includes(getComputedStyle(el).position)) return false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible" && p.getBoundingClientRect().right <= width + 1) return true;
      }
      return false;
    };
    const out = [...document.body.querySelectorAll("*")].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > width + 1 && !clipped(el) && ![...el.children].some((c) => c.getBoundingClientRect().right > width + 1);
    });
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
    return { scrollWidth, width, culprits: [...new Set(out.slice(0, 8).map((el) => `${describe(el.parentElement)} > ${describe(el)} (right ${Math.round(el.getBoundingClientRect().right)})`))] };
  });
}

// offscreen lists the top bar's controls that are hidden or stick out of
// the window sideways.
function offscreen(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const wanted = [".topbar .brand", ".topbar .switcher select", ".topbar .topnav a", ".topbar select.language", ".topbar .account a", ".topbar .account button"];
    const bad = [];
    for (const sel of wanted) {
      for (const el of document.querySelectorAll(sel)) {
        const r = el.getBoundingClientRect();
        const shown = r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
        if (!shown || r.left < -1 || r.right > width + 1) bad.push(`${sel} "${el.textContent.trim().slice(0, 30)}" ${shown ? `at ${Math.round(r.left)}–${Math.round(r.right)}` : "hidden"}`);
      }
    }
    return bad;
  });
}

// GraphiQL's own markup (the explorer) fails two rules that the console
// cannot fix from outside; they are counted apart, not as findings
// (upstream: github.com/graphql/graphiql/issues/3422).
const graphiql = [
  // A tab (li role=tab) holds its close button.
  { rule: "nested-interactive", html: /class="graphiql-tab\b/ },
  // CodeMirror scrolls a box that is not focusable itself; its hidden
  // textarea has the focus and moving the cursor scrolls it.
  { rule: "scrollable-region-focusable", html: /class="CodeMirror-scroll"/ },
];
const tolerated = {}; // rule -> count of elements

// axe runs axe-core on the page and returns its serious and critical
// violations.
async function axe(page, options = {}) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (options) => {
    const r = await window.axe.run(document, { resultTypes: ["violations"], ...options });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })) }));
  }, options);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => {
      const nodes = v.nodes.filter((n) => !graphiql.some((g) => g.rule === v.id && g.html.test(n.html)));
      if (nodes.length < v.nodes.length) tolerated[v.id] = (tolerated[v.id] ?? 0) + v.nodes.length - nodes.length;
      return { ...v, nodes };
    })
    .filter((v) => v.nodes.length > 0);
}

// menu checks the app's sections on a phone: hidden, opened by the menu
// button, every section on screen, closed again.
async function menu(page, say, name) {
  const button = page.locator(".menu-button");
  const nav = page.locator("nav#app-sections");
  if (!(await button.isVisible())) return say("menu button not shown");
  if ((await button.getAttribute("aria-expanded")) !== "false") say("menu button not aria-expanded=false at first");
  if (await nav.isVisible()) say("sections shown before the menu is opened");
  await button.click();
  if ((await button.getAttribute("aria-expanded")) !== "true") say("menu button not aria-expanded=true when open");
  await nav.waitFor({ state: "visible", timeout: 2000 }).catch(() => say("sections not shown by the menu button"));
  const outside = await nav.evaluate((n) =>
    [...n.querySelectorAll("a")].filter((a) => {
      const r = a.getBoundingClientRect();
      return r.width === 0 || r.left < 0 || r.right > window.innerWidth + 1;
    }).length,
  );
  if (outside) say(`${outside} section links off screen in the open menu`);
  const wide = await overflow(page);
  if (wide) say(`open menu widens the page to ${wide.scrollWidth}px`);
  if (name) await shot(page, name);
  await button.click();
  await nav.waitFor({ state: "hidden", timeout: 2000 }).catch(() => say("menu does not close"));
}

test("every page, both languages, phone and laptop, light and dark", { timeout: 900_000 }, async () => {
  const started = Date.now();
  const base = pushd.url;
  const page = await newPage(browser);
  await login(page, base);
  const ids = await arrange(page, base);
  const findings = []; // {page, lang, width, scheme, problem}
  const violations = {}; // rule -> count of page visits with it
  const spent = { load: 0, checks: 0, axe: 0, shot: 0 }; // ms, where the time goes
  let mark = Date.now();
  const lap = (k) => {
    const now = Date.now();
    spent[k] += now - mark;
    mark = now;
  };

  async function visit(route, { lang, width, scheme }) {
    const say = (problem) => findings.push({ page: route.name, lang, width, scheme, problem });
    mark = Date.now();
    await page.goto(base + route.path);
    try {
      await settle(page, route);
    } catch {
      say("did not finish loading (no heading, or still loading)");
    }
    lap("load");
    const wide = await overflow(page);
    if (wide) say(`page ${wide.scrollWidth}px wide in a ${wide.width}px window: ${wide.culprits.join("; ")}`);
    if (scheme === "light") {
      const htmlLang = await page.evaluate(() => document.documentElement.lang);
      if (htmlLang !== lang) say(`<html lang="${htmlLang}">`);
      if (lang === "zh-CN") {
        const whole = Boolean(route.latinHeading);
        const text = await page.evaluate((whole) => document.querySelector(whole ? "main" : "main h1")?.textContent ?? "", whole);
        if (!han.test(text)) say(`no Chinese in the ${whole ? "page" : "main heading"}: "${text.slice(0, 60)}"`);
      }
      if (width < 800) {
        for (const b of await offscreen(page)) say(`top bar: ${b}`);
        if (route.appPage) await menu(page, say, route.name === "overview" ? `walk-menu-${lang}-${width}` : undefined);
        else if (await page.locator(".menu-button").isVisible()) say("menu button shown outside an app");
      } else if (route.appPage) {
        if (await page.locator(".menu-button").isVisible()) say("menu button shown on a wide screen");
        if (!(await page.locator("nav#app-sections").isVisible())) say("sections hidden on a wide screen");
      }
    }
    lap("checks");
    const found = await axe(page, scheme === "dark" ? { runOnly: ["color-contrast"] } : {});
    lap("axe");
    for (const v of found) {
      violations[v.id] = (violations[v.id] ?? 0) + 1;
      say(`axe ${v.impact} ${v.id}: ${v.nodes.slice(0, 4).map((n) => n.target).join(" | ")}${v.nodes.length > 4 ? ` (+${v.nodes.length - 4})` : ""}`);
    }
    await shot(page, `walk-${route.name}-${lang}-${width}${scheme === "dark" ? "-dark" : ""}`);
    lap("shot");
  }

  // WALK_PAGES=devices,send walks only those pages (when fixing them).
  const only = process.env.WALK_PAGES?.split(",");
  const all = routes(ids).filter((r) => !only || only.includes(r.name));
  const walks = [
    ...["en", "zh-CN"].flatMap((lang) => [360, 1280].map((width) => ({ lang, width, scheme: "light" }))),
    { lang: "en", width: 1280, scheme: "dark" },
  ];
  for (const w of walks) {
    await page.evaluate((lang) => localStorage.setItem("pushd.language", lang), w.lang);
    await page.setViewportSize({ width: w.width, height: w.width < 800 ? 780 : 800 });
    await page.emulateMedia({ colorScheme: w.scheme });
    const t0 = Date.now();
    for (const route of all) await visit(route, w);
    console.log(`walk ${w.lang} ${w.width} ${w.scheme}: ${all.length} pages in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`  ${Object.entries(spent).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(", ")} so far`);
  }

  // The language picker switches a page in place.
  await page.evaluate(() => localStorage.removeItem("pushd.language"));
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`${base}/apps/${ids.app}/devices`);
  await page.locator("select.language").selectOption("zh-CN");
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
  await page.getByRole("heading", { name: "设备" }).waitFor();
  await page.locator("select.language").selectOption("en");
  await page.getByRole("heading", { name: "Devices" }).waitFor();

  writeFileSync(join(shots, "walk-findings.json"), JSON.stringify({ violations, tolerated, findings }, null, 2));
  console.log(`walk: ${findings.length} findings, axe rules ${JSON.stringify(violations)}, GraphiQL's own ${JSON.stringify(tolerated)}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.deepEqual(
    findings.map((f) => `${f.page} ${f.lang} ${f.width}${f.scheme === "dark" ? " dark" : ""}: ${f.problem}`),
    [],
    "every page fits the window, works from the menu, and axe finds nothing serious",
  );
  page.assertClean();
});
