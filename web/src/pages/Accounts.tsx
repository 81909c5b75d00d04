import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { RoleField, TeamProblem } from "../components/Team";
import { graphql } from "../gql";
import type { AccountWhereInput, Role } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { ago, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { accountInput, asRole, generatePassword, membershipSummary, roleInput, roleLabel } from "../lib/team";
import { useSession } from "../session";
import { CheckProblem, CreatedCard, Empty, Field, ListBody, Loading, PageHeader, Pager, Problem, SecretOnce, usePager } from "../ui";
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

type Created = { email: string; admin: boolean; password?: string };
type Account = { id: string; email: string; memberships?: { appID: string; role: Role }[] | null };

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
  const where: AccountWhereInput = q.trim() ? { emailContainsFold: q.trim() } : {};
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(AccountsListQuery, { where, first: PAGE_SIZE, after: pager.after });
  const accounts = data?.accounts.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  // Shown once, right after the account was made: the admin passes it on.
  const [created, setCreated] = useState<Created | null>(null);
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
                    {a.id === session.id && <span className="muted"> (you)</span>} {a.admin && <span className="badge info">admin</span>}
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
                      onClick={() => (setNote(""), set({ grant: granting === a.id ? null : a.id }))}
                    >
                      Give a role
                    </button>
                  </td>
                </tr>
              );
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
  const [shown, setShown] = useState(false);
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
      <Field label="Password" hint="10 characters or more. Generate one and pass it on; they log in with it.">
        {(id) => (
          <div className="team-password">
            <input
              id={id}
              type={shown ? "text" : "password"}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
              spellCheck={false}
              aria-invalid={invalid?.field === "password" || undefined}
            />
            <button
              type="button"
              className="secondary"
              onClick={() => {
                const pw = generatePassword();
                setPassword(pw);
                setGenerated(pw);
                setShown(true);
              }}
            >
              Generate
            </button>
            <button type="button" className="secondary" aria-pressed={shown} onClick={() => setShown(!shown)}>
              {shown ? "Hide" : "Show"}
            </button>
          </div>
        )}
      </Field>
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
