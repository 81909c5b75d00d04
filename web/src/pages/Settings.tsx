import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate, useParams } from "react-router-dom";
import { RoleField, RoleOptions, TeamProblem } from "../components/Team";
import { graphql } from "../gql";
import type { Role } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { ago, when } from "../lib/format";
import { appUpdate, asRole, deletionConfirmed, DESCRIPTION_MAX, inviteInput, NAME_MAX, roleLabel } from "../lib/team";
import { useCan, useSession } from "../session";
import { CheckProblem, Confirm, CopyButton, Empty, Field, ListBody, Loading, PageHeader, Problem } from "../ui";
import "./team.css";

const SettingsAppQuery = graphql(`
  query SettingsApp($id: ID!) {
    node(id: $id) {
      __typename
      ... on App {
        id
        name
        description
        appKey
        createdAt
        updatedAt
      }
    }
  }
`);

// Members are asked for on their own: pushd refuses them (FORBIDDEN) to
// everyone but the app's owners and admins, which must not fail the rest.
const SettingsMembersQuery = graphql(`
  query SettingsMembers($id: ID!) {
    node(id: $id) {
      __typename
      ... on App {
        id
        members {
          id
          accountID
          email
          role
          since
          lastLoginAt
        }
      }
    }
  }
`);

const SettingsUpdateAppMutation = graphql(`
  mutation SettingsUpdateApp($id: ID!, $input: UpdateAppInput!) {
    updateApp(id: $id, input: $input) {
      id
      name
      description
      updatedAt
    }
  }
`);

const SettingsDeleteAppMutation = graphql(`
  mutation SettingsDeleteApp($id: ID!) {
    deleteApp(id: $id)
  }
`);

const SettingsSetMembershipMutation = graphql(`
  mutation SettingsSetMembership($input: SetMembershipInput!) {
    setMembership(input: $input) {
      id
      role
    }
  }
`);

// Pending invitations, asked for with the members (owners and admins only).
const SettingsInvitationsQuery = graphql(`
  query SettingsInvitations($id: ID!) {
    node(id: $id) {
      __typename
      ... on App {
        id
        invitations {
          id
          email
          role
          invitedBy
          createdAt
          expiresAt
        }
      }
    }
  }
`);

const SettingsInviteMutation = graphql(`
  mutation SettingsInvite($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      id
      email
      role
    }
  }
`);

const SettingsCancelInvitationMutation = graphql(`
  mutation SettingsCancelInvitation($id: ID!) {
    cancelInvitation(id: $id)
  }
`);

const SettingsDeleteMembershipMutation = graphql(`
  mutation SettingsDeleteMembership($id: ID!) {
    deleteMembership(id: $id)
  }
`);

type App = { id: string; name: string; description: string; appKey: string; createdAt: string; updatedAt: string };
type Member = { id: string; accountID: string; email: string; role: Role; since: string; lastLoginAt?: string | null };

// The roles in this page's words: a name ("Owner"), in a sentence ("an
// owner") and what it may do. A role the console does not know yet reads as
// lib/team says it.
function useRoleWords() {
  const { t } = useTranslation("settings");
  return {
    label: (role: Role) => t(`roles.${role}`, { defaultValue: roleLabel(role) }),
    inSentence: (role: Role) => t(`asRole.${role}`, { defaultValue: asRole(role) }),
    hint: (role: Role) => t(`roleHints.${role}`, { defaultValue: "" }),
  };
}

export default function Settings() {
  const { t } = useTranslation("settings");
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const { data, error, loading, reload } = useQuery(SettingsAppQuery, { id: appID });
  const app = data?.node?.__typename === "App" ? data.node : undefined;

  return (
    <>
      <PageHeader title={t("title")} />
      <Problem error={error} retry={reload} />
      {loading && !data ? (
        <Loading />
      ) : !app ? (
        !error && <Empty>{t("missing")}</Empty>
      ) : (
        <>
          <AppCard key={app.updatedAt} app={app} canEdit={can.administer} saved={reload} />
          {can.administer ? (
            <Members app={app} />
          ) : (
            <section className="card" aria-label={t("members.title")}>
              <h2 className="team-card-title">{t("members.title")}</h2>
              <p className="muted team-intro">{t("members.ownersOnly")}</p>
            </section>
          )}
          {can.administer && <DangerZone app={app} />}
        </>
      )}
    </>
  );
}

