import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { graphql } from "../gql";
import { useMutation, useQuery } from "../hooks";
import { roleIn } from "../lib/roles";
import { useSession } from "../session";
import { Field, ListBody, PageHeader, Pager, Problem, usePager } from "../ui";
import { PAGE_SIZE } from "../lib/paging";
import { when } from "../lib/format";

const AppsQuery = graphql(`
  query Apps($after: Cursor, $first: Int) {
    apps(after: $after, first: $first, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          description
          appKey
          createdAt
        }
      }
    }
  }
`);

// Pending invitations are mentioned here, where an invited account lands.
const AppsInvitationsQuery = graphql(`
  query AppsInvitations {
    invitations {
      id
    }
  }
`);

const CreateAppMutation = graphql(`
  mutation CreateApp($input: CreateAppInput!) {
    createApp(input: $input) {
      id
    }
  }
`);

export function Apps() {
  const session = useSession();
  const navigate = useNavigate();
  const pager = usePager(null);
  const { data, error, loading, reload } = useQuery(AppsQuery, { after: pager.after, first: PAGE_SIZE });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [create, created] = useMutation(CreateAppMutation);
  const invited = useQuery(AppsInvitationsQuery, {}).data?.invitations.length ?? 0;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await create({ input: { name, description } });
    if (r) {
      session.reload();
      navigate(`/apps/${r.createApp.id}`);
    }
  }

  const apps = data?.apps.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <>
      <PageHeader title="Apps">
        {/* Only admins make apps (pushd refuses others). */}
        {session.admin && !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            New app
          </button>
        )}
      </PageHeader>
      {creating && (
        <form className="card" onSubmit={submit} aria-label="New app">
          <Field label="Name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />}</Field>
          <Field label="Description">{(id) => <input id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
          <Problem error={created.error} />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setCreating(false)}>
              Cancel
            </button>
            <button type="submit" disabled={created.running}>
              Create app
            </button>
          </div>
        </form>
      )}
      {invited > 0 && (
        <p className="card" role="status">
          {invited === 1 ? "An app's owners invited you to a role." : `Owners of ${invited} apps invited you to a role.`}{" "}
          <Link to="/invitations">See the invitations</Link>
        </p>
      )}
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={apps.length} empty={
          session.admin
            ? "No apps yet. Make one to get an app key, then register devices and send pushes."
            : "No apps yet: an admin makes apps and gives you a role in them."
        }>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>App key</th>
              <th>Your role</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/apps/${a.id}`}>{a.name}</Link>
                  {a.description && <div className="muted small">{a.description}</div>}
                </td>
                <td>
                  <code>{a.appKey}</code>
                </td>
                <td>{roleIn(session, a.id)?.toLowerCase() ?? "–"}</td>
                <td>{when(a.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      <Pager pager={pager} conn={data?.apps} />
    </>
  );
}
