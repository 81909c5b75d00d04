// Credentials in a real browser: an account changes its password on its
// account page (its other session ends), an admin resets it (the link,
// shown once, sets a new one without a session), disables it (its session
// is sent to the login page) and enables it again, is refused deleting the
// last owner of an app in words naming the app, and deletes it; the
// account logs out everywhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, consoleSuite, createApp, login, newPage, shot } from "./harness.mjs";

const suite = consoleSuite();

// logBackIn logs in on the login page a session that ended sent the page
// to: the console goes back to where it was (the account page).
async function logBackIn(page, who) {
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Your account" }).waitFor();
}

test("password, reset, disable, delete, log out everywhere", async () => {
  const base = suite.pushd.url;
  const page = await newPage(suite.browser);
  await login(page, base);
  const user = { email: "user@example.com", password: "first-password" };
  const { createAccount } = await api(page, "mutation($e: String!, $p: String!) { createAccount(input: {email: $e, password: $p}) { id } }", {
    e: user.email,
    p: user.password,
  });

  // ---- The account's own page: change the password ----------------------
  // Its sessions end under it: the requests that find out answer 401.
  const u = await newPage(suite.browser, { allow: [/status of 401/] });
  await login(u, base, user);
  const other = await newPage(suite.browser);
  await login(other, base, user);
  await u.getByRole("link", { name: user.email }).click();
  await u.getByRole("heading", { name: "Your account" }).waitFor();
  const form = u.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill("not-the-password");
  await form.getByLabel("New password", { exact: true }).fill("second-password");
  await form.getByRole("button", { name: "Change password" }).click();
  await form.getByRole("alert").getByText("That is not your current password.").waitFor();
  await form.getByLabel("Current password").fill(user.password);
  await form.getByRole("button", { name: "Change password" }).click();
  await form.getByText("Password changed. 1 other session ended.").waitFor();
  await shot(u, "account");
  await other.reload();
  await other.getByRole("button", { name: "Log in" }).waitFor();
  await other.close();

  // ---- An admin resets it: the link sets a new one ----------------------
  await page.goto(`${base}/accounts`);
  const accounts = page.getByRole("table", { name: "Accounts" });
  await page.getByRole("button", { name: `Manage ${user.email}` }).click();
  const manage = page.getByRole("group", { name: `Manage ${user.email}` });
  await manage.getByText("Active.").waitFor();
  await manage.getByRole("button", { name: "Reset password…" }).click();
  await page.getByRole("dialog", { name: `Reset the password of ${user.email}?` }).getByRole("button", { name: "Reset password" }).click();
  const card = page.getByRole("region", { name: "Password reset" });
  const link = (await card.getByLabel("Reset link").locator("code").innerText()).trim();
  assert.match(link, new RegExp(`^${base}/reset-password#[A-Za-z0-9_-]{43}$`));
  await accounts.getByRole("row").filter({ hasText: user.email }).getByText("password reset").waitFor();
  await shot(page, "accounts-reset");

  await u.reload();
  await u.getByRole("button", { name: "Log in" }).waitFor();
  const r = await newPage(suite.browser);
  await r.goto(link);
  const set = r.getByRole("form", { name: "Set a new password" });
  await set.getByLabel("New password", { exact: true }).fill("third-password");
  await set.getByRole("button", { name: "Set password" }).click();
  await r.getByText("Your new password is set: log in with it.").waitFor();
  await r.goto(link);
  await set.getByLabel("New password", { exact: true }).fill("fourth-password");
  await set.getByRole("button", { name: "Set password" }).click();
  await set.getByRole("alert").getByText(/This reset link does not work/).waitFor();
  r.assertClean();
  await r.close();
  user.password = "third-password";
  await logBackIn(u, user);

  // ---- Disable, enable ----------------------------------------------------
  await manage.getByRole("button", { name: "Disable…" }).click();
  await page.getByRole("dialog", { name: `Disable ${user.email}?` }).getByRole("button", { name: "Disable" }).click();
  await page.getByText(`${user.email} is disabled: their sessions ended and they cannot log in.`).waitFor();
  await accounts.getByRole("row").filter({ hasText: user.email }).getByText("disabled", { exact: true }).waitFor();
  await u.reload();
  await u.getByRole("button", { name: "Log in" }).waitFor();
  await u.getByLabel("Email").fill(user.email);
  await u.getByLabel("Password").fill(user.password);
  await u.getByRole("button", { name: "Log in" }).click();
  await u.getByText("That email and password do not match an account.").waitFor();
  await manage.getByRole("button", { name: "Enable" }).click();
  await page.getByText(`${user.email} can log in again.`).waitFor();
  await u.getByRole("button", { name: "Log in" }).click();
  await u.getByRole("heading", { name: "Your account" }).waitFor();

  // ---- The last owner of an app is not deleted ---------------------------
  const app = await createApp(page, "Owned app");
  await api(page, "mutation($i: SetMembershipInput!) { setMembership(input: $i) { id } }", { i: { accountID: createAccount.id, appID: app.id, role: "OWNER" } });
  await manage.getByRole("button", { name: "Delete…" }).click();
  const del = page.getByRole("dialog", { name: `Delete ${user.email}?` });
  await del.getByRole("button", { name: "Delete account" }).click();
  await del.getByRole("alert").getByText(`the account is the last owner of app "Owned app" (${app.id})`, { exact: false }).waitFor();
  await del.getByRole("button", { name: "Cancel" }).click();

  // ---- Log out everywhere ---------------------------------------------------
  await u.goto(`${base}/account`);
  await u.getByRole("button", { name: "Log out everywhere…" }).click();
  await u.getByRole("dialog", { name: "Log out everywhere?" }).getByRole("button", { name: "Log out everywhere" }).click();
  await u.getByText("Logged out everywhere: 1 session ended.").waitFor();
  u.assertClean();
  await u.close();

  // ---- Delete ---------------------------------------------------------------
  await api(page, "mutation($id: ID!) { deleteApp(id: $id) }", { id: app.id });
  await manage.getByRole("button", { name: "Delete…" }).click();
  await del.getByRole("button", { name: "Delete account" }).click();
  await page.getByText(`${user.email} is deleted.`).waitFor();
  await accounts.getByRole("cell", { name: user.email, exact: true }).waitFor({ state: "detached" });
  page.assertClean();
});