function CopyLine({ text, label, children }: { text: string; label: string; children?: ReactNode }) {
  return (
    <span className="team-copyline">
      <code>{text}</code>
      <CopyButton text={text} label={label} />
      {children}
    </span>
  );
}

function AppCard({ app, canEdit, saved: onSaved }: { app: App; canEdit: boolean; saved: () => void }) {
  const { t } = useTranslation("settings");
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [name, setName] = useState(app.name);
  const [description, setDescription] = useState(app.description);
  const [invalid, setInvalid] = useState<{ error: string; field: string } | null>(null);
  const [update, updated] = useMutation(SettingsUpdateAppMutation);
  const built = appUpdate(app, { name, description });
  const changed = built.input !== null;
  // The card is remade (keyed by updatedAt) once the saved app is reloaded,
  // so "saved" travels in the history entry's state.
  const saved = !changed && (location.state as { saved?: string } | null)?.saved === app.id;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!built.input) {
      setInvalid(built.error ? { error: built.error, field: built.field } : null);
      return;
    }
    setInvalid(null);
    if (await update({ id: app.id, input: built.input })) {
      navigate(location.pathname + location.search, { replace: true, state: { saved: app.id } });
      // This page, the app switcher and the app lists show the name.
      onSaved();
      session.reload();
    }
  }

  return (
    <section className="card" aria-label={t("app.title")}>
      <h2 className="team-card-title">{t("app.title")}</h2>
      {canEdit ? (
        <form className="team-form" onSubmit={submit} noValidate aria-label={t("app.form")}>
          <Field label={t("app.name")}>
            {(id) => (
              <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={NAME_MAX} aria-invalid={invalid?.field === "name"} />
            )}
          </Field>
          <Field label={t("app.description")} hint={t("app.descriptionHint")}>
            {(id) => (
              <textarea
                id={id}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                maxLength={DESCRIPTION_MAX}
                aria-invalid={invalid?.field === "description"}
              />
            )}
          </Field>
          <CheckProblem message={invalid?.error} />
          <Problem error={updated.error} />
          {saved && (
            <p className="team-saved" role="status">
              {t("app.saved")}
            </p>
          )}
          <div className="actions">
            <button type="submit" disabled={updated.running || !changed}>
              {t("app.save")}
            </button>
            {changed && (
              <button type="button" className="secondary" onClick={() => (setName(app.name), setDescription(app.description), setInvalid(null))}>
                {t("app.undo")}
              </button>
            )}
          </div>
        </form>
      ) : (
        <dl className="props team-readonly">
          <dt>{t("app.name")}</dt>
          <dd>{app.name}</dd>
          <dt>{t("app.description")}</dt>
          <dd>{app.description || <span className="muted">{t("app.none")}</span>}</dd>
        </dl>
      )}
      <dl className="props team-keys">
        <dt>{t("app.appKey")}</dt>
        <dd>
          <CopyLine text={app.appKey} label={t("app.copyAppKey")} />
          <div className="muted small">{t("app.appKeyHint")}</div>
        </dd>
        <dt>{t("app.appID")}</dt>
        <dd>
          <CopyLine text={app.id} label={t("app.copyAppID")} />
          <div className="muted small">{t("app.appIDHint")}</div>
        </dd>
        <dt>{t("app.created")}</dt>
        <dd>{when(app.createdAt)}</dd>
      </dl>
    </section>
  );
}

