import { useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { graphql } from "../gql";
import { useMutation, useQuery } from "../hooks";
import { setParam } from "../lib/content";
import { count, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { useCan } from "../session";
import { Confirm, Empty, Field, Loading, PageHeader, Pager, Problem, usePager } from "../ui";
import "./content.css";

const GroupsQuery = graphql(`
  query GroupsList($where: GroupWhereInput, $first: Int, $after: Cursor) {
    groups(where: $where, orderBy: { field: NAME, direction: ASC }, first: $first, after: $after) {
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
          createdAt
          updatedAt
          members(first: 0) {
            totalCount
          }
        }
      }
    }
  }
`);

const GroupQuery = graphql(`
  query GroupsOne($id: ID!) {
    node(id: $id) {
      __typename
      ... on Group {
        id
        appID
        name
        description
      }
    }
  }
`);

const CreateGroupMutation = graphql(`
  mutation GroupsCreate($input: CreateGroupInput!) {
    createGroup(input: $input) {
      id
    }
  }
`);

const UpdateGroupMutation = graphql(`
  mutation GroupsUpdate($id: ID!, $input: UpdateGroupInput!) {
    updateGroup(id: $id, input: $input) {
      id
    }
  }
`);

const DeleteGroupMutation = graphql(`
  mutation GroupsDelete($id: ID!) {
    deleteGroup(id: $id)
  }
`);

export default function Groups() {
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  // The open form is part of the URL: ?new or ?edit=<group ID>.
  const editing = can.write ? (params.get("edit") ?? "") : "";
  const creating = can.write && params.has("new");
  const where = { appID, ...(q ? { nameContainsFold: q } : {}) };
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(GroupsQuery, { where, first: PAGE_SIZE, after: pager.after });
  const groups = data?.groups.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const [remove, removed] = useMutation(DeleteGroupMutation);

  const close = () => {
    const p = new URLSearchParams(params);
    p.delete("new");
    p.delete("edit");
    setParams(p);
  };
  const open = (key: "new" | "edit", value = "") => {
    const p = new URLSearchParams(params);
    p.delete("new");
    p.delete("edit");
    p.set(key, value);
    setParams(p);
  };

  return (
    <>
      <PageHeader title="Groups">
        {can.write && !creating && (
          <button type="button" onClick={() => open("new")}>
            New group
          </button>
        )}
      </PageHeader>
      <p className="muted small" style={{ marginTop: 0 }}>
        A group is a named set of the app's users: a push to a group reaches every device bound to its members.
      </p>
      {creating && (
        <GroupForm
          appID={appID}
          onDone={() => {
            close();
            reload();
          }}
          onCancel={close}
        />
      )}
      {editing && (
        <EditGroup
          key={editing}
          appID={appID}
          id={editing}
          onDone={() => {
            close();
            reload();
          }}
          onCancel={close}
        />
      )}
      <Search key={q} q={q} apply={(v) => setParams(setParam(params, "q", v))} />
      <Problem error={error} retry={reload} />
      <Problem error={removed.error} />
      {loading && !data ? (
        <Loading />
      ) : groups.length === 0 && !error ? (
        <Empty>{q ? "No group name matches." : "No groups yet."}</Empty>
      ) : (
        <table aria-label="Groups">
          <thead>
            <tr>
              <th>Name</th>
              <th>Members</th>
              <th>Updated</th>
              <th>Created</th>
              {can.write && (
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.id}>
                <td>
                  <strong>{g.name}</strong>
                  {g.description && <div className="muted small">{g.description}</div>}
                  <div className="muted small" title="Broadcasts name groups by this ID">
                    <code>{g.id}</code>
                  </div>
                </td>
                <td>
                  <Link to={`/apps/${appID}/users?group=${g.id}`} aria-label={`Members of ${g.name}`}>
                    {count(g.members.totalCount)} {g.members.totalCount === 1 ? "member" : "members"}
                  </Link>
                </td>
                <td className="nowrap">{when(g.updatedAt)}</td>
                <td className="nowrap">{when(g.createdAt)}</td>
                {can.write && (
                  <td className="nowrap">
                    <div className="actions">
                      <button type="button" className="secondary" onClick={() => open("edit", g.id)} aria-label={`Edit ${g.name}`}>
                        Edit
                      </button>
                      <button type="button" className="secondary" onClick={() => setDeleting(g)} aria-label={`Delete ${g.name}`}>
                        Delete
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(groups.length > 0 || pager.page > 1) && <Pager pager={pager} conn={data?.groups} />}
      {deleting && (
        <Confirm
          title={`Delete the group ${deleting.name}?`}
          confirm="Delete group"
          danger
          busy={removed.running}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            const ok = await remove({ id: deleting.id });
            setDeleting(null);
            if (ok) {
              if (editing === deleting.id) close();
              reload();
            }
          }}
        >
          <p>Its users and their devices stay; pushes already sent to the group are not affected.</p>
        </Confirm>
      )}
    </>
  );
}

function Search({ q, apply }: { q: string; apply: (q: string) => void }) {
  const [value, setValue] = useState(q);
  return (
    <form
      className="filters"
      role="search"
      aria-label="Search groups"
      onSubmit={(e) => {
        e.preventDefault();
        apply(value.trim());
      }}
    >
      <label className="grow">
        Group name
        <input type="search" value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit">Search</button>
      {q && (
        <button type="button" className="secondary" onClick={() => apply("")}>
          Clear
        </button>
      )}
    </form>
  );
}

function EditGroup({ appID, id, onDone, onCancel }: { appID: string; id: string; onDone: () => void; onCancel: () => void }) {
  const { data, error, loading, reload } = useQuery(GroupQuery, { id });
  const group = data?.node && data.node.__typename === "Group" && data.node.appID === appID ? data.node : undefined;
  if (error) return <Problem error={error} retry={reload} />;
  if (loading && !data) return <Loading />;
  if (!group) {
    return (
      <div className="card">
        <p className="muted">This app has no group {id}.</p>
        <button type="button" className="secondary" onClick={onCancel}>
          Close
        </button>
      </div>
    );
  }
  return <GroupForm appID={appID} group={group} onDone={onDone} onCancel={onCancel} />;
}

function GroupForm({
  appID,
  group,
  onDone,
  onCancel,
}: {
  appID: string;
  group?: { id: string; name: string; description: string };
  onDone: () => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [create, created] = useMutation(CreateGroupMutation);
  const [update, updated] = useMutation(UpdateGroupMutation);
  const running = created.running || updated.running;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = group
      ? await update({ id: group.id, input: { name: name.trim(), description } })
      : await create({ input: { appID, name: name.trim(), description } });
    if (ok) onDone();
  }

  return (
    <form className="card" onSubmit={submit} aria-label={group ? "Edit group" : "New group"}>
      <h2 style={{ margin: 0 }}>{group ? `Edit ${group.name}` : "New group"}</h2>
      <Field label="Name" hint="Unique in the app.">
        {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />}
      </Field>
      <Field label="Description">
        {(id) => <textarea id={id} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} rows={2} />}
      </Field>
      {!group && <p className="muted small">Add members after creating it, from its member list.</p>}
      <Problem error={created.error ?? updated.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={running || !name.trim()}>
          {group ? "Save group" : "Create group"}
        </button>
      </div>
    </form>
  );
}
