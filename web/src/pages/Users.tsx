import { useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { gql } from "../api";
import { ActionsHeader, SearchForm } from "../components/ListPage";
import { graphql } from "../gql";
import { useMutation, useQuery } from "../hooks";
import { parseUserIDs, resolveUsers, userFilter, userWhere } from "../lib/content";
import { ago, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { useCan } from "../session";
import { Confirm, ListBody, Loading, PageHeader, Pager, Problem, usePager } from "../ui";
import "./content.css";

const UsersQuery = graphql(`
  query UsersList($where: AppUserWhereInput, $first: Int, $after: Cursor) {
    appUsers(where: $where, orderBy: { field: EXTERNAL_ID, direction: ASC }, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          externalID
          createdAt
          devices {
            id
            platform
            lastSeenAt
          }
          groups {
            id
            name
          }
        }
      }
    }
  }
`);

const GroupQuery = graphql(`
  query UsersGroup($id: ID!) {
    node(id: $id) {
      __typename
      ... on Group {
        ...GroupFields
      }
    }
  }
`);

const LookupQuery = graphql(`
  query UsersLookup($where: AppUserWhereInput, $first: Int) {
    appUsers(where: $where, first: $first) {
      edges {
        node {
          id
          externalID
        }
      }
    }
  }
`);

const ChangeMembersMutation = graphql(`
  mutation UsersChangeMembers($id: ID!, $input: UpdateGroupInput!) {
    updateGroup(id: $id, input: $input) {
      id
    }
  }
`);

// One look-up page of users must stay under pushd's query complexity limit
// (2,000 by default); more user IDs than this at once is a job for the
// API, not a text box.
const MAX_ADD = 100;

export default function Users() {
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const [params, setParams] = useSearchParams();
  const filter = userFilter(params);
  const where = userWhere(appID, filter);
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(UsersQuery, { where, first: PAGE_SIZE, after: pager.after });
  const users = data?.appUsers.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const groupQ = useQuery(GroupQuery, { id: filter.group }, { skip: !filter.group });
  // Only the group the URL names: while another loads, the previous one's
  // answer must not be acted on.
  const node = groupQ.data?.node;
  const group = filter.group && node && node.__typename === "Group" && node.id === filter.group && node.appID === appID ? node : undefined;
  const [removing, setRemoving] = useState<{ id: string; externalID: string } | null>(null);
  const [change, changed] = useMutation(ChangeMembersMutation);

  return (
    <>
      <PageHeader title={group ? `Users in ${group.name}` : "Users"}>
        {filter.group && (
          <Link to={`/apps/${appID}/groups`} className="small">
            All groups
          </Link>
        )}
      </PageHeader>
      {filter.group && (
        <div className="card">
          {groupQ.error ? (
            <Problem error={groupQ.error} retry={groupQ.reload} />
          ) : groupQ.loading ? (
            <Loading />
          ) : group ? (
            <>
              {group.description && <p style={{ marginTop: 0 }}>{group.description}</p>}
              {can.write && <AddMembers appID={appID} groupID={group.id} done={reload} />}
            </>
          ) : (
            <p className="muted">This app has no group {filter.group}.</p>
          )}
          <p className="small" style={{ marginBottom: 0 }}>
            <button type="button" className="link" onClick={() => setParams(withParams(params, { group: "" }))}>
              Show all users
            </button>
          </p>
        </div>
      )}
      <SearchForm
        label="Search users"
        field="User ID"
        q={filter.q}
        placeholder="part of the backend's user ID"
        onSearch={(q) => setParams(withParams(params, { q }))}
      />
      <Problem error={error} retry={reload} />
      <Problem error={changed.error} />
      <ListBody
        data={data}
        loading={loading}
        error={error}
        count={users.length}
        empty={
          filter.q
            ? "No user ID matches."
            : filter.group
              ? "This group has no members yet."
              : "No users yet. A user appears when a device is bound to the backend's user ID (device bind, or bindUser from the backend)."
        }
      >
        <table aria-label="Users">
          <thead>
            <tr>
              <th>User ID</th>
              <th>Devices</th>
              <th>Groups</th>
              <th>Last seen</th>
              <th>Since</th>
              {group && can.write && <ActionsHeader />}
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const devices = u.devices ?? [];
              const seen = devices.map((d) => d.lastSeenAt).filter((s): s is string => !!s).sort().pop();
              return (
                <tr key={u.id}>
                  <td>
                    <strong>{u.externalID}</strong>
                    <div className="muted small">
                      <code>{u.id}</code>
                    </div>
                  </td>
                  <td>
                    {devices.length ? (
                      <Link to={`/apps/${appID}/devices?user=${encodeURIComponent(u.externalID)}`}>
                        {devices.length} {devices.length === 1 ? "device" : "devices"}
                      </Link>
                    ) : (
                      <span className="muted">none</span>
                    )}
                    {devices.length > 0 && <div className="muted small">{[...new Set(devices.map((d) => d.platform))].join(", ")}</div>}
                  </td>
                  <td>
                    {u.groups?.length ? (
                      u.groups.map((g, i) => (
                        <span key={g.id}>
                          {i > 0 && ", "}
                          <Link to={`/apps/${appID}/users?group=${g.id}`}>{g.name}</Link>
                        </span>
                      ))
                    ) : (
                      <span className="muted">–</span>
                    )}
                  </td>
                  <td className="nowrap" title={when(seen)}>
                    {ago(seen)}
                  </td>
                  <td className="nowrap">{when(u.createdAt)}</td>
                  {group && can.write && (
                    <td>
                      <button type="button" className="secondary" onClick={() => setRemoving(u)}>
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </ListBody>
      {(users.length > 0 || pager.page > 1) && <Pager pager={pager} conn={data?.appUsers} />}
      {removing && group && (
        <Confirm
          title="Remove from the group?"
          confirm="Remove"
          danger
          busy={changed.running}
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            const ok = await change({ id: group.id, input: { removeMemberIDs: [removing.id] } });
            setRemoving(null);
            if (ok) reload();
          }}
        >
          <p>
            <strong>{removing.externalID}</strong> stops getting pushes sent to <strong>{group.name}</strong>. The user and their devices stay.
          </p>
        </Confirm>
      )}
    </>
  );
}

// AddMembers adds users to a group by the backend's user IDs: pushd only
// knows users that have had a device bound, so the rest are reported.
function AddMembers({ appID, groupID, done }: { appID: string; groupID: string; done: () => void }) {
  const [text, setText] = useState("");
  const [unknown, setUnknown] = useState<string[]>([]);
  const [lookupError, setLookupError] = useState<unknown>();
  const [added, setAdded] = useState<number | null>(null);
  const [change, changed] = useMutation(ChangeMembersMutation);
  const wanted = parseUserIDs(text);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setLookupError(undefined);
    setAdded(null);
    let found: { id: string; externalID: string }[];
    try {
      const r = await gql(LookupQuery, { where: { appID, externalIDIn: wanted }, first: MAX_ADD });
      found = r.appUsers.edges?.flatMap((x) => (x?.node ? [x.node] : [])) ?? [];
    } catch (err) {
      setLookupError(err);
      return;
    }
    const { ids, unknown: missing } = resolveUsers(wanted, found);
    setUnknown(missing);
    if (ids.length === 0) return;
    if (await change({ id: groupID, input: { addMemberIDs: ids } })) {
      setAdded(ids.length);
      setText(missing.join("\n"));
      done();
    }
  }

  return (
    <form onSubmit={submit} aria-label="Add members">
      <label>
        Add users (user IDs, one per line or separated by commas)
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} />
      </label>
      {wanted.length > MAX_ADD && <p className="error small">At most {MAX_ADD} at a time.</p>}
      <Problem error={lookupError ?? changed.error} />
      {unknown.length > 0 && (
        <p className="warning small" role="status">
          pushd knows no user {unknown.join(", ")} in this app yet (a user exists once a device is bound to it).
        </p>
      )}
      {added != null && (
        <p className="muted small" role="status">
          Added {added} {added === 1 ? "user" : "users"}.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={changed.running || wanted.length === 0 || wanted.length > MAX_ADD}>
          Add to group
        </button>
      </div>
    </form>
  );
}
