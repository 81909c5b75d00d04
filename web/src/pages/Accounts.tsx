import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { AccountProblem, PasswordField, RoleField, TeamProblem } from "../components/Team";
import { graphql } from "../gql";
import type { AccountWhereInput, Role } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { ago, count, when } from "../lib/format";
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
  const { t } = useTranslation("accounts");
  const session = useSession();
  if (!session.admin) {
    return (
      <>
        <PageHeader title={t("title")} />
        <Empty>{t("adminsOnly")}</Empty>
      </>
    );
  }
  return <AccountList />;
}

function AccountList() {
  const { t } = useTranslation("accounts");
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
      <PageHeader title={t("title")}>
        {!creating && (
          <button type="button" onClick={() => (setCreated(null), setNote(""), set({ new: "1" }))}>
            {t("newAccount")}
          </button>
        )}
      </PageHeader>
      <p className="muted team-intro">{t("intro")}</p>
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
          {t("find.label")}
          <input type="search" value={q} onChange={(e) => set({ q: e.target.value }, true)} placeholder={t("find.placeholder")} />
        </label>
      </div>
      {note && (
        <p className="team-saved" role="status">
          {note}
        </p>
      )}
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={accounts.length} empty={q ? t("list.noMatch") : t("list.empty")}>
        <table aria-label={t("list.label")} className="team-table">
          <thead>
            <tr>
              <th>{t("list.email")}</th>
              <th>{t("list.apps")}</th>
              <th>{t("list.lastLogin")}</th>
              <th>{t("list.created")}</th>
              <th aria-label={t("list.actions")} />
            </tr>
          </thead>
          <tbody>
            {accounts.flatMap((a) => {
              const apps = membershipSummary(a.memberships ?? []);
              const row = (
                <tr key={a.id}>
                  <td>
                    {a.email}
                    {a.id === session.id && <span className="muted">{t("list.you")}</span>} {a.admin && <span className="badge info">{t("list.admin")}</span>}{" "}
                    <StateBadge account={a} />
                  </td>
                  <td>
                    {apps.length === 0 ? (
                      <span className="muted">{a.admin ? t("list.everyApp") : t("list.none")}</span>
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
                    {a.lastLoginAt ? ago(a.lastLoginAt) : <span className="muted">{t("list.never")}</span>}
                  </td>
                  <td className="team-nowrap">{when(a.createdAt)}</td>
                  <td className="team-actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-expanded={granting === a.id}
                      onClick={() => (setNote(""), set({ grant: granting === a.id ? null : a.id, manage: null }))}
                    >
                      {/* The visible words with the account inside, for screen readers. */}
                      <Trans t={t} i18nKey="list.giveRoleTo" values={{ email: a.email }} components={{ name: <span className="visually-hidden" /> }} />
                    </button>{" "}
                    <button
                      type="button"
                      className="secondary"
                      aria-expanded={managing === a.id}
                      aria-label={t("list.manageAccount", { email: a.email })}
                      onClick={() => (setNote(""), set({ manage: managing === a.id ? null : a.id, grant: null }))}
                    >
                      {t("list.manage")}
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
  const { t } = useTranslation("accounts");
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
    <form className="card team-form" onSubmit={submit} noValidate aria-label={t("new.label")}>
      <h2 className="team-card-title">{t("new.label")}</h2>
      <Field label={t("new.email")}>
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
        label={t("new.password")}
        hint={t("new.passwordHint")}
        value={password}
        onChange={setPassword}
        onGenerated={setGenerated}
        invalid={invalid?.field === "password"}
      />
      <label className="check">
        <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} />
        {t("new.admin")}
      </label>
      <CheckProblem message={invalid?.error} />
      <TeamProblem error={state.error} action="account" />
      <div className="actions">
        <button type="submit" disabled={state.running}>
          {t("new.create")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("new.cancel")}
        </button>
      </div>
    </form>
  );
}

function CreatedAccount({ created, onDone }: { created: Created; onDone: () => void }) {
  const { t } = useTranslation("accounts");
  return (
    <CreatedCard
      label={t("created.label")}
      title={t(created.admin ? "created.titleAdmin" : "created.title", { email: created.email })}
      onDone={onDone}
    >
      {created.password ? (
        <>
          <p>
            <Trans t={t} i18nKey="created.passOn" components={{ strong: <strong /> }} />
          </p>
          <SecretOnce label={t("created.password")} value={created.password} />
        </>
      ) : (
        <p>{t("created.typed")}</p>
      )}
      <p className="muted">{created.admin ? t("created.admin") : t("created.giveRole")}</p>
    </CreatedCard>
  );
}

function GrantForm({ account, onCancel, onGranted }: { account: Account; onCancel: () => void; onGranted: (words: string) => void }) {
  const { t } = useTranslation("accounts");
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
    if (r) onGranted(t("grant.done", { email: account.email, role: asRole(role), app: r.setMembership.app.name }));
  }

  if (loading && !data) return <Loading />;
  return (
    <form onSubmit={submit} noValidate aria-label={t("grant.label", { email: account.email })}>
      <Problem error={error} />
      <Field label={t("grant.app")}>
        {(id) => (
          <select id={id} value={appID} onChange={(e) => (setAppID(e.target.value), clear(), setInvalid(null))} autoFocus>
            <option value="">{t("grant.chooseApp")}</option>
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {current.has(a.id) ? t("grant.roleNow", { role: roleLabel(current.get(a.id)!).toLowerCase() }) : ""}
              </option>
            ))}
          </select>
        )}
      </Field>
      <RoleField value={role} onChange={(r) => (setRole(r), clear())} />
      <div className="actions">
        <button type="submit" disabled={state.running}>
          {t("grant.give")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("grant.cancel")}
        </button>
      </div>
      <CheckProblem message={invalid} />
      <TeamProblem error={state.error} action="grant" />
      {data && data.apps.totalCount > apps.length && (
        <p className="muted small">{t("grant.firstApps", { n: count(apps.length) })}</p>
      )}
    </form>
  );
}

