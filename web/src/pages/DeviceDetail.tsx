import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { TestSend } from "../components/TestSend";
import { graphql } from "../gql";
import { useMutation, useQuery } from "../hooks";
import { maskToken } from "../lib/content";
import { ago, channelName, when } from "../lib/format";
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
  const { t } = useTranslation("devices");
  const { appID = "", deviceID = "" } = useParams();
  const can = useCan(appID);
  const { data, error, loading, reload } = useQuery(DeviceQuery, { id: deviceID });
  const device = data?.node && data.node.__typename === "Device" && data.node.appID === appID ? data.node : undefined;

  const title = (
    <>
      <Link to={`/apps/${appID}/devices`} className="muted small">
        {t("list.title")}
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
        <Empty>{t("detail.missing", { id: deviceID })}</Empty>
      </>
    );
  }

  return (
    <>
      <PageHeader title={title}>
        <CopyButton text={device.id} label={t("detail.copyID")} />
        <TestSend appID={appID} subject={{ kind: "device", id: device.id }} />
      </PageHeader>
      <div className="grid-2">
        <section className="card" aria-label={t("detail.properties.title")}>
          <h2 style={{ marginTop: 0 }}>{t("detail.properties.title")}</h2>
          <dl className="props">
            <dt>{t("detail.properties.installationID")}</dt>
            <dd>
              <code>{device.installationID}</code>
            </dd>
            <dt>{t("detail.properties.platform")}</dt>
            <dd>
              {t(`platform.${device.platform}` as "platform.IOS")} {device.osVersion}
            </dd>
            <dt>{t("detail.properties.appVersion")}</dt>
            <dd>{device.appVersion || "–"}</dd>
            <dt>{t("detail.properties.model")}</dt>
            <dd>{[device.brand, device.model].filter(Boolean).join(" ") || "–"}</dd>
            <dt>{t("detail.properties.locale")}</dt>
            <dd>{device.locale || "–"}</dd>
            <dt>{t("detail.properties.timezone")}</dt>
            <dd>{device.timezone || "–"}</dd>
            <dt>{t("detail.properties.push")}</dt>
            <dd>{device.pushEnabled ? t("detail.properties.pushOn") : <span className="badge warn">{t("detail.properties.pushOff")}</span>}</dd>
            <dt>{t("detail.properties.lastSeen")}</dt>
            <dd title={when(device.lastSeenAt)}>
              {ago(device.lastSeenAt)} {device.online && <span className="badge good">{t("onlineNow")}</span>}
            </dd>
            <dt>{t("detail.properties.registered")}</dt>
            <dd>{when(device.createdAt)}</dd>
            <dt>{t("detail.properties.updated")}</dt>
            <dd>{when(device.updatedAt)}</dd>
            <dt>{t("detail.properties.tags")}</dt>
            <dd>
              <DeviceTags deviceID={device.id} tags={device.tags ?? []} write={can.write} saved={reload} />
            </dd>
          </dl>
        </section>
        <UserCard appID={appID} device={device} write={can.write} reload={reload} />
      </div>

      <section aria-label={t("detail.tokens.title")}>
        <h2>{t("detail.tokens.title")}</h2>
        {device.tokens?.length ? (
          // On a phone the table scrolls sideways; with nothing focusable
          // in it, it takes the focus itself, for the keyboard to scroll it.
          <table tabIndex={0} aria-label={t("detail.tokens.title")}>
            <thead>
              <tr>
                <th>{t("detail.tokens.channel")}</th>
                <th>{t("detail.tokens.token")}</th>
                <th>{t("detail.tokens.status")}</th>
                <th>{t("detail.tokens.registered")}</th>
                <th>{t("detail.tokens.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {device.tokens.map((tok) => (
                <tr key={tok.id}>
                  <td>{channelName(tok.channel)}</td>
                  <td>
                    <code title={tok.token}>{maskToken(tok.token)}</code>
                  </td>
                  <td>
                    <Badge value={tok.status} />
                    {tok.status === "DEAD" && (
                      <div className="muted small">
                        {tok.deadReason || t("detail.tokens.refused")}
                        {tok.deadAt && ` · ${when(tok.deadAt)}`}
                      </div>
                    )}
                  </td>
                  <td className="nowrap">{when(tok.createdAt)}</td>
                  <td className="nowrap">{when(tok.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>{t("detail.tokens.none")}</Empty>
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
  const { t } = useTranslation("devices");
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
    <section className="card" aria-label={t("detail.user.title")}>
      <h2 style={{ marginTop: 0 }}>{t("detail.user.title")}</h2>
      {user ? (
        <dl className="props">
          <dt>{t("detail.user.userID")}</dt>
          <dd>
            <Link to={`/apps/${appID}/users?q=${encodeURIComponent(user.externalID)}`}>{user.externalID}</Link>
          </dd>
          <dt>{t("detail.user.bound")}</dt>
          <dd>{when(device.boundAt)}</dd>
          <dt>{t("detail.user.groups")}</dt>
          <dd>
            {user.groups?.length ? (
              user.groups.map((g, i) => (
                <span key={g.id}>
                  {i > 0 && t("separator")}
                  <Link to={`/apps/${appID}/users?group=${g.id}`}>{g.name}</Link>
                </span>
              ))
            ) : (
              <span className="muted">{t("detail.user.none")}</span>
            )}
          </dd>
        </dl>
      ) : (
        <p className="muted">{t("detail.user.notBound")}</p>
      )}
      {write && (
        <>
          <form className="inline-form section-gap" onSubmit={submit} aria-label={t("detail.user.form")}>
            <label>
              {user ? t("detail.user.bindAnother") : t("detail.user.bindTo")}
              <input value={userID} onChange={(e) => setUserID(e.target.value)} required maxLength={128} />
            </label>
            <button type="submit" disabled={bound.running || !userID.trim()}>
              {t("detail.user.bind")}
            </button>
            {user && (
              <button type="button" className="secondary" onClick={() => setConfirming(true)}>
                {t("detail.user.unbind")}
              </button>
            )}
          </form>
          <p className="muted small">{t("detail.user.vouching")}</p>
          <Problem error={bound.error ?? unbound.error} />
        </>
      )}
      {confirming && user && (
        <Confirm
          title={t("detail.user.confirm.title")}
          confirm={t("detail.user.confirm.button")}
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
            <Trans t={t} i18nKey="detail.user.confirm.body" values={{ user: user.externalID }} components={{ strong: <strong /> }} />
          </p>
        </Confirm>
      )}
    </section>
  );
}

function Deliveries({ appID, deviceID }: { appID: string; deviceID: string }) {
  const { t } = useTranslation("devices");
  const pager = usePager(deviceID);
  const { data, error, loading, reload } = useQuery(DeliveriesQuery, { id: deviceID, first: PAGE_SIZE, after: pager.after });
  const conn = data?.node?.__typename === "Device" ? data.node.deliveries : undefined;
  const rows = conn?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <section aria-label={t("detail.deliveries.label")}>
      <h2>{t("detail.deliveries.title")}</h2>
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={rows.length} empty={t("detail.deliveries.empty")}>
        <table>
          <thead>
            <tr>
              <th>{t("detail.deliveries.columns.push")}</th>
              <th>{t("detail.deliveries.columns.channel")}</th>
              <th>{t("detail.deliveries.columns.status")}</th>
              <th>{t("detail.deliveries.columns.attempts")}</th>
              <th>{t("detail.deliveries.columns.created")}</th>
              <th>{t("detail.deliveries.columns.progress")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/apps/${appID}/jobs/${d.jobID}`}>{d.job.taskName || d.job.templateName || d.jobID}</Link>
                  <div className="muted small">{t(`kind.${d.job.kind}` as "kind.SIMPLE")}</div>
                </td>
                <td>{d.channel ? channelName(d.channel) : "–"}</td>
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
                        {t(`detail.deliveries.progress.${what}`, { ago: ago(at) })}
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
