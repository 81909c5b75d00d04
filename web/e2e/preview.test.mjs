// The composer's phone mock-ups in a real browser: a long Chinese title
// and body on iOS, Android and HarmonyOS, collapsed and expanded, with the
// warnings where each system cuts them; the image as a tile that loads
// nothing; the badge; a silent push; Chinese texts; dark mode; a
// template's preview; axe finds nothing serious in the mock-up.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { api, consoleSuite, createApp, login, newPage, shot, shots } from "./harness.mjs";

const suite = consoleSuite();

const axeSource = readFileSync(new URL("../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

// 30 Chinese characters: 60 columns, more than any title line holds.
const title = "【限时优惠】您关注的商品今日降价，立即查看详情并领取专属优惠券吧";
// About 200 Chinese characters and some Latin: more than 7 expanded lines
// on any of the three.
const body =
  "亲爱的用户，您好！您在 Acme Shop 收藏的商品正在参加年终大促，全场满 299 元减 50 元，部分商品低至五折。" +
  "活动时间有限，库存有限，先到先得。点击通知即可查看详情，优惠券已经放入您的账户，下单时自动抵扣。" +
  "如果您不想再收到此类消息，可以在应用的设置中关闭营销推送。感谢您一直以来的支持，祝您购物愉快，生活美满！" +
  "另外，会员日当天下单还可以获得双倍积分，积分可用于兑换礼品或抵扣运费，详情请见会员中心。";

// phone is the mock-up of a platform ("iOS", "Android", "HarmonyOS").
const phone = (page, name) => page.getByRole("figure", { name: `Notification on ${name}` });

async function pick(page, group, name) {
  const button = page.getByRole("group", { name: group, exact: true }).getByRole("button", { name, exact: true });
  await button.click();
  assert.equal(await button.getAttribute("aria-pressed"), "true");
}

// cut tells whether the element's text overflows what shows (the ellipsis
// or the line clamp is at work).
const cut = (locator) => locator.evaluate((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);

async function previewShot(page, name) {
  await page.locator(".send-preview").screenshot({ path: join(shots, name + ".png") });
}

async function axe(page) {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(".phone-preview", { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
  });
  assert.deepEqual(found, [], "axe finds nothing serious in the mock-up");
}

test("the notification on three phones, with what each cuts", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  const elsewhere = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(base)) elsewhere.push(r.url());
  });
  await login(page, base);
  const app = await createApp(page, "phone previews");

  await page.goto(`${base}/apps/${app.id}/send`);
  await page.getByRole("heading", { name: "Send a push" }).waitFor();
  // Before anything is typed the phone says where the text will go.
  await phone(page, "iOS").getByText("The title and body show here.").waitFor();
  await previewShot(page, "preview-empty");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Body").fill(body);
  await page.getByText("Advanced").click();
  await page.getByLabel("Badge").fill("5");
  await page.getByLabel("Image URL").fill("https://cdn.example.com/banners/sale.png");

  const preview = page.getByTestId("preview");
  await page.waitForFunction((t) => document.querySelector("[data-testid=preview] .preview-title")?.textContent === t, title);
  assert.equal(await preview.locator(".preview-body").textContent(), body, "the whole body is there; CSS cuts what shows");

  // iOS, the first: title on one line, body in 4, a thumbnail, the badge.
  const ios = phone(page, "iOS");
  await ios.waitFor();
  assert.ok(await cut(preview.locator(".preview-title")), "the title ends in an ellipsis");
  assert.ok(await cut(preview.locator(".preview-body")), "the body is clamped");
  assert.equal(await preview.locator(".preview-body").evaluate((el) => getComputedStyle(el).webkitLineClamp), "4");
  await ios.getByRole("img", { name: "Image from cdn.example.com" }).waitFor();
  assert.equal(await ios.locator(".note-image").innerText(), "cdn.example.com");
  assert.equal(await ios.locator(".note-badge").innerText(), "5");
  await ios.getByText("The app icon shows 5").waitFor({ state: "attached" });
  await page.getByText(/^The title is cut after about \d+ characters on iOS\.$/).waitFor();
  await page.getByText(/^The body is cut after about \d+ characters on iOS\.$/).waitFor();
  await page.getByText("The console does not load the image; a tile stands where the phone shows it.").waitFor();
  assert.equal(await page.getByRole("group", { name: "Notification view" }).count(), 0, "iOS has one view");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "preview-ios");
  await previewShot(page, "preview-ios-phone");
  await axe(page);

  // Android: collapsed to one line, a dot on the icon; expanded: 7 lines
  // and the picture below.
  await pick(page, "Platform", "Android");
  const android = phone(page, "Android");
  await android.waitFor();
  assert.equal(await ios.count(), 0, "one phone at a time");
  assert.equal(await page.getByRole("group", { name: "Notification view" }).getByRole("button", { name: "Collapsed" }).getAttribute("aria-pressed"), "true");
  assert.equal(await preview.locator(".preview-body").evaluate((el) => getComputedStyle(el).webkitLineClamp), "1");
  await android.locator(".note-dot").waitFor();
  assert.equal(await android.locator(".note-badge").count(), 0);
  await android.getByText("The app icon shows a dot").waitFor({ state: "attached" });
  await page.getByText(/^Collapsed, the body is cut after about \d+ characters on Android\.$/).waitFor();
  await page.getByText(/^The title is cut after about \d+ characters on Android\.$/).waitFor();
  await shot(page, "preview-android");
  await previewShot(page, "preview-android-phone");
  await pick(page, "Notification view", "Expanded");
  assert.equal(await preview.locator(".preview-body").evaluate((el) => getComputedStyle(el).webkitLineClamp), "7");
  await android.locator(".note-image-big").waitFor();
  await page.getByText(/^Even expanded, the body is cut after about \d+ characters on Android\.$/).waitFor();
  await previewShot(page, "preview-android-expanded");
  await axe(page);

  // HarmonyOS keeps the view that was picked; its badge is a number.
  await pick(page, "Platform", "HarmonyOS");
  const harmony = phone(page, "HarmonyOS");
  await harmony.waitFor();
  assert.equal(await harmony.getAttribute("data-view"), "expanded");
  assert.equal(await harmony.locator(".note-badge").innerText(), "5");
  await page.getByText(/^Even expanded, the body is cut after about \d+ characters on HarmonyOS\.$/).waitFor();
  await pick(page, "Notification view", "Collapsed");
  await harmony.locator(".note-image:not(.note-image-big)").waitFor();
  await page.getByText(/^Collapsed, the body is cut after about \d+ characters on HarmonyOS\.$/).waitFor();
  await shot(page, "preview-harmony");
  await previewShot(page, "preview-harmony-phone");

  // A short text: no warning, on any platform.
  await page.getByLabel("Title").fill("Hello from the console");
  await page.getByLabel("Body").fill("Short.");
  await page.getByText("Hello from the console", { exact: true }).waitFor();
  assert.equal(await page.locator(".phone-warning").count(), 0);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Body").fill(body);

  // Dark mode follows the computer.
  const card = () => preview.evaluate((el) => getComputedStyle(el).backgroundColor);
  const light = await card();
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForFunction((l) => getComputedStyle(document.querySelector("[data-testid=preview]")).backgroundColor !== l, light);
  for (const name of ["iOS", "Android", "HarmonyOS"]) {
    await pick(page, "Platform", name);
    await previewShot(page, `preview-${name.toLowerCase()}-dark`);
  }
  await axe(page);
  await page.emulateMedia({ colorScheme: "light" });

  // A silent push shows nothing, and says so.
  await page.getByLabel("Silent").check();
  await phone(page, "HarmonyOS").getByText("Silent: nothing is shown, the app gets the payload.").waitFor();
  assert.equal(await page.locator(".note").count(), 0);
  assert.equal(await page.locator(".phone-warning").count(), 0);
  await page.getByLabel("Silent").uncheck();

  // In Chinese.
  await page.evaluate(() => localStorage.setItem("pushd.language", "zh-CN"));
  await page.reload();
  await page.getByLabel("标题", { exact: true }).fill(title);
  await page.getByLabel("正文", { exact: true }).fill(body);
  await page.getByRole("figure", { name: "iOS 上的通知" }).waitFor();
  await page.getByText(/^在 iOS 上，标题约 \d+ 个字符后会被截断。$/).waitFor();
  await page.getByText(/^在 iOS 上，正文约 \d+ 个字符后会被截断。$/).waitFor();
  await pick(page, "平台", "HarmonyOS");
  await page.getByText(/^在 HarmonyOS 上，折叠时正文约 \d+ 个字符后会被截断。$/).waitFor();
  await previewShot(page, "preview-harmony-zh");
  await page.evaluate(() => localStorage.removeItem("pushd.language"));

  assert.deepEqual(elsewhere, [], "nothing loads from elsewhere (the image is a tile)");
  page.assertClean();
});

test("a template's preview is on the phone too, missing variables marked", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "template previews");
  await api(page, `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`, {
    input: { appID: app.id, name: "sale", title: "{{name}}，您的专属优惠到了：全场满 299 元减 50 元", body: "优惠码 {{code}}，有效期至本周日。" + "数量有限，先到先得。".repeat(4), defaults: { code: "SALE50" } },
  });
  await page.goto(`${base}/apps/${app.id}/send?mode=template&template=sale`);
  const preview = page.getByTestId("preview");
  await preview.getByText("{{name}}").waitFor(); // no value yet: marked
  await page.getByLabel("name", { exact: true }).pressSequentially("王小明");
  await page.waitForFunction(() => document.querySelector("[data-testid=preview] .preview-title")?.textContent?.startsWith("王小明，"));
  await page.getByText(/^The title is cut after about \d+ characters on iOS\.$/).waitFor();
  await pick(page, "Platform", "Android");
  await page.getByText(/^Collapsed, the body is cut after about \d+ characters on Android; expanded, it shows in full\.$/).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "preview-template");
  page.assertClean();
});
