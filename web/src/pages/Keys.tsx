import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router-dom";
import { graphql } from "../gql";
import type { ApiKeyWhereInput } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { ALGORITHMS, apiKeyInput, type Algorithm } from "../lib/admin";
import { ago, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { useCan } from "../session";
import { Badge, CheckProblem, Confirm, CopyButton, CreatedCard, Field, FormButtons, ListBody, PageHeader, Pager, Problem, SecretOnce, usePager } from "../ui";
import "./admin.css";

const KeysQuery = graphql(`
  query KeysList($where: APIKeyWhereInput, $first: Int, $after: Cursor) {
    apiKeys(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          keyID
          algorithm
          createdAt
          lastUsedAt
          revokedAt
        }
      }
    }
  }
`);

const KeysCreateMutation = graphql(`
  mutation KeysCreate($input: CreateAPIKeyInput!) {
    createAPIKey(input: $input) {
      apiKey {
        id
        name
        keyID
        algorithm
      }
      secret
    }
  }
`);

const KeysRevokeMutation = graphql(`
  mutation KeysRevoke($id: ID!) {
    revokeAPIKey(id: $id) {
      id
      revokedAt
    }
  }
`);

type Status = "" | "active" | "revoked";

// The PEM frame is data, the same in every language.
const PEM_PLACEHOLDER = "-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----";
type Created = { name: string; keyID: string; algorithm: string; secret?: string | null };

export default function Keys() {
  const { t } = useTranslation("keys");
  const { appID = "" } = useParams();
  const can = useCan(appID);
  const [params, setParams] = useSearchParams();
  const status = (["active", "revoked"].includes(params.get("status") ?? "") ? params.get("status") : "") as Status;
  const creating = can.administer && params.get("new") === "1";
  const where: ApiKeyWhereInput = { appID, ...(status === "active" ? { revokedAtIsNil: true } : status === "revoked" ? { revokedAtNotNil: true } : {}) };
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(KeysQuery, { where, first: PAGE_SIZE, after: pager.after });
  // The secret lives only in this state: leaving or reloading the page drops it.
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const [revoke, revoked, clearRevoke] = useMutation(KeysRevokeMutation);
  const keys = data?.apiKeys.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];

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
        <Trans t={t} i18nKey="intro" components={{ code: <code /> }} />
        {!can.administer && t("ownersOnly")}
      </p>
      {created && <CreatedKey created={created} onDone={() => setCreated(null)} />}
      {creating && (
        <NewKey
          appID={appID}
          onCancel={() => set({ new: null })}
          onCreated={(c) => {
            setCreated(c);
            set({ new: null });
            reload();
          }}
        />
      )}
      <div className="filters">
        <label>
          {t("filter.show")}
          <select value={status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">{t("filter.all")}</option>
            <option value="active">{t("filter.active")}</option>
            <option value="revoked">{t("filter.revoked")}</option>
          </select>
        </label>
      </div>
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={keys.length} empty={status ? t(`empty.${status}`) : t("empty.none")}>
        <table aria-label={t("title")}>
          <thead>
            <tr>
              <th>{t("list.name")}</th>
              <th>{t("list.keyID")}</th>
              <th>{t("list.algorithm")}</th>
              <th>{t("list.created")}</th>
              <th>{t("list.lastUsed")}</th>
              <th>{t("list.status")}</th>
              {can.administer && <th aria-label={t("list.actions")} />}
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.keyID}</code>
                </td>
                <td>{algorithmLabel(k.algorithm)}</td>
                <td className="admin-nowrap">{when(k.createdAt)}</td>
                <td className="admin-nowrap" title={when(k.lastUsedAt)}>
                  {k.lastUsedAt ? ago(k.lastUsedAt) : <span className="muted">{t("list.never")}</span>}
                </td>
                <td>
                  {k.revokedAt ? (
                    <>
                      <Badge value="REVOKED" />
                      <div className="muted small admin-nowrap">{when(k.revokedAt)}</div>
                    </>
                  ) : (
                    <Badge value="ACTIVE" />
                  )}
                </td>
                {can.administer && (
                  <td className="admin-actions">
                    {!k.revokedAt && (
                      <button type="button" className="secondary" onClick={() => (clearRevoke(), setRevoking({ id: k.id, name: k.name }))} aria-label={t("revoke.named", { name: k.name })}>
                        {t("revoke.button")}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      <Pager pager={pager} conn={data?.apiKeys} />
      {revoking && (
        <Confirm
          title={t("revoke.title", { name: revoking.name })}
          confirm={t("revoke.confirm")}
          danger
          busy={revoked.running}
          onCancel={() => setRevoking(null)}
          onConfirm={async () => {
            if (await revoke({ id: revoking.id })) {
              setRevoking(null);
              reload();
            }
          }}
        >
          <p>{t("revoke.body")}</p>
          <Problem error={revoked.error} />
        </Confirm>
      )}
    </>
  );
}

function algorithmLabel(a: string) {
  return ALGORITHMS.find((x) => x.value === a)?.label ?? a;
}

function NewKey({ appID, onCancel, onCreated }: { appID: string; onCancel: () => void; onCreated: (c: Created) => void }) {
  const [name, setName] = useState("");
  const [algorithm, setAlgorithm] = useState<Algorithm>("HMAC_SHA256");
  const [publicKey, setPublicKey] = useState("");
  const [invalid, setInvalid] = useState<{ error: string; field: string } | null>(null);
  const { t } = useTranslation("keys");
  const [create, state] = useMutation(KeysCreateMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = apiKeyInput(appID, { name, algorithm, publicKey });
    if (!built.input) return setInvalid(built);
    setInvalid(null);
    const r = await create({ input: built.input });
    if (r) onCreated({ ...r.createAPIKey.apiKey, secret: r.createAPIKey.secret });
  }

  return (
    <form className="card" onSubmit={submit} aria-label={t("new")} noValidate>
      <h2 className="admin-card-title">{t("new")}</h2>
      <div className="row">
        <Field label={t("form.name.label")} hint={t("form.name.hint")}>
          {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus aria-invalid={invalid?.field === "name"} />}
        </Field>
        <Field label={t("form.algorithm")} hint={t(`algorithmHint.${algorithm}`)}>
          {(id) => (
            <select id={id} value={algorithm} onChange={(e) => setAlgorithm(e.target.value as Algorithm)}>
              {ALGORITHMS.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {algorithm !== "HMAC_SHA256" && (
        <Field label={t("form.publicKey.label")} hint={t("form.publicKey.hint")}>
          {(id) => (
            <textarea
              id={id}
              className="mono admin-pem"
              value={publicKey}
              onChange={(e) => setPublicKey(e.target.value)}
              placeholder={PEM_PLACEHOLDER}
              spellCheck={false}
              aria-invalid={invalid?.field === "publicKey"}
            />
          )}
        </Field>
      )}
      <CheckProblem message={invalid?.error} />
      <Problem error={state.error} />
      <FormButtons submit={t("form.create")} disabled={state.running} onCancel={onCancel} />
    </form>
  );
}

function CreatedKey({ created, onDone }: { created: Created; onDone: () => void }) {
  const { t } = useTranslation("keys");
  return (
    <CreatedCard label={t("created.label")} title={t("created.title", { name: created.name })} onDone={onDone}>
      <dl className="props">
        <dt>{t("list.keyID")}</dt>
        <dd>
          <code>{created.keyID}</code> <CopyButton text={created.keyID} label={t("created.copyKeyID")} />
        </dd>
        <dt>{t("list.algorithm")}</dt>
        <dd>{algorithmLabel(created.algorithm)}</dd>
      </dl>
      {created.secret ? (
        <>
          <p>
            <Trans t={t} i18nKey="created.copyNow" components={{ strong: <strong /> }} />
          </p>
          <SecretOnce label={t("created.secret")} value={created.secret} />
        </>
      ) : (
        <p>{t("created.publicOnly")}</p>
      )}
    </CreatedCard>
  );
}
