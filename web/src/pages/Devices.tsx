import { useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { graphql } from "../gql";
import { useQuery } from "../hooks";
import { deviceFilter, deviceOrder, deviceParams, deviceWhere, PLATFORMS, tokenSummary, type DeviceFilter } from "../lib/content";
import { ago, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { Badge, ListBody, PageHeader, Pager, Problem, usePager } from "../ui";
import "./content.css";

const DevicesQuery = graphql(`
  query DevicesList($where: DeviceWhereInput, $orderBy: DeviceOrder, $first: Int, $after: Cursor) {
    devices(where: $where, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          installationID
          platform
          appVersion
          osVersion
          model
          pushEnabled
          lastSeenAt
          online
          createdAt
          user {
            id
            externalID
          }
          tokens {
            id
            channel
            status
          }
        }
      }
    }
  }
`);

export default function Devices() {
  const { appID = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const filter = deviceFilter(params);
  const where = deviceWhere(appID, filter);
  const orderBy = deviceOrder(filter.sort);
  const pager = usePager({ where, orderBy });
  const { data, error, loading, reload } = useQuery(DevicesQuery, { where, orderBy, first: PAGE_SIZE, after: pager.after });
  const devices = data?.devices.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const filtered = Boolean(filter.q || filter.user || filter.tag || filter.platform || filter.bound || filter.push);
  const apply = (f: DeviceFilter) => setParams(deviceParams(f));

  return (
    <>
      <PageHeader title="Devices" />
      {/* The form starts over from the URL whenever it changes (back button, links). */}
      <Filters key={params.toString()} filter={filter} apply={apply} />
      <Problem error={error} retry={reload} />
      <ListBody
        data={data}
        loading={loading}
        error={error}
        count={devices.length}
        empty={
          filtered
            ? "No device matches these filters."
            : "No devices yet. Devices appear here when the app registers them (POST /device/v1/register with the app key)."
        }
      >
        <table aria-label="Devices">
          <thead>
            <tr>
              <th>Device</th>
              <th>Platform</th>
              <th>App version</th>
              <th>User</th>
              <th>Last seen</th>
              <th>Tokens</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => {
              const tokens = tokenSummary(d.tokens);
              return (
                <tr key={d.id}>
                  <td>
                    <Link to={`/apps/${appID}/devices/${d.id}`}>
                      <code>{d.id}</code>
                    </Link>
                    <div className="muted small clip" title={d.installationID}>
                      {d.model || d.installationID}
                    </div>
                  </td>
                  <td>
                    {d.platform}
                    {d.osVersion && <div className="muted small">{d.osVersion}</div>}
                  </td>
                  <td>{d.appVersion || "–"}</td>
                  <td>
                    {d.user ? (
                      <Link to={`/apps/${appID}/users?q=${encodeURIComponent(d.user.externalID)}`}>{d.user.externalID}</Link>
                    ) : (
                      <span className="muted">not bound</span>
                    )}
                  </td>
                  <td className="nowrap" title={when(d.lastSeenAt)}>
                    {d.online ? <span className="badge good">online now</span> : ago(d.lastSeenAt)}
                    {!d.pushEnabled && (
                      <div>
                        <span className="badge warn">push off</span>
                      </div>
                    )}
                  </td>
                  <td title={tokens.text}>
                    {tokens.active.length + tokens.dead.length === 0 ? (
                      <span className="muted small">self channel only</span>
                    ) : (
                      <>
                        {tokens.active.map((c) => (
                          <span key={c} className="badge good">
                            {c.toLowerCase()}
                          </span>
                        ))}
                        {tokens.dead.map((c) => (
                          <span key={c} className="badge bad">
                            {c.toLowerCase()} dead
                          </span>
                        ))}
                      </>
                    )}
                  </td>
                  <td className="nowrap">{when(d.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ListBody>
      {(devices.length > 0 || pager.page > 1) && <Pager pager={pager} conn={data?.devices} />}
      {devices.some((d) => d.tokens?.some((t) => t.status === "DEAD")) && (
        <p className="muted small">
          <Badge value="DEAD" /> tokens were refused by their vendor; pushd stops using them until the device registers them again.
        </p>
      )}
    </>
  );
}

// Filters edits the text fields locally and applies them on submit; the
// selects apply at once.
function Filters({ filter, apply }: { filter: DeviceFilter; apply: (f: DeviceFilter) => void }) {
  const [q, setQ] = useState(filter.q);
  const [user, setUser] = useState(filter.user);
  const [tag, setTag] = useState(filter.tag);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply({ ...filter, q: q.trim(), user: user.trim(), tag: tag.trim() });
  };
  const any = filter.q || filter.user || filter.tag || filter.platform || filter.bound || filter.push;
  return (
    <form className="filters" role="search" aria-label="Filter devices" onSubmit={submit}>
      <label className="grow">
        Device
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="a device ID or its start, or an installation ID" />
      </label>
      <label className="grow">
        User ID
        <input type="search" value={user} onChange={(e) => setUser(e.target.value)} placeholder="the backend's user ID, exactly" />
      </label>
      <label>
        Tag
        <input type="search" value={tag} onChange={(e) => setTag(e.target.value)} placeholder="exactly" size={10} />
      </label>
      <label>
        Platform
        <select value={filter.platform} onChange={(e) => apply({ ...filter, q, user, tag, platform: e.target.value as DeviceFilter["platform"] })}>
          <option value="">Any</option>
          {PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Bound
        <select value={filter.bound} onChange={(e) => apply({ ...filter, q, user, tag, bound: e.target.value as DeviceFilter["bound"] })}>
          <option value="">Any</option>
          <option value="yes">To a user</option>
          <option value="no">Not bound</option>
        </select>
      </label>
      <label>
        Push
        <select value={filter.push} onChange={(e) => apply({ ...filter, q, user, tag, push: e.target.value as DeviceFilter["push"] })}>
          <option value="">Any</option>
          <option value="on">Enabled</option>
          <option value="off">Turned off</option>
        </select>
      </label>
      <label>
        Sort
        <select value={filter.sort} onChange={(e) => apply({ ...filter, q, user, tag, sort: e.target.value as DeviceFilter["sort"] })}>
          <option value="LAST_SEEN">Last seen</option>
          <option value="NEWEST">Newest</option>
          <option value="OLDEST">Oldest</option>
        </select>
      </label>
      <button type="submit">Search</button>
      {any && (
        <button type="button" className="secondary" onClick={() => apply({ q: "", user: "", tag: "", platform: "", bound: "", push: "", sort: filter.sort })}>
          Clear
        </button>
      )}
    </form>
  );
}