function StateBadge({ account }: { account: Account }) {
  const { t } = useTranslation("accounts");
  switch (accountState(account)) {
    case "disabled":
      return <span className="badge bad">{t("state.disabled")}</span>;
    case "reset":
      return <span className="badge warn">{t("state.reset")}</span>;
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
  const { t } = useTranslation("accounts");
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
        <Trans t={t} i18nKey="manage.self" components={{ a: <Link to="/account" /> }} />
      </p>
    );
  }
  return (
    <div className="team-manage" role="group" aria-label={t("list.manageAccount", { email: account.email })}>
      <p className="muted small">
        {disabled
          ? t("manage.disabledSince", { since: when(account.disabledAt) })
          : pending === "pending"
            ? t("manage.resetPending", { until: when(account.passwordResetExpiresAt) })
            : pending === "expired"
              ? t("manage.resetExpired")
              : t("manage.active")}
      </p>
      <div className="actions">
        {!disabled && (
          <button type="button" className="secondary" onClick={() => ask("reset")}>
            {t("manage.reset")}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => ask("logout")}>
          {t("manage.logout")}
        </button>
        {disabled ? (
          <button
            type="button"
            className="secondary"
            disabled={enableState.running}
            onClick={async () => {
              if (await enable({ id: account.id })) onDone(t("manage.enabled", { email: account.email }), false);
            }}
          >
            {t("manage.enable")}
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => ask("disable")}>
            {t("manage.disable")}
          </button>
        )}
        <button type="button" className="danger" onClick={() => ask("delete")}>
          {t("manage.delete")}
        </button>
      </div>
      <Problem error={enableState.error} />
      {asking === "reset" && (
        <Confirm
          title={t("confirmReset.title", { email: account.email })}
          confirm={t("confirmReset.confirm")}
          busy={resetState.running}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            const r = await resetPw({ id: account.id });
            if (!r) return;
            setAsking(null);
            onReset({ email: account.email, link: resetLink(location.origin, r.createPasswordReset.token), expiresAt: r.createPasswordReset.expiresAt });
          }}
        >
          <p>{t("confirmReset.body")}</p>
          <AccountProblem error={resetState.error} action="reset" />
        </Confirm>
      )}
      {asking === "logout" && (
        <Confirm
          title={t("confirmLogout.title", { email: account.email })}
          confirm={t("confirmLogout.confirm")}
          busy={logoutState.running}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            const r = await logout({ id: account.id });
            if (!r) return;
            setAsking(null);
            onDone(t("confirmLogout.done", { email: account.email, ended: sessionsEnded(r.logoutEverywhere, false) }), false);
          }}
        >
          <p>{t("confirmLogout.body")}</p>
          <Problem error={logoutState.error} />
        </Confirm>
      )}
      {asking === "disable" && (
        <Confirm
          title={t("confirmDisable.title", { email: account.email })}
          confirm={t("confirmDisable.confirm")}
          danger
          busy={disableState.running}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            if (!(await disable({ id: account.id }))) return;
            setAsking(null);
            onDone(t("confirmDisable.done", { email: account.email }), false);
          }}
        >
          <p>{t("confirmDisable.body")}</p>
          <AccountProblem error={disableState.error} action="disable" />
        </Confirm>
      )}
      {asking === "delete" && (
        <Confirm
          title={t("confirmDelete.title", { email: account.email })}
          confirm={t("confirmDelete.confirm")}
          danger
          busy={removeState.running}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            if (!(await remove({ id: account.id }))) return;
            setAsking(null);
            onDone(t("confirmDelete.done", { email: account.email }), true);
          }}
        >
          <p>{t("confirmDelete.body")}</p>
          <AccountProblem error={removeState.error} action="delete" />
        </Confirm>
      )}
    </div>
  );
}

function ResetCard({ reset, onDone }: { reset: Reset; onDone: () => void }) {
  const { t } = useTranslation("accounts");
  return (
    <CreatedCard label={t("resetCard.label")} title={t("resetCard.title", { email: reset.email })} onDone={onDone}>
      <p>
        <Trans t={t} i18nKey="resetCard.passOn" values={{ until: when(reset.expiresAt) }} components={{ strong: <strong /> }} />
      </p>
      <SecretOnce label={t("resetCard.link")} value={reset.link} />
    </CreatedCard>
  );
}
