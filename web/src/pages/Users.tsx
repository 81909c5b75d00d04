import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { gql } from "../api";
import { ActionsHeader, SearchForm } from "../components/ListPage";
import { TestSend } from "../components/TestSend";
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
            online
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
  const { t } = useTranslation("users");
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
      <PageHeader title={group ? t("titleInGroup", { group: group.name }) : t("title")}>
        {filter.group && (
          <Link to={`/apps/${appID}/groups`} className="small">
            {t("allGroups")}
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
            <p className="muted">{t("noGroup", { id: filter.group })}</p>
          )}
          <p className="small" style={{ marginBottom: 0 }}>
            <button type="button" className="link" onClick={() => setParams(withParams(params, { group: "" }))}>
              {t("showAll")}
            </button>
          </p>
        </div>
      )}
      <SearchForm
        label={t("search.label")}
        field={t("search.field")}
        q={filter.q}
        placeholder={t("search.placeholder")}
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
            ? t("empty.noMatch")
            : filter.group
              ? t("empty.noMembers")
              : t("empty.none")
        }
      >
        <table aria-label={t("table")}>
          <thead>
            <tr>
              <th>{t("columns.userID")}</th>
              <th>{t("columns.devices")}</th>
              <th>{t("columns.groups")}</th>
              <th>{t("columns.lastSeen")}</th>
              <th>{t("columns.since")}</th>
              {group && can.write && <ActionsHeader />}
              {can.send && <ActionsHeader />}
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const devices = u.devices ?? [];
              const seen = devices.map((d) => d.lastSeenAt).filter((s): s is string => !!s).sort().pop();
              const platforms = [...new Set(devices.map((d) => t(`platform.${d.platform}` as "platform.IOS")))].join(t("separator"));
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
                        {t("devices", { count: devices.length })}
                      </Link>
                    ) : (
                      <span className="muted">{t("none")}</span>
                    )}
                    {devices.length > 0 && <div className="muted small">{platforms}</div>}
                  </td>
                  <td>
                    {u.groups?.length ? (
                      u.groups.map((g, i) => (
                        <span key={g.id}>
                          {i > 0 && t("separator")}
                          <Link to={`/apps/${appID}/users?group=${g.id}`}>{g.name}</Link>
                        </span>
                      ))
                    ) : (
                      <span className="muted">–</span>
                    )}
                  </td>
                  <td className="nowrap" title={when(seen)}>
                    {ago(seen)}
                    {devices.some((d) => d.online) && (
                      <>
                        {" "}
                        <span className="badge good">{t("onlineNow", { count: devices.filter((d) => d.online).length })}</span>
                      </>
                    )}
                  </td>
                  <td className="nowrap">{when(u.createdAt)}</td>
                  {group && can.write && (
                    <td>
                      <button type="button" className="secondary" onClick={() => setRemoving(u)}>
                        {t("remove")}
                      </button>
                    </td>
                  )}
                  {can.send && (
                    <td>
                      <TestSend appID={appID} subject={{ kind: "user", id: u.externalID }} name={u.externalID} />
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
          title={t("confirmRemove.title")}
          confirm={t("confirmRemove.button")}
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
            <Trans t={t} i18nKey="confirmRemove.body" values={{ user: removing.externalID, group: group.name }} components={{ strong: <strong /> }} />
          </p>
        </Confirm>
      )}
    </>
  );
}

// AddMembers adds users to a group by the backend's user IDs: pushd only
// knows users that have had a device bound, so the rest are reported.
function AddMembers({ appID, groupID, done }: { appID: string; groupID: string; done: () => void }) {
  const { t } = useTranslation("users");
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
    <form onSubmit={submit} aria-label={t("add.form")}>
      <label>
        {t("add.label")}
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} />
      </label>
      {wanted.length > MAX_ADD && <p className="error small">{t("add.tooMany", { max: MAX_ADD })}</p>}
      <Problem error={lookupError ?? changed.error} />
      {unknown.length > 0 && (
        <p className="warning small" role="status">
          {t("add.unknown", { ids: unknown.join(t("separator")) })}
        </p>
      )}
      {added != null && (
        <p className="muted small" role="status">
          {t("add.added", { count: added })}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={changed.running || wanted.length === 0 || wanted.length > MAX_ADD}>
          {t("add.submit")}
        </button>
      </div>
    </form>
  );
}
