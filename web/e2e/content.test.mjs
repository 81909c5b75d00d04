// Devices, users, groups and templates in a real browser: filters live in
// the URL and survive a reload, a device's detail binds a user, templates
// warn about undeclared placeholders before pushd refuses them, groups
// are made and filled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, consoleSuite, createApp, login, newPage, registerDevice, shot } from "./harness.mjs";

const suite = consoleSuite();

test("devices, device detail, users, templates and groups", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const app = await createApp(page, "content");
  await registerDevice(base, app.appKey, { installationID: "inst-android-1", platform: "ANDROID", tokens: { fcm: "fcm-token-one-0123456789" } });
  await registerDevice(base, app.appKey, { installationID: "inst-android-2", platform: "ANDROID", appVersion: "1.1.0" });
  const ios = await registerDevice(base, app.appKey, {
    installationID: "inst-ios-1",
    platform: "IOS",
    appVersion: "2.0.0",
    tokens: { apns: "apns-token-abcdef0123456789" },
  });
  const rows = page.getByRole("table", { name: "Devices" }).locator("tbody tr");

  // Devices: all three, then only the iPhone, kept in the URL across a reload.
  await page.goto(base + `/apps/${app.id}/devices`);
  await page.getByRole("heading", { name: "Devices" }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll("table[aria-label=Devices] tbody tr").length === 3);
  await page.getByText("FCM", { exact: true }).waitFor();
  await shot(page, "devices");

  await page.getByLabel("Platform").selectOption("IOS");
  await page.waitForURL(/platform=IOS/);
  await page.waitForFunction(() => document.querySelectorAll("table[aria-label=Devices] tbody tr").length === 1);
  await page.reload();
  await page.getByRole("heading", { name: "Devices" }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll("table[aria-label=Devices] tbody tr").length === 1);
  assert.equal(await page.getByLabel("Platform").inputValue(), "IOS");
  assert.match(await rows.first().innerText(), /iOS/);

  // A search by installation ID, with the back button undoing it.
  await page.getByLabel("Device", { exact: true }).fill("android-2");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/q=android-2/);
  await page.getByText("No device matches these filters.").waitFor(); // android-2 is not an iPhone
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll("table[aria-label=Devices] tbody tr").length === 1);
  assert.equal(await page.getByLabel("Device", { exact: true }).inputValue(), "");

  // The start of a device ID, in lower case, finds the device.
  const start = ios.deviceID.slice(0, 12).toLowerCase();
  await page.getByLabel("Device", { exact: true }).fill(start);
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(new RegExp(`q=${start}`));
  await page.waitForFunction(() => document.querySelectorAll("table[aria-label=Devices] tbody tr").length === 1);
  assert.match(await rows.first().innerText(), /iOS/);
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll("table[aria-label=Devices] tbody tr").length === 1);

  // Users: none yet (no device is bound).
  await page.getByRole("navigation", { name: "App" }).getByRole("link", { name: "Users" }).click();
  await page.getByText("No users yet.").waitFor();

  // A push to the iPhone, so its detail lists a delivery.
  await api(page, "mutation($in: PushSimpleInput!) { pushSimple(input: $in) { id } }", {
    in: { appID: app.id, target: { deviceIDs: [ios.deviceID] }, message: { title: "Hello", body: "from the test" }, options: { taskName: "hello-ios" } },
  });
  await page.waitForFunction(async (id) => {
    const m = document.cookie.match(/(?:^|;\s*)pushd_csrf=([^;]+)/);
    const res = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Pushd-CSRF": m ? decodeURIComponent(m[1]) : "" },
      body: JSON.stringify({ query: "query($w: DeliveryWhereInput) { deliveries(where: $w) { totalCount } }", variables: { w: { deviceID: id } } }),
    });
    return (await res.json()).data?.deliveries.totalCount > 0;
  }, ios.deviceID);

  // The iPhone's detail: properties, its APNs token, the delivery, bind a user.
  await page.goto(base + `/apps/${app.id}/devices?platform=IOS`);
  await page.getByRole("link", { name: ios.deviceID }).click();
  await page.waitForURL(new RegExp(`/devices/${ios.deviceID}$`));
  const props = page.getByRole("region", { name: "Properties" });
  await props.getByText("inst-ios-1").waitFor();
  const tokens = page.getByRole("region", { name: "Vendor tokens" });
  await tokens.getByRole("cell", { name: "APNs", exact: true }).waitFor();
  assert.match(await tokens.locator("tbody tr").first().innerText(), /active/);
  await page.getByRole("region", { name: "Deliveries" }).getByRole("link", { name: "hello-ios" }).waitFor();
  await page.getByLabel("Bind to user ID").fill("user-42");
  await page.getByRole("button", { name: "Bind", exact: true }).click();
  await page.getByRole("region", { name: "User" }).getByRole("link", { name: "user-42" }).waitFor();
  // Tags: edited here, then the device search finds the device by one.
  await props.getByRole("button", { name: "Edit tags" }).click();
  await props.getByLabel("Tags", { exact: true }).fill("beta, region:eu beta");
  await props.getByRole("button", { name: "Save tags" }).click();
  await props.getByText("region:eu").waitFor();
  await shot(page, "device-detail");
  await page.goto(base + `/apps/${app.id}/devices?tag=beta`);
  await page.getByRole("link", { name: ios.deviceID }).waitFor();
  assert.equal(await page.locator("tbody tr").count(), 1);
  await page.goBack();

  // Templates: the form warns about an undeclared placeholder and will not
  // send it; declaring it lets the template through.
  await page.goto(base + `/apps/${app.id}/templates`);
  await page.getByText("No templates yet.").waitFor();
  await page.getByRole("button", { name: "New template" }).click();
  await page.waitForURL(/\?new/);
  const form = page.getByRole("form", { name: "New template" });
  await form.getByLabel("Name", { exact: true }).fill("welcome");
  await form.getByLabel("Title").fill("Hi {{name}}");
  await form.getByLabel("Body").fill("You have {{count}} new messages");
  await form.getByRole("button", { name: "Add variable" }).click();
  await form.getByLabel("Variable 1", { exact: true }).fill("name");
  await form.getByLabel("Default for variable 1").fill("there");
  await form.getByText("Not declared: count.").waitFor();
  await form.getByRole("button", { name: "Create template" }).click();
  assert.match(await form.getByRole("alert").innerText(), /not declared as variables: count/);
  await form.getByRole("button", { name: "Declare placeholders" }).click();
  assert.equal(await form.getByLabel("Variable 2", { exact: true }).inputValue(), "count");
  await form.getByText("Hi there").waitFor(); // the preview uses the defaults
  await form.getByRole("button", { name: "Create template" }).click();
  const templates = page.getByRole("table", { name: "Templates" });
  await templates.getByRole("cell", { name: "welcome", exact: true }).waitFor();
  assert.ok(!(await page.getByRole("form", { name: "New template" }).count()), "the form closes");

  // A second template of the same name: pushd's refusal shows in plain words.
  await page.getByRole("button", { name: "New template" }).click();
  const again = page.getByRole("form", { name: "New template" });
  await again.getByLabel("Name", { exact: true }).fill("welcome");
  await again.getByLabel("Body").fill("Hello");
  await again.getByRole("button", { name: "Create template" }).click();
  await again.getByText(/clashes with what is there now/).waitFor();
  await again.getByRole("button", { name: "Cancel" }).click();

  // Edit it: the form opens from the URL, filled in.
  await page.getByRole("button", { name: "Edit welcome" }).click();
  await page.waitForURL(/\?edit=tpl_/);
  const edit = page.getByRole("form", { name: "Edit template" });
  assert.equal(await edit.getByLabel("Title").inputValue(), "Hi {{name}}");
  assert.equal(await edit.getByLabel("Default for variable 1").inputValue(), "there");
  await edit.getByLabel("Title").fill("Hello {{name}}, {{ unread }}");
  await edit.getByText("Not declared: unread.").waitFor();
  await shot(page, "templates");
  await edit.getByRole("button", { name: "Declare placeholders" }).click();
  await edit.getByRole("button", { name: "Save template" }).click();
  await templates.getByText("Hello {{name}}, {{ unread }}").waitFor();
  await templates.getByText("unread", { exact: true }).waitFor();

  // Groups: make one, fill it with the bound user, see its members.
  await page.goto(base + `/apps/${app.id}/groups`);
  await page.getByText("No groups yet.").waitFor();
  await page.getByRole("button", { name: "New group" }).click();
  const gform = page.getByRole("form", { name: "New group" });
  await gform.getByLabel("Name").fill("beta testers");
  await gform.getByLabel("Description").fill("People who get builds early");
  await gform.getByRole("button", { name: "Create group" }).click();
  const groups = page.getByRole("table", { name: "Groups" });
  await groups.getByText("beta testers").waitFor();
  await groups.getByRole("link", { name: "Members of beta testers" }).click();
  await page.getByRole("heading", { name: "Users in beta testers" }).waitFor();
  await page.getByText("This group has no members yet.").waitFor();
  await page.getByLabel(/Add users/).fill("user-42, nobody");
  await page.getByRole("button", { name: "Add to group" }).click();
  await page.getByText("pushd knows no user nobody").waitFor();
  await page.getByRole("table", { name: "Users" }).getByText("user-42").waitFor();
  await page.getByRole("table", { name: "Users" }).getByRole("link", { name: "1 device" }).waitFor();
  await shot(page, "users");
  await page.getByRole("table", { name: "Users" }).getByRole("link", { name: "1 device" }).click();
  await page.waitForURL(/devices\?user=user-42$/);
  await page.waitForFunction(() => document.querySelectorAll("table[aria-label=Devices] tbody tr").length === 1);

  await page.goto(base + `/apps/${app.id}/groups`);
  await groups.getByRole("link", { name: "Members of beta testers" }).getByText("1 member").waitFor();
  await page.getByRole("button", { name: "Edit beta testers" }).click();
  const gedit = page.getByRole("form", { name: "Edit group" });
  assert.equal(await gedit.getByLabel("Name").inputValue(), "beta testers");
  await gedit.getByLabel("Description").fill("Early builds, first");
  await gedit.getByRole("button", { name: "Save group" }).click();
  await groups.getByText("Early builds, first").waitFor();
  await page.getByRole("button", { name: "New group" }).click();
  await page.getByRole("form", { name: "New group" }).getByLabel("Name").fill("to delete");
  await page.getByRole("button", { name: "Create group" }).click();
  await groups.getByText("to delete").waitFor();
  await shot(page, "groups");
  await page.getByRole("button", { name: "Delete to delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete group" }).click();
  await page.waitForFunction(() => !document.querySelector("table[aria-label=Groups]")?.textContent?.includes("to delete"));

  page.assertClean();
});

