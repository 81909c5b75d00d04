import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { ActionsHeader, ConfirmDelete, ItemLoader, RowActions, SearchForm, useDeletion, useOpenForm } from "../components/ListPage";
import { TestSend } from "../components/TestSend";
import { graphql } from "../gql";
import { useMutation, useQuery } from "../hooks";
import { when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { useCan } from "../session";
import { Field, FormButtons, ListBody, PageHeader, Pager, Problem, usePager } from "../ui";
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
        ...GroupFields
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
  const { t } = useTranslation("groups");
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  const { creating, editing, open, close } = useOpenForm(can.write);
  const where = { appID, ...(q ? { nameContainsFold: q } : {}) };
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(GroupsQuery, { where, first: PAGE_SIZE, after: pager.after });
  const groups = data?.groups.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const deletion = useDeletion(DeleteGroupMutation, (id) => {
    if (editing === id) close();
    reload();
  });

  return (
    <>
      <PageHeader title={t("title")}>
        {can.write && !creating && (
          <button type="button" onClick={() => open("new")}>
            {t("new")}
          </button>
        )}
      </PageHeader>
      <p className="muted small" style={{ marginTop: 0 }}>
        {t("intro")}
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
      <SearchForm label={t("search.label")} field={t("search.field")} q={q} onSearch={(v) => setParams(withParams(params, { q: v }))} />
      <Problem error={error} retry={reload} />
      <Problem error={deletion.error} />
      <ListBody data={data} loading={loading} error={error} count={groups.length} empty={q ? t("empty.noMatch") : t("empty.none")}>
        <table aria-label={t("table")}>
          <thead>
            <tr>
              <th>{t("columns.name")}</th>
              <th>{t("columns.members")}</th>
              <th>{t("columns.updated")}</th>
              <th>{t("columns.created")}</th>
              {can.send && <ActionsHeader />}
              {can.write && <ActionsHeader />}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.id}>
                <td>
                  <strong>{g.name}</strong>
                  {g.description && <div className="muted small">{g.description}</div>}
                  <div className="muted small" title={t("idTitle")}>
                    <code>{g.id}</code>
                  </div>
                </td>
                <td>
                  <Link to={`/apps/${appID}/users?group=${g.id}`} aria-label={t("membersOf", { name: g.name, members: t("members", { count: g.members.totalCount }) })}>
                    {t("members", { count: g.members.totalCount })}
                  </Link>
                </td>
                <td className="nowrap">{when(g.updatedAt)}</td>
                <td className="nowrap">{when(g.createdAt)}</td>
                {can.send && (
                  <td>
                    <TestSend appID={appID} subject={{ kind: "group", id: g.id, name: g.name }} name={g.name} />
                  </td>
                )}
                {can.write && <RowActions name={g.name} onEdit={() => open({ edit: g.id })} onDelete={() => deletion.ask(g)} />}
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      {(groups.length > 0 || pager.page > 1) && <Pager pager={pager} conn={data?.groups} />}
      <ConfirmDelete deletion={deletion} what={t("delete.what")}>
        <p>{t("delete.body")}</p>
      </ConfirmDelete>
    </>
  );
}

function EditGroup({ appID, id, onDone, onCancel }: { appID: string; id: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation("groups");
  const query = useQuery(GroupQuery, { id });
  return (
    <ItemLoader
      query={query}
      pick={(d) => (d.node?.__typename === "Group" && d.node.appID === appID ? d.node : undefined)}
      missing={t("form.missing", { id })}
      onClose={onCancel}
    >
      {(group) => <GroupForm appID={appID} group={group} onDone={onDone} onCancel={onCancel} />}
    </ItemLoader>
  );
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
  const { t } = useTranslation("groups");
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
    <form className="card" onSubmit={submit} aria-label={group ? t("form.editLabel") : t("form.newLabel")}>
      <h2 style={{ margin: 0 }}>{group ? t("form.editTitle", { name: group.name }) : t("form.newTitle")}</h2>
      <Field label={t("form.name.label")} hint={t("form.name.hint")}>
        {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />}
      </Field>
      <Field label={t("form.description")}>
        {(id) => <textarea id={id} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} rows={2} />}
      </Field>
      {!group && <p className="muted small">{t("form.membersLater")}</p>}
      <Problem error={created.error ?? updated.error} />
      <FormButtons submit={group ? t("form.save") : t("form.create")} disabled={running || !name.trim()} onCancel={onCancel} />
    </form>
  );
}
