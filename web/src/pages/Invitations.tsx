import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { AccountProblem } from "../components/Team";
import { graphql } from "../gql";
import type { Role } from "../gql/graphql";
import { useMutation, useQuery } from "../hooks";
import { when } from "../lib/format";
import { asRole, roleLabel } from "../lib/team";
import { useSession } from "../session";
import { ListBody, PageHeader, Problem } from "../ui";
import "./team.css";

export const InvitationsQuery = graphql(`
  query Invitations {
    invitations {
      id
      appID
      appName
      role
      invitedBy
      createdAt
      expiresAt
    }
  }
`);

const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($id: ID!) {
    acceptInvitation(id: $id) {
      id
      appID
      role
    }
  }
`);

const DeclineInvitationMutation = graphql(`
  mutation DeclineInvitation($id: ID!) {
    declineInvitation(id: $id)
  }
`);

type Invitation = { id: string; appID: string; appName: string; role: Role; invitedBy: string; createdAt: string; expiresAt: string };

// Invitations are the roles in apps that owners offered to this account's
// email: nobody joins an app without saying yes here.
export default function Invitations() {
  const { t } = useTranslation("accounts");
  const session = useSession();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useQuery(InvitationsQuery, {});
  const invitations: Invitation[] = data?.invitations ?? [];
  const [accept, acceptState, clearAccept] = useMutation(AcceptInvitationMutation);
  const [decline, declineState, clearDecline] = useMutation(DeclineInvitationMutation);
  const [note, setNote] = useState("");
  const busy = acceptState.running || declineState.running;

  async function answer(i: Invitation, yes: boolean) {
    clearAccept();
    clearDecline();
    setNote("");
    if (yes) {
      if (!(await accept({ id: i.id }))) return reload();
      // The new role shows in the app switcher and the app's pages.
      session.reload();
      navigate(`/apps/${i.appID}`);
      return;
    }
    if (await decline({ id: i.id })) setNote(t("invitations.declined", { app: i.appName }));
    reload();
  }

  return (
    <>
      <PageHeader title={t("invitations.title")} />
      <p className="muted team-intro">{t("invitations.intro")}</p>
      <Problem error={error} retry={reload} />
      <AccountProblem error={acceptState.error ?? declineState.error} action="answer" />
      {note && (
        <p className="team-saved" role="status">
          {note}
        </p>
      )}
      <ListBody data={data} loading={loading} error={error} count={invitations.length} empty={t("invitations.empty")}>
        <table aria-label={t("invitations.label")} className="team-table">
          <thead>
            <tr>
              <th>{t("invitations.app")}</th>
              <th>{t("invitations.role")}</th>
              <th>{t("invitations.invitedBy")}</th>
              <th>{t("invitations.expires")}</th>
              <th aria-label={t("invitations.actions")} />
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.appName}</td>
                <td title={asRole(i.role)}>{roleLabel(i.role)}</td>
                <td>{i.invitedBy || <span className="muted">{t("invitations.byAdmin")}</span>}</td>
                <td className="team-nowrap">{when(i.expiresAt)}</td>
                <td className="team-actions">
                  <button type="button" aria-label={t("invitations.acceptApp", { app: i.appName })} disabled={busy} onClick={() => answer(i, true)}>
                    {t("invitations.accept")}
                  </button>{" "}
                  <button type="button" className="secondary" aria-label={t("invitations.declineApp", { app: i.appName })} disabled={busy} onClick={() => answer(i, false)}>
                    {t("invitations.decline")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
    </>
  );
}