test("a viewer reads devices, users, groups and templates but changes nothing", async () => {
  const base = suite.pushd.url;
  const admin = await newPage(suite.browser);
  await login(admin, base);
  const app = await createApp(admin, "read only");
  const dev = await registerDevice(base, app.appKey, { platform: "WEB" });
  await api(admin, "mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: \"u-1\"}) { id } }", { d: dev.deviceID });
  const group = await api(admin, "mutation($a: ID!) { createGroup(input: {appID: $a, name: \"g\"}) { id } }", { a: app.id });
  await api(admin, 'mutation($a: ID!) { createTemplate(input: {appID: $a, name: "t", body: "Hi {{who}}"}) { id } }', { a: app.id });
  const who = { email: "viewer@example.com", password: "viewer-pass-123" };
  const acc = await api(admin, "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }", { i: who });
  await api(admin, "mutation($i: SetMembershipInput!) { setMembership(input: $i) { id } }", {
    i: { accountID: acc.createAccount.id, appID: app.id, role: "VIEWER" },
  });

  const page = await newPage(suite.browser);
  await login(page, base, who);
  await page.goto(base + `/apps/${app.id}/templates?new`);
  await page.getByRole("table", { name: "Templates" }).getByText("Hi {{who}}").waitFor();
  assert.equal(await page.getByRole("button", { name: /New template|Edit|Delete/ }).count(), 0);
  assert.equal(await page.getByRole("form", { name: "New template" }).count(), 0, "?new opens nothing for a viewer");

  await page.goto(base + `/apps/${app.id}/groups`);
  await page.getByRole("table", { name: "Groups" }).getByText("g", { exact: true }).waitFor();
  assert.equal(await page.getByRole("button", { name: /New group|Edit|Delete/ }).count(), 0);

  await page.goto(base + `/apps/${app.id}/users?group=${group.createGroup.id}`);
  await page.getByRole("heading", { name: "Users in g" }).waitFor();
  await page.getByText("This group has no members yet.").waitFor();
  assert.equal(await page.getByRole("button", { name: /Add to group|Remove/ }).count(), 0);

  await page.goto(base + `/apps/${app.id}/devices/${dev.deviceID}`);
  await page.getByRole("region", { name: "User" }).getByRole("link", { name: "u-1" }).waitFor();
  assert.equal(await page.getByRole("button", { name: /Bind|Unbind/ }).count(), 0);
  page.assertClean();
  admin.assertClean();
});
