import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { graphql } from "../gql";
import { useMutation, useQuery } from "../hooks";
import { roleIn } from "../lib/roles";
import { useSession } from "../session";
import { Field, ListBody, PageHeader, Pager, Problem, usePager } from "../ui";
import { PAGE_SIZE } from "../lib/paging";
import { when } from "../lib/format";

const AppsQuery = graphql(`
  query Apps($after: Cursor, $first: Int) {
    apps(after: $after, first: $first, orderBy: { field: NAME, direction: ASC }) {
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
          appKey
          createdAt
        }
      }
    }
  }
`);

// Pending invitations are mentioned here, where an invited account lands.
const AppsInvitationsQuery = graphql(`
  query AppsInvitations {
    invitations {
      id
    }
  }
`);

const CreateAppMutation = graphql(`
  mutation CreateApp($input: CreateAppInput!) {
    createApp(input: $input) {
      id
    }
  }
`);

export function Apps() {
  const { t } = useTranslation("apps");
  const session = useSession();
  const navigate = useNavigate();
  const pager = usePager(null);
  const { data, error, loading, reload } = useQuery(AppsQuery, { after: pager.after, first: PAGE_SIZE });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [create, created] = useMutation(CreateAppMutation);
  const invited = useQuery(AppsInvitationsQuery, {}).data?.invitations.length ?? 0;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await create({ input: { name, description } });
    if (r) {
      session.reload();
      navigate(`/apps/${r.createApp.id}`);
    }
  }

  const apps = data?.apps.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const role = (appID: string) => {
    const r = roleIn(session, appID);
    return r ? t(`roles.${r}`) : "–";
  };
  return (
    <>
      <PageHeader title={t("title")}>
        {/* Only admins make apps (pushd refuses others). */}
        {session.admin && !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            {t("new")}
          </button>
        )}
      </PageHeader>
      {creating && (
        <form className="card" onSubmit={submit} aria-label={t("new")}>
          <Field label={t("form.name")}>{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />}</Field>
          <Field label={t("form.description")}>{(id) => <input id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
          <Problem error={created.error} />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setCreating(false)}>
              {t("form.cancel")}
            </button>
            <button type="submit" disabled={created.running}>
              {t("form.create")}
            </button>
          </div>
        </form>
      )}
      {invited > 0 && (
        <p className="card" role="status">
          {invited === 1 ? t("invitedByOne") : t("invitedByMany", { n: invited })}{" "}
          <Link to="/invitations">{t("seeInvitations")}</Link>
        </p>
      )}
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={apps.length} empty={
          session.admin
            ? t("empty.admin")
            : t("empty.member")
        }>
        <table>
          <thead>
            <tr>
              <th>{t("columns.name")}</th>
              <th>{t("columns.appKey")}</th>
              <th>{t("columns.role")}</th>
              <th>{t("columns.created")}</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/apps/${a.id}`}>{a.name}</Link>
                  {a.description && <div className="muted small">{a.description}</div>}
                </td>
                <td>
                  <code>{a.appKey}</code>
                </td>
                <td>{role(a.id)}</td>
                <td>{when(a.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      <Pager pager={pager} conn={data?.apps} />
    </>
  );
}