function Members({ app }: { app: App }) {
  const { t } = useTranslation("settings");
  const roles = useRoleWords();
  const session = useSession();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useQuery(SettingsMembersQuery, { id: app.id });
  const members = data?.node?.__typename === "App" ? data.node.members : [];
  const [setRole, roleState, clearRole] = useMutation(SettingsSetMembershipMutation);
  const [remove, removeState, clearRemove] = useMutation(SettingsDeleteMembershipMutation);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [note, setNote] = useState("");

  // Changing one's own role or leaving changes what this console may show.
  const afterOwnChange = (m: Member, left: boolean) => {
    if (m.accountID !== session.id || session.admin) return;
    if (left) navigate("/apps", { replace: true });
    else session.reload();
  };

  async function change(m: Member, role: Role) {
    clearRemove();
    setNote("");
    if (await setRole({ input: { appID: app.id, accountID: m.accountID, role } })) {
      setNote(t("members.nowRole", { email: m.email, role: roles.inSentence(role) }));
      reload();
      afterOwnChange(m, false);
    }
  }

  return (
    <section className="card" aria-label={t("members.title")}>
      <h2 className="team-card-title">{t("members.title")}</h2>
      <p className="muted team-intro">{t("members.intro")}</p>
      <Problem error={error} retry={reload} />
      <TeamProblem error={roleState.error} action="change" />
      {note && (
        <p className="team-saved" role="status">
          {note}
        </p>
      )}
      <ListBody data={data} loading={loading} error={error} count={members.length} empty={t("members.empty")}>
        <table aria-label={t("members.title")} className="team-table">
          <thead>
            <tr>
              <th>{t("members.columns.email")}</th>
              <th>{t("members.columns.role")}</th>
              <th>{t("members.columns.since")}</th>
              <th>{t("members.columns.lastLogin")}</th>
              <th aria-label={t("members.columns.actions")} />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.email}
                  {m.accountID === session.id && <span className="muted"> {t("members.you")}</span>}
                </td>
                <td>
                  <select aria-label={t("members.roleOf", { email: m.email })} value={m.role} disabled={roleState.running} onChange={(e) => change(m, e.target.value as Role)}>
                    <RoleOptions />
                  </select>
                </td>
                <td className="team-nowrap">{when(m.since)}</td>
                <td className="team-nowrap" title={when(m.lastLoginAt)}>
                  {m.lastLoginAt ? ago(m.lastLoginAt) : <span className="muted">{t("members.never")}</span>}
                </td>
                <td className="team-actions">
                  <button type="button" className="secondary" aria-label={t("members.removeWho", { email: m.email })} onClick={() => (clearRemove(), clearRole(), setRemoving(m))}>
                    {t("members.remove")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      <Invitations appID={app.id} />
      {removing && (
        <Confirm
          title={t("members.confirmRemove", { email: removing.email })}
          confirm={t("members.remove")}
          danger
          busy={removeState.running}
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            const m = removing;
            if (await remove({ id: m.id })) {
              setRemoving(null);
              setNote(t("members.removed", { email: m.email, app: app.name }));
              reload();
              afterOwnChange(m, true);
            }
          }}
        >
          <p>
            {removing.accountID === session.id && !session.admin
              ? t("members.youLose", { app: app.name })
              : t("members.theyLose", { app: app.name })}
          </p>
          <TeamProblem error={removeState.error} action="remove" />
        </Confirm>
      )}
    </section>
  );
}

type Invitation = { id: string; email: string; role: Role; invitedBy: string; createdAt: string; expiresAt: string };

