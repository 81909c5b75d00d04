import { Fragment, useEffect, useState, type FormEvent } from "react";
import type { TFunction } from "i18next";
import { Trans, useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router-dom";
import { graphql } from "../gql";
import type { WebhookDeliveryStatus, WebhookDeliveryWhereInput } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { attemptOutcome, WEBHOOK_EVENTS, webhookInput, type WebhookEvent } from "../lib/admin";
import { count, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { useCan } from "../session";
import { Badge, CheckProblem, Confirm, CreatedCard, Field, FormButtons, ListBody, PageHeader, Pager, Problem, SecretOnce, statusLabel, usePager } from "../ui";
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

// An example address is data, the same in every language.
const URL_PLACEHOLDER = "https://api.example.com/pushd/receipts";

// reported names the statuses a webhook reports, in the console's
// language (lib/admin's eventsText says the same in English): none or
// every one means all.
function reported(t: TFunction<"webhooks">, tc: TFunction, events: readonly string[] | null | undefined): string {
  if (!events || events.length === 0 || WEBHOOK_EVENTS.every((e) => events.includes(e))) return t("list.allStatuses");
  return events.map((e) => statusLabel(tc, e)).join(t("list.separator"));
}

export default function Webhooks() {
  const { t } = useTranslation("webhooks");
  const { t: tc } = useTranslation();
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
      <PageHeader title={t("title")}>
        {can.administer && !creating && (
          <button type="button" onClick={() => (setCreated(null), set({ new: "1" }))}>
            {t("new")}
          </button>
        )}
      </PageHeader>
      <p className="muted admin-intro">
        {t("intro")}
        {!can.administer && t("ownersOnly")}
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
      <ListBody data={data} loading={loading} error={error} count={hooks.length} empty={t("list.empty")}>
        <table aria-label={t("title")}>
          <thead>
            <tr>
              <th>{t("list.url")}</th>
              <th>{t("list.reports")}</th>
              <th>{t("list.state")}</th>
              <th>{t("list.created")}</th>
              {can.administer && <th aria-label={t("list.actions")} />}
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
                <td>{reported(t, tc, h.events)}</td>
                <td>{h.enabled ? <span className="badge good">{statusLabel(tc, "ENABLED")}</span> : <span className="badge warn">{statusLabel(tc, "DISABLED")}</span>}</td>
                <td className="admin-nowrap">{when(h.createdAt)}</td>
                {can.administer && (
                  <td className="admin-actions">
                    <button type="button" className="secondary" onClick={() => (clearDelete(), setDeleting({ id: h.id, url: h.url }))} aria-label={t("delete.named", { url: h.url })}>
                      {t("delete.button")}
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
          title={t("delete.title")}
          confirm={t("delete.confirm")}
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
            <Trans t={t} i18nKey="delete.body" values={{ url: deleting.url }} components={{ code: <code /> }} />
          </p>
          <Problem error={deleted.error} />
        </Confirm>
      )}
    </>
  );
}

function Deliveries({ appID, params, set, tick }: { appID: string; params: URLSearchParams; set: (c: Record<string, string | null>) => void; tick: number }) {
  const { t } = useTranslation("webhooks");
  const { t: tc } = useTranslation();
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
    <section aria-label={t("deliveries.title")}>
      <div className="section-header">
        <h2>{t("deliveries.title")}</h2>
        <div className="actions">
          <label className="admin-inline">
            {t("deliveries.status")}
            <select value={status ?? ""} onChange={(e) => set({ status: e.target.value })}>
              <option value="">{t("deliveries.any")}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(tc, s)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="secondary" onClick={reload} disabled={loading}>
            {t("deliveries.refresh")}
          </button>
        </div>
      </div>
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={rows.length} empty={status ? t("deliveries.emptyStatus", { status: statusLabel(tc, status) }) : t("deliveries.empty")}>
        <table aria-label={t("deliveries.table")} className="admin-deliveries">
          <thead>
            <tr>
              <th aria-label={t("deliveries.attempts")} />
              <th>{t("deliveries.batch")}</th>
              <th>{t("deliveries.receipts")}</th>
              <th>{t("deliveries.status")}</th>
              <th>{t("deliveries.tries")}</th>
              <th>{t("deliveries.created")}</th>
              <th>{t("deliveries.delivered")}</th>
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
                        aria-label={t(isOpen ? "attempts.hide" : "attempts.show", { id: d.id })}
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
                        {t("deliveries.to", { url: d.webhook.url })}
                      </div>
                    </td>
                    <td>{count(d.receipts)}</td>
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
                          <p className="muted small admin-tight">{t("attempts.none")}</p>
                        ) : (
                          <table aria-label={t("attempts.table", { id: d.id })}>
                            <thead>
                              <tr>
                                <th>#</th>
                                <th>{t("attempts.time")}</th>
                                <th>{t("attempts.answer")}</th>
                                <th>{t("attempts.took")}</th>
                              </tr>
                            </thead>
                            <tbody>
                              {d.attemptLog.map((a, i) => {
                                const o = attemptOutcome(a);
                                // attemptOutcome's own words for no answer at all are English.
                                const text = a.statusCode == null && !a.error ? t("attempts.noAnswer") : o.text;
                                return (
                                  <tr key={i}>
                                    <td>{d.attempts - d.attemptLog.length + i + 1}</td>
                                    <td className="admin-nowrap">{when(a.at)}</td>
                                    <td className={o.ok ? "admin-ok" : "error"}>{text}</td>
                                    <td>{t("attempts.ms", { ms: count(a.durationMS) })}</td>
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
  const { t } = useTranslation("webhooks");
  const { t: tc } = useTranslation();
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
    <form className="card" onSubmit={submit} aria-label={t("new")} noValidate>
      <h2 className="admin-card-title">{t("new")}</h2>
      <Field label={t("form.url.label")} hint={t("form.url.hint")}>
        {(id) => (
          <input id={id} type="url" value={url} onChange={(e) => setURL(e.target.value)} placeholder={URL_PLACEHOLDER} autoFocus aria-invalid={invalid?.field === "url"} />
        )}
      </Field>
      <fieldset>
        <legend>{t("form.events.legend")}</legend>
        <div className="admin-events">
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev} className="check">
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) => setEvents((cur) => (e.target.checked ? [...cur, ev] : cur.filter((x) => x !== ev)))}
              />
              {statusLabel(tc, ev)}
            </label>
          ))}
        </div>
        <small className="muted">{t("form.events.hint")}</small>
      </fieldset>
      <CheckProblem message={invalid?.error} />
      <Problem error={state.error} />
      <FormButtons submit={t("form.create")} disabled={state.running} onCancel={onCancel} />
    </form>
  );
}

function CreatedWebhook({ created, onDone }: { created: Created; onDone: () => void }) {
  const { t } = useTranslation("webhooks");
  return (
    <CreatedCard label={t("created.label")} title={t("created.title")} onDone={onDone}>
      <p>
        <Trans t={t} i18nKey="created.body" values={{ url: created.url, id: created.id }} components={{ code: <code />, strong: <strong /> }} />
      </p>
      <SecretOnce label={t("created.secret")} value={created.secret} />
    </CreatedCard>
  );
}
