// App settings and accounts in a real browser: an admin makes an account on
// the accounts page (generated password shown once) and gives it a role in
// an app, invites it to another app by email (an unknown email gets the
// same answer, and is withdrawn), the account accepts on its invitations
// page, the admin changes its role, sees plain words for an app left
// without an owner, renames the app (the switcher follows), and deletes it
// through the typed confirmation; the new account, a viewer, sees no team,
// no delete and no accounts page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin, api, consoleSuite, createApp, login, newPage, shot } from "./harness.mjs";

const suite = consoleSuite();

const membersOf = async (page, appID) =>
  (await api(page, "query($id: ID!) { node(id: $id) { ... on App { members { email role } } } }", { id: appID })).node.members;

test("members, accounts, rename and delete", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  await login(page, base);
  const app = await createApp(page, "Team app");
  const other = await createApp(page, "Other app");

  // ---- Accounts: a new account with a generated password ----------------
  await page.getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("heading", { name: "Accounts" }).waitFor();
  const accounts = page.getByRole("table", { name: "Accounts" });
  await accounts.getByRole("cell", { name: /^console@example\.com/ }).waitFor();
  await page.getByRole("button", { name: "New account" }).click();
  assert.match(page.url(), /[?&]new=1/);
  const form = page.getByRole("form", { name: "New account" });
  await form.getByLabel("Email", { exact: true }).fill("dev@example.com");
  await form.getByRole("button", { name: "Generate" }).click();
  const pwInput = form.getByLabel("Password", { exact: true });
  assert.equal(await pwInput.getAttribute("type"), "text", "a generated password is shown");
  const password = await pwInput.inputValue();
  assert.ok(password.length >= 16, `a long password (${password})`);
  await form.getByRole("button", { name: "Create account" }).click();
  const created = page.getByRole("region", { name: "New account created" });
  await created.getByText("will not show it again").waitFor();
  assert.equal((await created.getByLabel("Password").locator("code").innerText()).trim(), password, "the password is shown to pass on");
  await created.getByRole("button", { name: "Copy password" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);
  assert.doesNotMatch(page.url(), /new=1/);
  await accounts.getByRole("cell", { name: "dev@example.com", exact: true }).waitFor();

  // A role in an app straight from the accounts list.
  await page.getByRole("button", { name: "Give dev@example.com a role" }).click();
  assert.match(page.url(), /[?&]grant=/);
  const grant = page.getByRole("form", { name: "Role for dev@example.com" });
  await grant.getByLabel("App", { exact: true }).selectOption({ label: "Other app" });
  await grant.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await grant.getByRole("button", { name: "Give role" }).click();
  await page.getByText("dev@example.com is now a viewer in Other app.").waitFor();
  const devRow = accounts.getByRole("row").filter({ hasText: "dev@example.com" });
  await devRow.getByRole("link", { name: "Other app" }).waitFor();
  await devRow.getByText("viewer").waitFor();
  assert.equal(await accounts.getByRole("row").filter({ hasText: "console@example.com" }).getByText("admin", { exact: true }).count(), 1);
  await created.waitFor();
  await shot(page, "accounts");

  // The same email again is refused in plain words.
  await page.getByRole("button", { name: "New account" }).click();
  await form.getByLabel("Email", { exact: true }).fill("dev@example.com");
  await form.getByLabel("Password", { exact: true }).fill("another-pass-123");
  await form.getByRole("button", { name: "Create account" }).click();
  await form.getByRole("alert").getByText("An account with that email exists already.").waitFor();
  await form.getByRole("button", { name: "Cancel" }).click();

  // The search narrows the list and lives in the URL.
  await page.getByLabel("Find account").fill("dev@");
  await page.waitForURL(/[?&]q=dev%40/);
  await accounts.getByRole("cell", { name: /^console@example\.com/ }).waitFor({ state: "detached" });
  await page.getByLabel("Find account").fill("");
  await accounts.getByRole("cell", { name: /^console@example\.com/ }).waitFor();

  // ---- Settings: members come in by invitation ---------------------------
  await page.goto(`${base}/apps/${app.id}/settings`);
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  const appCard = page.getByRole("region", { name: "App", exact: true });
  await appCard.getByText(app.appKey).waitFor();
  const members = page.getByRole("region", { name: "Members" });
  await members.getByText("No members yet").waitFor();
  await members.getByText("No invitations waiting.").waitFor();
  const invite = page.getByRole("form", { name: "Invite member" });
  const inviteEmail = invite.getByLabel("Email", { exact: true });
  await inviteEmail.fill("dev@example.com");
  await invite.getByLabel("Role", { exact: true }).selectOption("DEVELOPER");
  await invite.getByRole("button", { name: "Invite" }).click();
  await members.getByText("dev@example.com is invited as a developer").waitFor();
  const invitations = members.getByRole("table", { name: "Invitations" });
  await invitations.getByRole("cell", { name: "dev@example.com", exact: true }).waitFor();
  assert.equal(await inviteEmail.inputValue(), "", "the form is ready for the next one");
  assert.deepEqual(await membersOf(page, app.id), [], "an invitation gives no role");

  // An email no account has gets the same answer: the page cannot tell
  // whether an email has an account. The owner withdraws it.
  await inviteEmail.fill("nobody@example.com");
  await invite.getByRole("button", { name: "Invite" }).click();
  await members.getByText("nobody@example.com is invited as a developer").waitFor();
  await invitations.getByRole("button", { name: "Withdraw the invitation of nobody@example.com" }).click();
  await members.getByText("The invitation of nobody@example.com is withdrawn.").waitFor();
  await invitations.getByRole("cell", { name: "nobody@example.com", exact: true }).waitFor({ state: "detached" });

  // The invited account sees the invitation and accepts it.
  const dev = await newPage(suite.browser);
  await login(dev, base, { email: "dev@example.com", password });
  await dev.getByText("An app's owners invited you to a role.").waitFor();
  await dev.getByRole("link", { name: "See the invitations" }).click();
  await dev.getByRole("heading", { name: "Invitations" }).waitFor();
  const offered = dev.getByRole("table", { name: "Invitations" });
  await offered.getByRole("cell", { name: "Team app", exact: true }).waitFor();
  await offered.getByRole("cell", { name: admin.email }).waitFor();
  await shot(dev, "invitations");
  await offered.getByRole("button", { name: "Accept Team app" }).click();
  await dev.waitForURL(`${base}/apps/${app.id}`);
  await dev.getByText("Your role: developer").waitFor();

  await page.reload();
  const table = members.getByRole("table", { name: "Members" });
  const devRole = table.getByLabel("Role of dev@example.com");
  await devRole.waitFor();
  assert.equal(await devRole.inputValue(), "DEVELOPER");
  await members.getByText("No invitations waiting.").waitFor();

  await devRole.selectOption("VIEWER");
  await members.getByText("dev@example.com is now a viewer.").waitFor();
  assert.deepEqual(await membersOf(page, app.id), [{ email: "dev@example.com", role: "VIEWER" }]);

  // The only owner cannot step down: plain words, and the row keeps its role.
  await api(page, "mutation($i: SetMembershipInput!) { setMembership(input: $i) { id } }", { i: { email: admin.email, appID: app.id, role: "OWNER" } });
  await page.reload();
  const ownRole = table.getByLabel(`Role of ${admin.email}`);
  await ownRole.waitFor();
  assert.equal(await ownRole.inputValue(), "OWNER");
  // Owners first, as pushd lists them.
  assert.match(await table.locator("tbody tr").first().innerText(), /console@example\.com/);
  await ownRole.selectOption("DEVELOPER");
  await members.getByRole("alert").getByText("An app keeps at least one owner: make someone else owner first.").waitFor();
  assert.equal(await ownRole.inputValue(), "OWNER", "the select shows the role pushd kept");

  // ---- Rename: the switcher follows -------------------------------------
  await appCard.getByLabel("Name").fill("Team app renamed");
  await appCard.getByLabel("Description").fill("Where the team works");
  await appCard.getByRole("button", { name: "Save" }).click();
  await page.getByRole("region", { name: "App", exact: true }).getByText("Saved.").waitFor();
  const switcher = page.getByRole("combobox", { name: "App", exact: true });
  await page.waitForFunction(() => document.querySelector(".switcher select")?.selectedOptions[0]?.textContent === "Team app renamed");
  assert.equal(await switcher.inputValue(), app.id);
  assert.equal(await appCard.getByRole("button", { name: "Save" }).isDisabled(), true, "nothing left to save");
  await shot(page, "settings");

  // ---- The viewer's view --------------------------------------------------
  await dev.goto(`${base}/apps/${app.id}/settings`);
  await dev.getByRole("heading", { name: "Settings" }).waitFor();
  const devApp = dev.getByRole("region", { name: "App", exact: true });
  await devApp.getByText("Team app renamed").waitFor();
  await devApp.getByText("Where the team works").waitFor();
  await dev.getByText("Only the app's owners see its team").waitFor();
  assert.equal(await dev.getByRole("table", { name: "Members" }).count(), 0, "no members table");
  assert.equal(await dev.getByRole("button", { name: /Delete app/ }).count(), 0, "no delete");
  assert.equal(await devApp.getByRole("textbox").count(), 0, "name and description read-only");
  assert.equal(await dev.getByRole("link", { name: "Accounts" }).count(), 0, "no Accounts link");
  await dev.goto(`${base}/accounts`);
  await dev.getByText("Only admins manage accounts.").waitFor();
  dev.assertClean();
  await dev.close();

  // ---- Remove a member, then delete the app -----------------------------
  await table.getByRole("button", { name: "Remove dev@example.com" }).click();
  const removeDialog = page.getByRole("dialog", { name: "Remove dev@example.com?" });
  await removeDialog.getByRole("button", { name: "Remove" }).click();
  await table.getByLabel("Role of dev@example.com").waitFor({ state: "detached" });
  assert.deepEqual(await membersOf(page, app.id), [{ email: admin.email, role: "OWNER" }]);

  await page.getByRole("button", { name: "Delete app…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete Team app renamed?" });
  const confirm = dialog.getByRole("button", { name: "Delete app" });
  assert.equal(await confirm.isDisabled(), true, "disabled until the name is typed");
  await dialog.getByLabel("App name").fill("team app renamed");
  assert.equal(await confirm.isDisabled(), true, "the name exactly");
  await dialog.getByLabel("App name").fill(" Team app renamed ");
  await confirm.click();
  await page.waitForURL(`${base}/apps`);
  const list = page.getByRole("table");
  await list.getByRole("link", { name: "Other app" }).waitFor();
  assert.equal(await list.getByRole("link", { name: "Team app renamed" }).count(), 0, "the deleted app is gone from the list");
  const left = await api(page, "{ apps(first: 50) { edges { node { id } } } }");
  assert.deepEqual(
    left.apps.edges.map((e) => e.node.id),
    [other.id],
  );
  page.assertClean();
});