// Invitations are the way in: an invitation is recorded by email and waits
// for whoever holds it, so pushd's answer (and this list) is the same
// whether or not an account has the email.
function Invitations({ appID }: { appID: string }) {
  const { t } = useTranslation("settings");
  const roles = useRoleWords();
  const { data, error, loading, reload } = useQuery(SettingsInvitationsQuery, { id: appID });
  const invitations: Invitation[] = data?.node?.__typename === "App" ? data.node.invitations : [];
  const [cancel, cancelState] = useMutation(SettingsCancelInvitationMutation);
  const [note, setNote] = useState("");

  return (
    <div className="team-invitations">
      <h3 className="team-card-title">{t("invitations.title")}</h3>
      <Problem error={error} retry={reload} />
      <Problem error={cancelState.error} />
      {note && (
        <p className="team-saved" role="status">
          {note}
        </p>
      )}
      <ListBody data={data} loading={loading} error={error} count={invitations.length} empty={t("invitations.empty")}>
        <table aria-label={t("invitations.title")} className="team-table">
          <thead>
            <tr>
              <th>{t("invitations.columns.email")}</th>
              <th>{t("invitations.columns.role")}</th>
              <th>{t("invitations.columns.invited")}</th>
              <th>{t("invitations.columns.expires")}</th>
              <th aria-label={t("invitations.columns.actions")} />
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{roles.label(i.role)}</td>
                <td className="team-nowrap" title={i.invitedBy ? t("invitations.by", { who: i.invitedBy }) : undefined}>
                  {when(i.createdAt)}
                </td>
                <td className="team-nowrap">{when(i.expiresAt)}</td>
                <td className="team-actions">
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t("invitations.withdrawWho", { email: i.email })}
                    disabled={cancelState.running}
                    onClick={async () => {
                      if (await cancel({ id: i.id })) {
                        setNote(t("invitations.withdrawn", { email: i.email }));
                        reload();
                      }
                    }}
                  >
                    {t("invitations.withdraw")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      <InviteMember
        appID={appID}
        onInvited={(email, role) => {
          setNote(t("invitations.sent", { email, role: roles.inSentence(role) }));
          reload();
        }}
      />
    </div>
  );
}

function InviteMember({ appID, onInvited }: { appID: string; onInvited: (email: string, role: Role) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("DEVELOPER");
  const [invalid, setInvalid] = useState<string | null>(null);
  const { t } = useTranslation("settings");
  const [invite, state, clear] = useMutation(SettingsInviteMutation);
  const hint = useRoleWords().hint(role);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = inviteInput(appID, { email, role });
    if (!built.input) return setInvalid(built.error);
    setInvalid(null);
    const r = await invite({ input: built.input });
    if (r) {
      setEmail("");
      onInvited(r.inviteMember.email, r.inviteMember.role);
    }
  }

  return (
    <form className="team-add" onSubmit={submit} noValidate aria-label={t("invite.form")}>
      <Field label={t("invite.email")}>
        {(id) => (
          <input
            id={id}
            type="email"
            value={email}
            onChange={(e) => (setEmail(e.target.value), clear(), setInvalid(null))}
            placeholder={t("invite.placeholder")}
            autoComplete="off"
            aria-invalid={!!invalid || undefined}
          />
        )}
      </Field>
      <RoleField value={role} onChange={setRole} />
      <div className="actions">
        <button type="submit" disabled={state.running}>
          {t("invite.submit")}
        </button>
      </div>
      <div style={{ gridColumn: "1 / -1" }}>
        <small className="muted">{hint}</small>
        <CheckProblem message={invalid} />
        <TeamProblem error={state.error} action="invite" />
      </div>
    </form>
  );
}

function DangerZone({ app }: { app: App }) {
  const { t } = useTranslation("settings");
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState("");
  const [remove, state, clear] = useMutation(SettingsDeleteAppMutation);
  const ok = deletionConfirmed(typed, app.name);

  return (
    <section className="card team-danger" aria-label={t("danger.title")}>
      <h2 className="team-card-title">{t("danger.title")}</h2>
      <p>{t("danger.intro")}</p>
      <button type="button" className="danger" onClick={() => (setTyped(""), clear(), setAsking(true))}>
        {t("danger.delete")}
      </button>
      {asking && (
        <Confirm
          title={t("danger.confirmTitle", { name: app.name })}
          confirm={t("danger.confirm")}
          danger
          busy={!ok || state.running}
          onCancel={() => setAsking(false)}
          onConfirm={async () => {
            if (!ok) return;
            if (await remove({ id: app.id })) {
              // A fresh /apps loads the session and the lists again, without
              // this app.
              navigate("/apps", { replace: true });
            }
          }}
        >
          <p>{t("danger.confirmText")}</p>
          <label>
            {t("danger.appName")}
            <input
              className="team-confirm-input"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              placeholder={app.name}
              autoComplete="off"
              spellCheck={false}
              autoFocus
            />
          </label>
          <Problem error={state.error} />
        </Confirm>
      )}
    </section>
  );
}
