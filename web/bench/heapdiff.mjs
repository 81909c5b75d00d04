// Diagnostic for the live chart memory figure: which kinds of heap objects
// grow on an open overview between two snapshots (by V8/Blink type and
// name). Usage: node bench/heapdiff.mjs [minutes] [quiet]; not part of CI.
import { api, createApp, launchBrowser, login, newPage, root, startPushd } from "../e2e/harness.mjs";
import { spawn } from "node:child_process";
import { join } from "node:path";
const minutes = Number(process.argv[2] ?? 3);
const withPushes = process.argv[3] !== "quiet";
const pushd = await startPushd();
const browser = await launchBrowser();
const page = await newPage(browser);
await login(page, pushd.url);
const app = await createApp(page, "diag");
const bin = process.env.PUSHD_BIN || join(root, "bin", "pushd");
const device = spawn(bin, ["device", "-url", pushd.url, "-app-key", app.appKey, "-open"], { stdio: ["ignore", "pipe", "inherit"] });
const deviceID = await new Promise((r) => device.stdout.once("data", (d) => r(JSON.parse(String(d).split("\n")[0]).deviceID)));
await page.goto(pushd.url + `/apps/${app.id}`);
await page.locator("section[aria-label=Live] dl[data-at]").waitFor();
const sender = withPushes && setInterval(() => api(page, `mutation($in: PushSimpleInput!) { pushSimple(input: $in) { id } }`, { in: { appID: app.id, target: { deviceIDs: [deviceID] }, message: { title: "t", body: "b" } } }).catch(() => {}), 2000);
const cdp = await page.context().newCDPSession(page);
async function snapshot() {
  await cdp.send("HeapProfiler.collectGarbage");
  let chunks = [];
  const on = (e) => chunks.push(e.chunk);
  cdp.on("HeapProfiler.addHeapSnapshotChunk", on);
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  cdp.off("HeapProfiler.addHeapSnapshotChunk", on);
  const snap = JSON.parse(chunks.join(""));
  const f = snap.snapshot.meta.node_fields, n = f.length;
  const iType = f.indexOf("type"), iName = f.indexOf("name"), iSize = f.indexOf("self_size");
  const types = snap.snapshot.meta.node_types[0];
  const agg = new Map();
  for (let i = 0; i < snap.nodes.length; i += n) {
    const key = types[snap.nodes[i + iType]] + ":" + snap.strings[snap.nodes[i + iName]].slice(0, 60);
    const a = agg.get(key) ?? { count: 0, size: 0 };
    a.count++; a.size += snap.nodes[i + iSize];
    agg.set(key, a);
  }
  return agg;
}
await new Promise((r) => setTimeout(r, 30_000));
const a = await snapshot();
await new Promise((r) => setTimeout(r, minutes * 60_000));
const b = await snapshot();
const diff = [];
for (const [k, v] of b) {
  const o = a.get(k) ?? { count: 0, size: 0 };
  if (v.size - o.size > 2000 || v.count - o.count > 20) diff.push([k, v.count - o.count, v.size - o.size]);
}
diff.sort((x, y) => y[2] - x[2]);
console.log(`growth over ${minutes} min (${withPushes ? "with" : "without"} pushes):`);
for (const d of diff.slice(0, 30)) console.log(`${String(d[2]).padStart(9)} B ${String(d[1]).padStart(6)} objs  ${d[0]}`);
clearInterval(sender);
device.kill();
await browser.close();
pushd.stop();
