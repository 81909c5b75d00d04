import { useState, type FormEvent, type ReactNode } from "react";
import { useLocation, useNavigate, useParams } from "react-router-dom";
import { RoleField, RoleOptions, TeamProblem } from "../components/Team";
import { graphql } from "../gql";
import type { Role } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { ago, when } from "../lib/format";
import { appUpdate, asRole, deletionConfirmed, DESCRIPTION_MAX, inviteInput, NAME_MAX, roleLabel, ROLES } from "../lib/team";
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

export default function Settings() {
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const { data, error, loading, reload } = useQuery(SettingsAppQuery, { id: appID });
  const app = data?.node?.__typename === "App" ? data.node : undefined;

  return (
    <>
      <PageHeader title="Settings" />
      <Problem error={error} retry={reload} />
      {loading && !data ? (
        <Loading />
      ) : !app ? (
        !error && <Empty>This app does not exist (or you cannot see it).</Empty>
      ) : (
        <>
          <AppCard key={app.updatedAt} app={app} canEdit={can.administer} saved={reload} />
          {can.administer ? (
            <Members app={app} />
          ) : (
            <section className="card" aria-label="Members">
              <h2 className="team-card-title">Members</h2>
              <p className="muted team-intro">Only the app's owners see its team and give roles; ask one of them to add someone.</p>
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
    <section className="card" aria-label="App">
      <h2 className="team-card-title">App</h2>
      {canEdit ? (
        <form className="team-form" onSubmit={submit} noValidate aria-label="App details">
          <Field label="Name">
            {(id) => (
              <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={NAME_MAX} aria-invalid={invalid?.field === "name"} />
            )}
          </Field>
          <Field label="Description" hint="For your team: what the app is, who runs it.">
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
              Saved.
            </p>
          )}
          <div className="actions">
            <button type="submit" disabled={updated.running || !changed}>
              Save
            </button>
            {changed && (
              <button type="button" className="secondary" onClick={() => (setName(app.name), setDescription(app.description), setInvalid(null))}>
                Undo changes
              </button>
            )}
          </div>
        </form>
      ) : (
        <dl className="props team-readonly">
          <dt>Name</dt>
          <dd>{app.name}</dd>
          <dt>Description</dt>
          <dd>{app.description || <span className="muted">none</span>}</dd>
        </dl>
      )}
      <dl className="props team-keys">
        <dt>App key</dt>
        <dd>
          <CopyLine text={app.appKey} label="Copy app key" />
          <div className="muted small">Public: your apps register devices with it (it signs nothing and sends nothing).</div>
        </dd>
        <dt>App ID</dt>
        <dd>
          <CopyLine text={app.id} label="Copy app ID" />
          <div className="muted small">For GraphQL calls that name the app (appID).</div>
        </dd>
        <dt>Created</dt>
        <dd>{when(app.createdAt)}</dd>
      </dl>
    </section>
  );
}

function Members({ app }: { app: App }) {
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
      setNote(`${m.email} is now ${asRole(role)}.`);
      reload();
      afterOwnChange(m, false);
    }
  }

  return (
    <section className="card" aria-label="Members">
      <h2 className="team-card-title">Members</h2>
      <p className="muted team-intro">
        Owners manage keys, channels, webhooks and members; developers send pushes and change content; viewers only read. Admins may do everything
        in every app without being members. People join by invitation: they accept it on their Invitations page.
      </p>
      <Problem error={error} retry={reload} />
      <TeamProblem error={roleState.error} action="change" />
      {note && (
        <p className="team-saved" role="status">
          {note}
        </p>
      )}
      <ListBody data={data} loading={loading} error={error} count={members.length} empty="No members yet: only admins can work on this app. Invite people by their email.">
        <table aria-label="Members" className="team-table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Since</th>
              <th>Last login</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.email}
                  {m.accountID === session.id && <span className="muted"> (you)</span>}
                </td>
                <td>
                  <select aria-label={`Role of ${m.email}`} value={m.role} disabled={roleState.running} onChange={(e) => change(m, e.target.value as Role)}>
                    <RoleOptions />
                  </select>
                </td>
                <td className="team-nowrap">{when(m.since)}</td>
                <td className="team-nowrap" title={when(m.lastLoginAt)}>
                  {m.lastLoginAt ? ago(m.lastLoginAt) : <span className="muted">never</span>}
                </td>
                <td className="team-actions">
                  <button type="button" className="secondary" aria-label={`Remove ${m.email}`} onClick={() => (clearRemove(), clearRole(), setRemoving(m))}>
                    Remove
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
          title={`Remove ${removing.email}?`}
          confirm="Remove"
          danger
          busy={removeState.running}
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            const m = removing;
            if (await remove({ id: m.id })) {
              setRemoving(null);
              setNote(`${m.email} no longer has a role in ${app.name}.`);
              reload();
              afterOwnChange(m, true);
            }
          }}
        >
          <p>
            {removing.accountID === session.id && !session.admin
              ? `You lose your access to ${app.name} at once.`
              : `They lose their access to ${app.name} at once; their console account stays.`}
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
  const { data, error, loading, reload } = useQuery(SettingsInvitationsQuery, { id: appID });
  const invitations: Invitation[] = data?.node?.__typename === "App" ? data.node.invitations : [];
  const [cancel, cancelState] = useMutation(SettingsCancelInvitationMutation);
  const [note, setNote] = useState("");

  return (
    <div className="team-invitations">
      <h3 className="team-card-title">Invitations</h3>
      <Problem error={error} retry={reload} />
      <Problem error={cancelState.error} />
      {note && (
        <p className="team-saved" role="status">
          {note}
        </p>
      )}
      <ListBody data={data} loading={loading} error={error} count={invitations.length} empty="No invitations waiting.">
        <table aria-label="Invitations" className="team-table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Invited</th>
              <th>Expires</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{roleLabel(i.role)}</td>
                <td className="team-nowrap" title={i.invitedBy ? `by ${i.invitedBy}` : undefined}>
                  {when(i.createdAt)}
                </td>
                <td className="team-nowrap">{when(i.expiresAt)}</td>
                <td className="team-actions">
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Withdraw the invitation of ${i.email}`}
                    disabled={cancelState.running}
                    onClick={async () => {
                      if (await cancel({ id: i.id })) {
                        setNote(`The invitation of ${i.email} is withdrawn.`);
                        reload();
                      }
                    }}
                  >
                    Withdraw
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
          setNote(`${email} is invited as ${asRole(role)}: they accept on their Invitations page once they log in with that email.`);
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
  const [invite, state, clear] = useMutation(SettingsInviteMutation);
  const hint = ROLES.find((r) => r.value === role)?.hint;

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
    <form className="team-add" onSubmit={submit} noValidate aria-label="Invite member">
      <Field label="Email">
        {(id) => (
          <input
            id={id}
            type="email"
            value={email}
            onChange={(e) => (setEmail(e.target.value), clear(), setInvalid(null))}
            placeholder="someone@example.com"
            autoComplete="off"
            aria-invalid={!!invalid || undefined}
          />
        )}
      </Field>
      <RoleField value={role} onChange={setRole} />
      <div className="actions">
        <button type="submit" disabled={state.running}>
          Invite
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
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState("");
  const [remove, state, clear] = useMutation(SettingsDeleteAppMutation);
  const ok = deletionConfirmed(typed, app.name);

  return (
    <section className="card team-danger" aria-label="Danger zone">
      <h2 className="team-card-title">Danger zone</h2>
      <p>
        Deleting the app deletes everything in it: devices, users, groups, templates, pushes and their statistics, API keys, channels, webhooks and
        members. Backends and devices using its keys are refused from then on. It cannot be undone.
      </p>
      <button type="button" className="danger" onClick={() => (setTyped(""), clear(), setAsking(true))}>
        Delete app…
      </button>
      {asking && (
        <Confirm
          title={`Delete ${app.name}?`}
          confirm="Delete app"
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
          <p>Everything in it goes for good. Type the app's name to confirm.</p>
          <label>
            App name
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
