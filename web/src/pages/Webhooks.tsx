import { Fragment, useEffect, useState, type FormEvent } from "react";
import { useParams, useSearchParams } from "react-router-dom";
import { graphql } from "../gql";
import type { WebhookDeliveryStatus, WebhookDeliveryWhereInput } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { attemptOutcome, eventsText, WEBHOOK_EVENTS, webhookInput, type WebhookEvent } from "../lib/admin";
import { when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { useCan } from "../session";
import { Badge, CheckProblem, Confirm, CreatedCard, Field, FormButtons, ListBody, PageHeader, Pager, Problem, SecretOnce, usePager } from "../ui";
import "./admin.css";

const WebhooksQuery = graphql(`
  query WebhooksList($where: WebhookWhereInput, $first: Int, $after: Cursor) {
    webhooks(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          url
          events
          enabled
          createdAt
        }
      }
    }
  }
`);

const WebhooksDeliveriesQuery = graphql(`
  query WebhooksDeliveries($where: WebhookDeliveryWhereInput, $first: Int, $after: Cursor) {
    webhookDeliveries(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          webhookID
          receipts
          status
          attempts
          createdAt
          updatedAt
          deliveredAt
          webhook {
            id
            url
          }
          attemptLog {
            at
            statusCode
            error
            durationMS
          }
        }
      }
    }
  }
`);

const WebhooksCreateMutation = graphql(`
  mutation WebhooksCreate($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      webhook {
        id
        url
      }
      secret
    }
  }
`);

const WebhooksDeleteMutation = graphql(`
  mutation WebhooksDelete($id: ID!) {
    deleteWebhook(id: $id)
  }
`);

const STATUSES: WebhookDeliveryStatus[] = ["PENDING", "DELIVERED", "DEAD"];

type Created = { id: string; url: string; secret: string };

export default function Webhooks() {
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const [params, setParams] = useSearchParams();
  const creating = can.administer && params.get("new") === "1";
  const pager = usePager(appID);
  const { data, error, loading, reload } = useQuery(WebhooksQuery, { where: { appID }, first: PAGE_SIZE, after: pager.after });
  const hooks = data?.webhooks.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const [created, setCreated] = useState<Created | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; url: string } | null>(null);
  const [del, deleted, clearDelete] = useMutation(WebhooksDeleteMutation);
  const [tick, setTick] = useState(0);

  const set = (change: Record<string, string | null>) => setParams(withParams(params, change));

  return (
    <>
      <PageHeader title="Webhooks">
        {can.administer && !creating && (
          <button type="button" onClick={() => (setCreated(null), set({ new: "1" }))}>
            New webhook
          </button>
        )}
      </PageHeader>
      <p className="muted admin-intro">
        pushd posts delivery receipts (sent, arrived, opened, failed…) to these URLs in signed batches, and retries a batch until the receiver
        answers 2xx (13 tries over about 25 minutes).{!can.administer && " Only the app's owners add and remove webhooks."}
      </p>
      {created && <CreatedWebhook created={created} onDone={() => setCreated(null)} />}
      {creating && (
        <NewWebhook
          appID={appID}
          onCancel={() => set({ new: null })}
          onCreated={(c) => {
            setCreated(c);
            set({ new: null });
            reload();
          }}
        />
      )}
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={hooks.length} empty="No webhooks yet. Add one to hear of every delivery's fate in your backend without polling.">
        <table aria-label="Webhooks">
          <thead>
            <tr>
              <th>URL</th>
              <th>Reports</th>
              <th>State</th>
              <th>Created</th>
              {can.administer && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {hooks.map((h) => (
              <tr key={h.id}>
                <td>
                  <code>{h.url}</code>
                  <div className="muted small">
                    <code>{h.id}</code>
                  </div>
                </td>
                <td>{eventsText(h.events)}</td>
                <td>{h.enabled ? <span className="badge good">enabled</span> : <span className="badge warn">disabled</span>}</td>
                <td className="admin-nowrap">{when(h.createdAt)}</td>
                {can.administer && (
                  <td className="admin-actions">
                    <button type="button" className="secondary" onClick={() => (clearDelete(), setDeleting({ id: h.id, url: h.url }))} aria-label={`Delete webhook ${h.url}`}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      <Pager pager={pager} conn={data?.webhooks} />
      <Deliveries appID={appID} params={params} set={set} tick={tick} />
      {deleting && (
        <Confirm
          title="Delete this webhook?"
          confirm="Delete webhook"
          danger
          busy={deleted.running}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            if (await del({ id: deleting.id })) {
              setDeleting(null);
              reload();
              setTick((t) => t + 1);
            }
          }}
        >
          <p>
            <code>{deleting.url}</code> gets no more receipts, and the batches still waiting for it are dropped.
          </p>
          <Problem error={deleted.error} />
        </Confirm>
      )}
    </>
  );
}

function Deliveries({ appID, params, set, tick }: { appID: string; params: URLSearchParams; set: (c: Record<string, string | null>) => void; tick: number }) {
  const status = STATUSES.find((s) => s === params.get("status")) ?? null;
  const where: WebhookDeliveryWhereInput = { appID, ...(status ? { status } : {}) };
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(WebhooksDeliveriesQuery, { where, first: PAGE_SIZE, after: pager.after });
  // A deleted webhook takes its batches with it.
  useEffect(() => {
    if (tick) reload();
  }, [tick, reload]);
  const rows = data?.webhookDeliveries.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((o) => {
      const n = new Set(o);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <section aria-label="Recent deliveries">
      <div className="section-header">
        <h2>Recent deliveries</h2>
        <div className="actions">
          <label className="admin-inline">
            Status
            <select value={status ?? ""} onChange={(e) => set({ status: e.target.value })}>
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.toLowerCase()}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="secondary" onClick={reload} disabled={loading}>
            Refresh
          </button>
        </div>
      </div>
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={rows.length} empty={status ? `No ${status.toLowerCase()} batches.` : "No receipts posted yet. Batches appear here as pushes go out."}>
        <table aria-label="Deliveries" className="admin-deliveries">
          <thead>
            <tr>
              <th aria-label="Attempts" />
              <th>Batch</th>
              <th>Receipts</th>
              <th>Status</th>
              <th>Tries</th>
              <th>Created</th>
              <th>Delivered</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => {
              const isOpen = open.has(d.id);
              return (
                <Fragment key={d.id}>
                  <tr>
                    <td>
                      <button
                        type="button"
                        className="link admin-expand"
                        aria-expanded={isOpen}
                        aria-controls={`attempts-${d.id}`}
                        aria-label={`${isOpen ? "Hide" : "Show"} attempts of ${d.id}`}
                        onClick={() => toggle(d.id)}
                      >
                        {isOpen ? "▾" : "▸"}
                      </button>
                    </td>
                    <td>
                      <div className="admin-clip" title={d.id}>
                        <code>{d.id}</code>
                      </div>
                      <div className="muted small admin-clip" title={d.webhook.url}>
                        to {d.webhook.url}
                      </div>
                    </td>
                    <td>{d.receipts.toLocaleString("en-US")}</td>
                    <td>
                      <Badge value={d.status} />
                    </td>
                    <td>{d.attempts}</td>
                    <td className="admin-nowrap">{when(d.createdAt)}</td>
                    <td className="admin-nowrap">{d.deliveredAt ? when(d.deliveredAt) : <span className="muted">–</span>}</td>
                  </tr>
                  {isOpen && (
                    <tr className="admin-attempts" id={`attempts-${d.id}`}>
                      <td />
                      <td colSpan={6}>
                        {d.attemptLog.length === 0 ? (
                          <p className="muted small admin-tight">No tries yet: the batch is queued.</p>
                        ) : (
                          <table aria-label={`Attempts of ${d.id}`}>
                            <thead>
                              <tr>
                                <th>#</th>
                                <th>Time</th>
                                <th>Answer</th>
                                <th>Took</th>
                              </tr>
                            </thead>
                            <tbody>
                              {d.attemptLog.map((a, i) => {
                                const o = attemptOutcome(a);
                                return (
                                  <tr key={i}>
                                    <td>{d.attempts - d.attemptLog.length + i + 1}</td>
                                    <td className="admin-nowrap">{when(a.at)}</td>
                                    <td className={o.ok ? "admin-ok" : "error"}>{o.text}</td>
                                    <td>{a.durationMS.toLocaleString("en-US")} ms</td>
                                  </tr>
                                );
                              })}
                            </tbody>
                          </table>
                        )}
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </ListBody>
      <Pager pager={pager} conn={data?.webhookDeliveries} />
    </section>
  );
}

function NewWebhook({ appID, onCancel, onCreated }: { appID: string; onCancel: () => void; onCreated: (c: Created) => void }) {
  const [url, setURL] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>([]);
  const [invalid, setInvalid] = useState<{ error: string; field: string } | null>(null);
  const [create, state] = useMutation(WebhooksCreateMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = webhookInput(appID, url, events);
    if (!built.input) return setInvalid(built);
    setInvalid(null);
    const r = await create({ input: built.input });
    if (r) onCreated({ ...r.createWebhook.webhook, secret: r.createWebhook.secret });
  }

  return (
    <form className="card" onSubmit={submit} aria-label="New webhook" noValidate>
      <h2 className="admin-card-title">New webhook</h2>
      <Field label="URL" hint="A public http(s) address of your backend; pushd does not follow redirects.">
        {(id) => (
          <input id={id} type="url" value={url} onChange={(e) => setURL(e.target.value)} placeholder="https://api.example.com/pushd/receipts" autoFocus aria-invalid={invalid?.field === "url"} />
        )}
      </Field>
      <fieldset>
        <legend>Statuses to report</legend>
        <div className="admin-events">
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev} className="check">
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) => setEvents((cur) => (e.target.checked ? [...cur, ev] : cur.filter((x) => x !== ev)))}
              />
              {ev.toLowerCase()}
            </label>
          ))}
        </div>
        <small className="muted">None ticked means all of them.</small>
      </fieldset>
      <CheckProblem message={invalid?.error} />
      <Problem error={state.error} />
      <FormButtons submit="Create webhook" disabled={state.running} onCancel={onCancel} />
    </form>
  );
}

function CreatedWebhook({ created, onDone }: { created: Created; onDone: () => void }) {
  return (
    <CreatedCard label="New webhook secret" title="Webhook created" onDone={onDone}>
      <p>
        Receipts for <code>{created.url}</code> are signed with <code>pushd-sig-v1</code>: <code>X-Pushd-Key</code> is <code>{created.id}</code> and the
        HMAC key is this secret. <strong>Copy it now: you will not see it again.</strong>
      </p>
      <SecretOnce label="Secret" value={created.secret} />
    </CreatedCard>
  );
}
