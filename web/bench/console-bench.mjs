// Console figures for BENCHMARKS.md, against a real pushd (bin/pushd, or
// PUSHD_BIN with PUSHD_CONSOLE_DIR) in Debian's chromium:
//   node bench/console-bench.mjs size               initial JavaScript, gzipped
//   node bench/console-bench.mjs interactive [runs]   overview interactive time
//   node bench/console-bench.mjs memory [minutes]     live chart heap over time
// `memory` keeps an overview open with a simulated device acknowledging a
// push every 2 s (sent from a second tab), so the chart and the live
// numbers move every second, and samples the overview's JS heap after a
// forced garbage collection each minute.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { api, createApp, launchBrowser, login, newPage, root, startPushd } from "../e2e/harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [mode = "size", arg] = process.argv.slice(2);

function initialJS(distDir) {
  // What the browser must fetch before the first page can run: the entry
  // script and the chunks index.html preloads. Lazy pages are not in it.
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0, gz = 0;
  for (const f of files) {
    const b = readFileSync(join(distDir, f));
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  return { files, raw, gz };
}

async function main() {
  if (mode === "size") {
    const dist = process.env.PUSHD_CONSOLE_DIR || join(here, "..", "dist");
    const r = initialJS(dist);
    console.log(`initial JS: ${r.files.length} files, ${(r.raw / 1024).toFixed(1)} KB raw, ${(r.gz / 1024).toFixed(1)} KB gzipped`);
    return;
  }
  const pushd = await startPushd();
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    await login(page, pushd.url);
    const app = await createApp(page, "bench");
    if (mode === "interactive") {
      // Time from navigation start until the day's numbers are on screen
      // and the live section has its first frame (both need pushd answers).
      const runs = Number(arg ?? 10);
      const times = [];
      for (let i = 0; i < runs + 1; i++) {
        await page.goto(pushd.url + `/apps/${app.id}`);
        await page.locator("section[aria-label='Last 24 hours'] dl.funnel").first().waitFor();
        await page.locator("section[aria-label=Live] dl[data-at]").waitFor();
        const t = await page.evaluate(() => performance.now());
        if (i > 0) times.push(t); // the first load warms pushd's caches
      }
      times.sort((a, b) => a - b);
      const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(0);
      console.log(`overview interactive over ${runs} loads: median ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms`);
      return;
    }
    if (mode === "memory") {
      const minutes = Number(arg ?? 60);
      const bin = process.env.PUSHD_BIN || join(root, "bin", "pushd");
      const device = spawn(bin, ["device", "-url", pushd.url, "-app-key", app.appKey, "-open"], { stdio: ["ignore", "pipe", "inherit"] });
      const deviceID = await new Promise((resolve) => {
        device.stdout.once("data", (d) => resolve(JSON.parse(String(d).split("\n")[0]).deviceID));
      });
      await page.goto(pushd.url + `/apps/${app.id}`);
      await page.locator("section[aria-label=Live] dl[data-at]").waitFor();
      // The pushes go from another tab: requests made by the measured page
      // would leave their own traces (resource timings, DevTools network
      // records) in its heap.
      const driver = await newPage(browser);
      await driver.context().addCookies(await page.context().cookies());
      await driver.goto(pushd.url + "/apps");
      const sender = setInterval(() => {
        api(driver, `mutation($in: PushSimpleInput!) { pushSimple(input: $in) { id } }`, {
          in: { appID: app.id, target: { deviceIDs: [deviceID] }, message: { title: "tick", body: "bench" } },
        }).catch((e) => console.error("push failed:", e.message));
      }, 2000);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Performance.enable");
      const sample = async () => {
        await cdp.send("HeapProfiler.collectGarbage");
        const { metrics } = await cdp.send("Performance.getMetrics");
        const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
        const frames = await page.locator("section[aria-label=Live] dl").getAttribute("data-at");
        return { heapMB: m.JSHeapUsedSize / 1048576, nodes: m.Nodes, listeners: m.JSEventListeners, frame: frames };
      };
      const samples = [];
      for (let i = 0; i <= minutes; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 60_000));
        const s = await sample();
        samples.push(s);
        console.log(`minute ${String(i).padStart(3)}: heap ${s.heapMB.toFixed(2)} MB, DOM nodes ${s.nodes}, listeners ${s.listeners}, last frame ${s.frame}`);
      }
      clearInterval(sender);
      device.kill();
      const first = samples[1] ?? samples[0], last = samples[samples.length - 1];
      const max = Math.max(...samples.map((s) => s.heapMB));
      console.log(`heap after minute 1: ${first.heapMB.toFixed(2)} MB; at the end: ${last.heapMB.toFixed(2)} MB; max ${max.toFixed(2)} MB; DOM nodes ${first.nodes} → ${last.nodes}`);
      return;
    }
    throw new Error(`unknown mode ${mode}`);
  } finally {
    await browser.close();
    pushd.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
