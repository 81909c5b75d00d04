import { useState, type FormEvent } from "react";
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
type Created = { name: string; keyID: string; algorithm: string; secret?: string | null };

export default function Keys() {
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
      <PageHeader title="API keys">
        {can.administer && !creating && (
          <button type="button" onClick={() => (setCreated(null), set({ new: "1" }))}>
            New API key
          </button>
        )}
      </PageHeader>
      <p className="muted admin-intro">
        Your backend signs every GraphQL request with a key of this app (<code>pushd-sig-v1</code>: the key ID in <code>X-Pushd-Key</code>).
        {!can.administer && " Only the app's owners make and revoke keys."}
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
          Show
          <select value={status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">All keys</option>
            <option value="active">Active</option>
            <option value="revoked">Revoked</option>
          </select>
        </label>
      </div>
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={keys.length} empty={status ? `No ${status} keys.` : "No API keys yet. Make one for each backend that calls pushd, so you can revoke one without the others."}>
        <table aria-label="API keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key ID</th>
              <th>Algorithm</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Status</th>
              {can.administer && <th aria-label="Actions" />}
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
                  {k.lastUsedAt ? ago(k.lastUsedAt) : <span className="muted">never</span>}
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
                      <button type="button" className="secondary" onClick={() => (clearRevoke(), setRevoking({ id: k.id, name: k.name }))} aria-label={`Revoke ${k.name}`}>
                        Revoke
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
          title={`Revoke the key “${revoking.name}”?`}
          confirm="Revoke key"
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
          <p>Requests signed with it are refused at once and its open subscriptions close within seconds. This cannot be undone.</p>
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
  const [create, state] = useMutation(KeysCreateMutation);
  const hint = ALGORITHMS.find((a) => a.value === algorithm)?.hint;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = apiKeyInput(appID, { name, algorithm, publicKey });
    if (!built.input) return setInvalid(built);
    setInvalid(null);
    const r = await create({ input: built.input });
    if (r) onCreated({ ...r.createAPIKey.apiKey, secret: r.createAPIKey.secret });
  }

  return (
    <form className="card" onSubmit={submit} aria-label="New API key" noValidate>
      <h2 className="admin-card-title">New API key</h2>
      <div className="row">
        <Field label="Name" hint="Where it is used: “billing backend”, “staging”.">
          {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus aria-invalid={invalid?.field === "name"} />}
        </Field>
        <Field label="Algorithm" hint={hint}>
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
        <Field label="Public key (PEM)" hint="PKIX, as openssl pkey -pubout writes it. The private key never leaves your side.">
          {(id) => (
            <textarea
              id={id}
              className="mono admin-pem"
              value={publicKey}
              onChange={(e) => setPublicKey(e.target.value)}
              placeholder={"-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----"}
              spellCheck={false}
              aria-invalid={invalid?.field === "publicKey"}
            />
          )}
        </Field>
      )}
      <CheckProblem message={invalid?.error} />
      <Problem error={state.error} />
      <FormButtons submit="Create key" disabled={state.running} onCancel={onCancel} />
    </form>
  );
}

function CreatedKey({ created, onDone }: { created: Created; onDone: () => void }) {
  return (
    <CreatedCard label="New key" title={`Key “${created.name}” created`} onDone={onDone}>
      <dl className="props">
        <dt>Key ID</dt>
        <dd>
          <code>{created.keyID}</code> <CopyButton text={created.keyID} label="Copy key ID" />
        </dd>
        <dt>Algorithm</dt>
        <dd>{algorithmLabel(created.algorithm)}</dd>
      </dl>
      {created.secret ? (
        <>
          <p>
            <strong>Copy the secret now: you will not see it again.</strong> pushd keeps it sealed and never shows it back; if it is lost,
            make a new key and revoke this one.
          </p>
          <SecretOnce label="Secret" value={created.secret} />
        </>
      ) : (
        <p>Sign requests with the private key of the pair; pushd holds only the public key.</p>
      )}
    </CreatedCard>
  );
}
