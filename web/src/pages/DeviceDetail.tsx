import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { graphql } from "../gql";
import { useMutation, useQuery } from "../hooks";
import { maskToken } from "../lib/content";
import { ago, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { useCan } from "../session";
import { Badge, Confirm, CopyButton, Empty, ListBody, Loading, PageHeader, Pager, Problem, usePager } from "../ui";
import { DeviceTags } from "./DeviceTags";
import "./content.css";

const DeviceQuery = graphql(`
  query DeviceDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Device {
        id
        appID
        installationID
        platform
        appVersion
        osVersion
        model
        brand
        locale
        timezone
        tags
        pushEnabled
        lastSeenAt
        online
        createdAt
        updatedAt
        boundAt
        user {
          id
          externalID
          groups {
            id
            name
          }
        }
        tokens {
          id
          channel
          token
          status
          deadReason
          deadAt
          createdAt
          updatedAt
        }
      }
    }
  }
`);

const DeliveriesQuery = graphql(`
  query DeviceDetailDeliveries($id: ID!, $first: Int, $after: Cursor) {
    node(id: $id) {
      __typename
      ... on Device {
        id
        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              ...DeliveryStateFields
              jobID
              job {
                id
                kind
                taskName
                templateName
              }
            }
          }
        }
      }
    }
  }
`);

const BindMutation = graphql(`
  mutation DeviceDetailBind($input: BindUserInput!) {
    bindUser(input: $input) {
      id
      userID
    }
  }
`);

const UnbindMutation = graphql(`
  mutation DeviceDetailUnbind($id: ID!) {
    unbindUser(deviceID: $id) {
      id
      userID
    }
  }
`);

export default function DeviceDetail() {
  const { appID = "", deviceID = "" } = useParams();
  const can = useCan(appID);
  const { data, error, loading, reload } = useQuery(DeviceQuery, { id: deviceID });
  const device = data?.node && data.node.__typename === "Device" && data.node.appID === appID ? data.node : undefined;

  const title = (
    <>
      <Link to={`/apps/${appID}/devices`} className="muted small">
        Devices
      </Link>{" "}
      / <code>{deviceID}</code>
    </>
  );
  if (error) {
    return (
      <>
        <PageHeader title={title} />
        <Problem error={error} retry={reload} />
      </>
    );
  }
  if (loading && !data) return <Loading />;
  if (!device) {
    return (
      <>
        <PageHeader title={title} />
        <Empty>This app has no device {deviceID}.</Empty>
      </>
    );
  }

  return (
    <>
      <PageHeader title={title}>
        <CopyButton text={device.id} label="Copy ID" />
      </PageHeader>
      <div className="grid-2">
        <section className="card" aria-label="Properties">
          <h2 style={{ marginTop: 0 }}>Properties</h2>
          <dl className="props">
            <dt>Installation ID</dt>
            <dd>
              <code>{device.installationID}</code>
            </dd>
            <dt>Platform</dt>
            <dd>
              {device.platform} {device.osVersion}
            </dd>
            <dt>App version</dt>
            <dd>{device.appVersion || "–"}</dd>
            <dt>Model</dt>
            <dd>{[device.brand, device.model].filter(Boolean).join(" ") || "–"}</dd>
            <dt>Locale</dt>
            <dd>{device.locale || "–"}</dd>
            <dt>Time zone</dt>
            <dd>{device.timezone || "–"}</dd>
            <dt>Push</dt>
            <dd>{device.pushEnabled ? "enabled" : <span className="badge warn">turned off on the device</span>}</dd>
            <dt>Last seen</dt>
            <dd title={when(device.lastSeenAt)}>
              {ago(device.lastSeenAt)} {device.online && <span className="badge good">online now</span>}
            </dd>
            <dt>Registered</dt>
            <dd>{when(device.createdAt)}</dd>
            <dt>Updated</dt>
            <dd>{when(device.updatedAt)}</dd>
            <dt>Tags</dt>
            <dd>
              <DeviceTags deviceID={device.id} tags={device.tags ?? []} write={can.write} saved={reload} />
            </dd>
          </dl>
        </section>
        <UserCard appID={appID} device={device} write={can.write} reload={reload} />
      </div>

      <section aria-label="Vendor tokens">
        <h2>Vendor tokens</h2>
        {device.tokens?.length ? (
          <table>
            <thead>
              <tr>
                <th>Channel</th>
                <th>Token</th>
                <th>Status</th>
                <th>Registered</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {device.tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.channel}</td>
                  <td>
                    <code title={t.token}>{maskToken(t.token)}</code>
                  </td>
                  <td>
                    <Badge value={t.status} />
                    {t.status === "DEAD" && (
                      <div className="muted small">
                        {t.deadReason || "refused by the vendor"}
                        {t.deadAt && ` · ${when(t.deadAt)}`}
                      </div>
                    )}
                  </td>
                  <td className="nowrap">{when(t.createdAt)}</td>
                  <td className="nowrap">{when(t.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No vendor token: pushd reaches this device on its own channel while the app is connected.</Empty>
        )}
      </section>

      <Deliveries appID={appID} deviceID={device.id} />
    </>
  );
}

type Device = {
  id: string;
  boundAt?: string | null;
  user?: { id: string; externalID: string; groups?: { id: string; name: string }[] | null } | null;
};

function UserCard({ appID, device, write, reload }: { appID: string; device: Device; write: boolean; reload: () => void }) {
  const [userID, setUserID] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [bind, bound] = useMutation(BindMutation);
  const [unbind, unbound] = useMutation(UnbindMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await bind({ input: { deviceID: device.id, userID: userID.trim() } })) {
      setUserID("");
      reload();
    }
  }

  const user = device.user;
  return (
    <section className="card" aria-label="User">
      <h2 style={{ marginTop: 0 }}>User</h2>
      {user ? (
        <dl className="props">
          <dt>User ID</dt>
          <dd>
            <Link to={`/apps/${appID}/users?q=${encodeURIComponent(user.externalID)}`}>{user.externalID}</Link>
          </dd>
          <dt>Bound</dt>
          <dd>{when(device.boundAt)}</dd>
          <dt>Groups</dt>
          <dd>
            {user.groups?.length ? (
              user.groups.map((g, i) => (
                <span key={g.id}>
                  {i > 0 && ", "}
                  <Link to={`/apps/${appID}/users?group=${g.id}`}>{g.name}</Link>
                </span>
              ))
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
        </dl>
      ) : (
        <p className="muted">Not bound to a user: pushes to a user ID do not reach this device.</p>
      )}
      {write && (
        <>
          <form className="inline-form section-gap" onSubmit={submit} aria-label="Bind to a user">
            <label>
              {user ? "Bind to another user ID" : "Bind to user ID"}
              <input value={userID} onChange={(e) => setUserID(e.target.value)} required maxLength={128} />
            </label>
            <button type="submit" disabled={bound.running || !userID.trim()}>
              Bind
            </button>
            {user && (
              <button type="button" className="secondary" onClick={() => setConfirming(true)}>
                Unbind
              </button>
            )}
          </form>
          <p className="muted small">Binding here is the backend vouching for the user; the user's pending messages follow the device.</p>
          <Problem error={bound.error ?? unbound.error} />
        </>
      )}
      {confirming && user && (
        <Confirm
          title="Unbind the user?"
          confirm="Unbind"
          danger
          busy={unbound.running}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            const ok = await unbind({ id: device.id });
            setConfirming(false);
            if (ok) reload();
          }}
        >
          <p>
            Pushes to <strong>{user.externalID}</strong> stop reaching this device, and the messages waiting for it are withdrawn.
          </p>
        </Confirm>
      )}
    </section>
  );
}

function Deliveries({ appID, deviceID }: { appID: string; deviceID: string }) {
  const pager = usePager(deviceID);
  const { data, error, loading, reload } = useQuery(DeliveriesQuery, { id: deviceID, first: PAGE_SIZE, after: pager.after });
  const conn = data?.node?.__typename === "Device" ? data.node.deliveries : undefined;
  const rows = conn?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <section aria-label="Deliveries">
      <h2>Recent deliveries</h2>
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={rows.length} empty="Nothing was sent to this device yet.">
        <table>
          <thead>
            <tr>
              <th>Push</th>
              <th>Channel</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Created</th>
              <th>Progress</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/apps/${appID}/jobs/${d.jobID}`}>{d.job.taskName || d.job.templateName || d.jobID}</Link>
                  <div className="muted small">{d.job.kind.toLowerCase()}</div>
                </td>
                <td>{d.channel ?? "–"}</td>
                <td>
                  <Badge value={d.status} />
                  {d.lastError && <div className={`small ${d.status === "FAILED" || d.status === "EXPIRED" ? "error" : "muted"}`}>{d.lastError}</div>}
                </td>
                <td>{d.attempts}</td>
                <td className="nowrap">{when(d.createdAt)}</td>
                <td className="small">
                  {(
                    [
                      ["sent", d.sentAt],
                      ["arrived", d.arrivedAt],
                      ["opened", d.openedAt],
                    ] as const
                  )
                    .filter(([, at]) => at)
                    .map(([what, at]) => (
                      <div key={what} title={when(at)}>
                        {what} {ago(at)}
                      </div>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      {(rows.length > 0 || pager.page > 1) && <Pager pager={pager} conn={conn} />}
    </section>
  );
}
