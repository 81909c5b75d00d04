import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { AccountProblem, PasswordField, RoleField, TeamProblem } from "../components/Team";
import { graphql } from "../gql";
import type { AccountWhereInput, Role } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { ago, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { accountState, resetLink, resetPending, sessionsEnded } from "../lib/account";
import { accountInput, asRole, membershipSummary, roleInput, roleLabel } from "../lib/team";
import { useSession } from "../session";
import { CheckProblem, Confirm, CreatedCard, Empty, Field, ListBody, Loading, PageHeader, Pager, Problem, SecretOnce, usePager } from "../ui";
import "./team.css";

const AccountsListQuery = graphql(`
  query AccountsList($where: AccountWhereInput, $first: Int, $after: Cursor) {
    accounts(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          email
          admin
          lastLoginAt
          createdAt
          disabledAt
          passwordResetExpiresAt
          memberships {
            id
            appID
            role
            app {
              id
              name
            }
          }
        }
      }
    }
  }
`);

// The apps an admin can give roles in, for the app <select>.
const AccountsAppsQuery = graphql(`
  query AccountsApps {
    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

const AccountsCreateMutation = graphql(`
  mutation AccountsCreate($input: CreateAccountInput!) {
    createAccount(input: $input) {
      id
      email
      admin
    }
  }
`);

const AccountsGrantMutation = graphql(`
  mutation AccountsGrant($input: SetMembershipInput!) {
    setMembership(input: $input) {
      id
      role
      app {
        name
      }
    }
  }
`);

const AccountsResetMutation = graphql(`
  mutation AccountsReset($id: ID!) {
    createPasswordReset(accountID: $id) {
      token
      expiresAt
    }
  }
`);

const AccountsLogoutEverywhereMutation = graphql(`
  mutation AccountsLogoutEverywhere($id: ID!) {
    logoutEverywhere(accountID: $id)
  }
`);

const AccountsDisableMutation = graphql(`
  mutation AccountsDisable($id: ID!) {
    disableAccount(id: $id) {
      id
      disabledAt
    }
  }
`);

const AccountsEnableMutation = graphql(`
  mutation AccountsEnable($id: ID!) {
    enableAccount(id: $id) {
      id
      disabledAt
    }
  }
`);

const AccountsDeleteMutation = graphql(`
  mutation AccountsDelete($id: ID!) {
    deleteAccount(id: $id)
  }
`);

type Created = { email: string; admin: boolean; password?: string };
type Account = {
  id: string;
  email: string;
  disabledAt?: string | null;
  passwordResetExpiresAt?: string | null;
  memberships?: { appID: string; role: Role }[] | null;
};
// Reset is a reset link just issued, shown once.
type Reset = { email: string; link: string; expiresAt: string };

export default function Accounts() {
  const session = useSession();
  if (!session.admin) {
    return (
      <>
        <PageHeader title="Accounts" />
        <Empty>Only admins manage accounts.</Empty>
      </>
    );
  }
  return <AccountList />;
}

function AccountList() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const creating = params.get("new") === "1";
  const granting = params.get("grant") ?? "";
  const managing = params.get("manage") ?? "";
  const where: AccountWhereInput = q.trim() ? { emailContainsFold: q.trim() } : {};
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(AccountsListQuery, { where, first: PAGE_SIZE, after: pager.after });
  const accounts = data?.accounts.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  // Shown once, right after the account was made: the admin passes it on.
  const [created, setCreated] = useState<Created | null>(null);
  const [reset, setReset] = useState<Reset | null>(null);
  const [note, setNote] = useState("");

  const set = (change: Record<string, string | null>, replace = false) => setParams(withParams(params, change), { replace });

  return (
    <>
      <PageHeader title="Accounts">
        {!creating && (
          <button type="button" onClick={() => (setCreated(null), setNote(""), set({ new: "1" }))}>
            New account
          </button>
        )}
      </PageHeader>
      <p className="muted team-intro">
        Console accounts. Admins see and manage every app and account; everyone else works in the apps where they have a role, which an app's owners
        or an admin give.
      </p>
      {created && <CreatedAccount created={created} onDone={() => setCreated(null)} />}
      {reset && <ResetCard reset={reset} onDone={() => setReset(null)} />}
      {creating && (
        <NewAccount
          onCancel={() => set({ new: null })}
          onCreated={(c) => {
            setCreated(c);
            set({ new: null, q: null });
            reload();
          }}
        />
      )}
      <div className="filters">
        <label>
          Find account
          <input type="search" value={q} onChange={(e) => set({ q: e.target.value }, true)} placeholder="part of the email" />
        </label>
      </div>
      {note && (
        <p className="team-saved" role="status">
          {note}
        </p>
      )}
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={accounts.length} empty={q ? "No account's email contains that." : "No accounts yet."}>
        <table aria-label="Accounts" className="team-table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Apps and roles</th>
              <th>Last login</th>
              <th>Created</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {accounts.flatMap((a) => {
              const apps = membershipSummary(a.memberships ?? []);
              const row = (
                <tr key={a.id}>
                  <td>
                    {a.email}
                    {a.id === session.id && <span className="muted"> (you)</span>} {a.admin && <span className="badge info">admin</span>}{" "}
                    <StateBadge account={a} />
                  </td>
                  <td>
                    {apps.length === 0 ? (
                      <span className="muted">{a.admin ? "every app, as admin" : "none"}</span>
                    ) : (
                      <span className="team-apps">
                        {apps.map((m) => (
                          <span key={m.appID}>
                            <Link to={`/apps/${m.appID}/settings`}>{m.name}</Link> <span className="muted small">{roleLabel(m.role).toLowerCase()}</span>
                          </span>
                        ))}
                      </span>
                    )}
                  </td>
                  <td className="team-nowrap" title={when(a.lastLoginAt)}>
                    {a.lastLoginAt ? ago(a.lastLoginAt) : <span className="muted">never</span>}
                  </td>
                  <td className="team-nowrap">{when(a.createdAt)}</td>
                  <td className="team-actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-expanded={granting === a.id}
                      aria-label={`Give ${a.email} a role`}
                      onClick={() => (setNote(""), set({ grant: granting === a.id ? null : a.id, manage: null }))}
                    >
                      Give a role
                    </button>{" "}
                    <button
                      type="button"
                      className="secondary"
                      aria-expanded={managing === a.id}
                      aria-label={`Manage ${a.email}`}
                      onClick={() => (setNote(""), set({ manage: managing === a.id ? null : a.id, grant: null }))}
                    >
                      Manage
                    </button>
                  </td>
                </tr>
              );
              if (managing === a.id) {
                return [
                  row,
                  <tr key={a.id + ":manage"} className="team-grant">
                    <td colSpan={5}>
                      <ManagePanel
                        account={a}
                        self={a.id === session.id}
                        onReset={(r) => (setReset(r), reload())}
                        onDone={(words, gone) => {
                          setNote(words);
                          if (gone) set({ manage: null });
                          reload();
                        }}
                      />
                    </td>
                  </tr>,
                ];
              }
              if (granting !== a.id) return [row];
              return [
                row,
                <tr key={a.id + ":grant"} className="team-grant">
                  <td colSpan={5}>
                    <GrantForm
                      account={a}
                      onCancel={() => set({ grant: null })}
                      onGranted={(words) => {
                        setNote(words);
                        set({ grant: null });
                        reload();
                        if (a.id === session.id) session.reload();
                      }}
                    />
                  </td>
                </tr>,
              ];
            })}
          </tbody>
        </table>
      </ListBody>
      <Pager pager={pager} conn={data?.accounts} />
    </>
  );
}

function NewAccount({ onCancel, onCreated }: { onCancel: () => void; onCreated: (c: Created) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [generated, setGenerated] = useState("");
  const [admin, setAdmin] = useState(false);
  const [invalid, setInvalid] = useState<{ error: string; field: string } | null>(null);
  const [create, state] = useMutation(AccountsCreateMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = accountInput({ email, password, admin });
    if (!built.input) return setInvalid(built);
    setInvalid(null);
    const r = await create({ input: built.input });
    // A generated password is shown again so it can be passed on; one the
    // admin typed, they know.
    if (r) onCreated({ email: r.createAccount.email, admin: r.createAccount.admin, password: password === generated ? password : undefined });
  }

  return (
    <form className="card team-form" onSubmit={submit} noValidate aria-label="New account">
      <h2 className="team-card-title">New account</h2>
      <Field label="Email">
        {(id) => (
          <input
            id={id}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoComplete="off"
            autoFocus
            aria-invalid={invalid?.field === "email" || undefined}
          />
        )}
      </Field>
      <PasswordField
        label="Password"
        hint="10 characters or more. Generate one and pass it on; they log in with it."
        value={password}
        onChange={setPassword}
        onGenerated={setGenerated}
        invalid={invalid?.field === "password"}
      />
      <label className="check">
        <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} />
        Admin: sees and manages every app and every account
      </label>
      <CheckProblem message={invalid?.error} />
      <TeamProblem error={state.error} action="account" />
      <div className="actions">
        <button type="submit" disabled={state.running}>
          Create account
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function CreatedAccount({ created, onDone }: { created: Created; onDone: () => void }) {
  return (
    <CreatedCard label="New account created" title={`Account ${created.email} created${created.admin ? " (admin)" : ""}`} onDone={onDone}>
      {created.password ? (
        <>
          <p>
            <strong>Pass the password on now: the console will not show it again.</strong> They log in at this console with their email and it.
          </p>
          <SecretOnce label="Password" value={created.password} />
        </>
      ) : (
        <p>They log in with the password you typed.</p>
      )}
      <p className="muted">
        {created.admin ? "As an admin they can work in every app." : "Give them a role in an app (below, or in the app's settings) so they can work in it."}
      </p>
    </CreatedCard>
  );
}

function GrantForm({ account, onCancel, onGranted }: { account: Account; onCancel: () => void; onGranted: (words: string) => void }) {
  const { data, error, loading } = useQuery(AccountsAppsQuery, {});
  const apps = data?.apps.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const current = new Map((account.memberships ?? []).map((m) => [m.appID, m.role]));
  const [appID, setAppID] = useState("");
  const [role, setRole] = useState<Role>("DEVELOPER");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [grant, state, clear] = useMutation(AccountsGrantMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = roleInput(account.id, appID, role);
    if (!built.input) return setInvalid(built.error);
    setInvalid(null);
    const r = await grant({ input: built.input });
    if (r) onGranted(`${account.email} is now ${asRole(role)} in ${r.setMembership.app.name}.`);
  }

  if (loading && !data) return <Loading />;
  return (
    <form onSubmit={submit} noValidate aria-label={`Role for ${account.email}`}>
      <Problem error={error} />
      <Field label="App">
        {(id) => (
          <select id={id} value={appID} onChange={(e) => (setAppID(e.target.value), clear(), setInvalid(null))} autoFocus>
            <option value="">Choose an app…</option>
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {current.has(a.id) ? ` (${roleLabel(current.get(a.id)!).toLowerCase()} now)` : ""}
              </option>
            ))}
          </select>
        )}
      </Field>
      <RoleField value={role} onChange={(r) => (setRole(r), clear())} />
      <div className="actions">
        <button type="submit" disabled={state.running}>
          Give role
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <CheckProblem message={invalid} />
      <TeamProblem error={state.error} action="grant" />
      {data && data.apps.totalCount > apps.length && (
        <p className="muted small">The first {apps.length} apps by name; give roles in the others from the app's settings.</p>
      )}
    </form>
  );
}

function StateBadge({ account }: { account: Account }) {
  switch (accountState(account)) {
    case "disabled":
      return <span className="badge bad">disabled</span>;
    case "reset":
      return <span className="badge warn">password reset</span>;
  }
  return null;
}

type Asking = "reset" | "logout" | "disable" | "delete" | null;

// ManagePanel holds an account's credential actions: each asks first, says
// what it ends, and reports back in words.
function ManagePanel({
  account,
  self,
  onReset,
  onDone,
}: {
  account: Account;
  self: boolean;
  onReset: (r: Reset) => void;
  onDone: (words: string, gone: boolean) => void;
}) {
  const [asking, setAsking] = useState<Asking>(null);
  const [resetPw, resetState, clearReset] = useMutation(AccountsResetMutation);
  const [logout, logoutState, clearLogout] = useMutation(AccountsLogoutEverywhereMutation);
  const [disable, disableState, clearDisable] = useMutation(AccountsDisableMutation);
  const [enable, enableState] = useMutation(AccountsEnableMutation);
  const [remove, removeState, clearRemove] = useMutation(AccountsDeleteMutation);
  const disabled = accountState(account) === "disabled";
  const pending = resetPending(account);
  const ask = (a: Asking) => (clearReset(), clearLogout(), clearDisable(), clearRemove(), setAsking(a));

  if (self) {
    return (
      <p className="muted">
        This is you: change your password and log out everywhere on <Link to="/account">your account page</Link>. Another admin disables or
        deletes this account.
      </p>
    );
  }
  return (
    <div className="team-manage" role="group" aria-label={`Manage ${account.email}`}>
      <p className="muted small">
        {disabled
          ? `Disabled since ${when(account.disabledAt)}: they cannot log in.`
          : pending === "pending"
            ? `A password reset is pending until ${when(account.passwordResetExpiresAt)}: they have no password until they use the link.`
            : pending === "expired"
              ? "Their reset link expired unused: they have no password; reset it again to give them a new link."
              : "Active."}
      </p>
      <div className="actions">
        {!disabled && (
          <button type="button" className="secondary" onClick={() => ask("reset")}>
            Reset password…
          </button>
        )}
        <button type="button" className="secondary" onClick={() => ask("logout")}>
          Log out everywhere…
        </button>
        {disabled ? (
          <button
            type="button"
            className="secondary"
            disabled={enableState.running}
            onClick={async () => {
              if (await enable({ id: account.id })) onDone(`${account.email} can log in again.`, false);
            }}
          >
            Enable
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => ask("disable")}>
            Disable…
          </button>
        )}
        <button type="button" className="danger" onClick={() => ask("delete")}>
          Delete…
        </button>
      </div>
      <Problem error={enableState.error} />
      {asking === "reset" && (
        <Confirm
          title={`Reset the password of ${account.email}?`}
          confirm="Reset password"
          busy={resetState.running}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            const r = await resetPw({ id: account.id });
            if (!r) return;
            setAsking(null);
            onReset({ email: account.email, link: resetLink(location.origin, r.createPasswordReset.token), expiresAt: r.createPasswordReset.expiresAt });
          }}
        >
          <p>Their password stops working and their sessions end at once. You get a link, shown once, to pass on: with it they set a new password within 24 hours.</p>
          <AccountProblem error={resetState.error} action="reset" />
        </Confirm>
      )}
      {asking === "logout" && (
        <Confirm
          title={`Log ${account.email} out everywhere?`}
          confirm="Log out everywhere"
          busy={logoutState.running}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            const r = await logout({ id: account.id });
            if (!r) return;
            setAsking(null);
            onDone(`${account.email}: ${sessionsEnded(r.logoutEverywhere, false)}`, false);
          }}
        >
          <p>Every session of theirs ends at once, on every browser; they can log in again with their password.</p>
          <Problem error={logoutState.error} />
        </Confirm>
      )}
      {asking === "disable" && (
        <Confirm
          title={`Disable ${account.email}?`}
          confirm="Disable"
          danger
          busy={disableState.running}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            if (!(await disable({ id: account.id }))) return;
            setAsking(null);
            onDone(`${account.email} is disabled: their sessions ended and they cannot log in.`, false);
          }}
        >
          <p>Their sessions and any reset link end at once, and they cannot log in until an admin enables the account again. Their roles stay.</p>
          <AccountProblem error={disableState.error} action="disable" />
        </Confirm>
      )}
      {asking === "delete" && (
        <Confirm
          title={`Delete ${account.email}?`}
          confirm="Delete account"
          danger
          busy={removeState.running}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            if (!(await remove({ id: account.id }))) return;
            setAsking(null);
            onDone(`${account.email} is deleted.`, true);
          }}
        >
          <p>The account goes for good, with its roles in every app and its sessions. The last owner of an app cannot be deleted: make someone else owner first.</p>
          <AccountProblem error={removeState.error} action="delete" />
        </Confirm>
      )}
    </div>
  );
}

function ResetCard({ reset, onDone }: { reset: Reset; onDone: () => void }) {
  return (
    <CreatedCard label="Password reset" title={`Password of ${reset.email} reset`} onDone={onDone}>
      <p>
        <strong>Pass this link on now: the console will not show it again.</strong> It works once, until {when(reset.expiresAt)}; whoever opens it
        sets the account's new password.
      </p>
      <SecretOnce label="Reset link" value={reset.link} />
    </CreatedCard>
  );
}
