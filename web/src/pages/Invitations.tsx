import { useState } from "react";
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
    if (await decline({ id: i.id })) setNote(`You declined ${i.appName}.`);
    reload();
  }

  return (
    <>
      <PageHeader title="Invitations" />
      <p className="muted team-intro">An app's owners invite you to a role in it by your email. You get the role only once you accept.</p>
      <Problem error={error} retry={reload} />
      <AccountProblem error={acceptState.error ?? declineState.error} action="answer" />
      {note && (
        <p className="team-saved" role="status">
          {note}
        </p>
      )}
      <ListBody data={data} loading={loading} error={error} count={invitations.length} empty="No invitations waiting for you.">
        <table aria-label="Invitations" className="team-table">
          <thead>
            <tr>
              <th>App</th>
              <th>Role</th>
              <th>Invited by</th>
              <th>Expires</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.appName}</td>
                <td title={asRole(i.role)}>{roleLabel(i.role)}</td>
                <td>{i.invitedBy || <span className="muted">an admin</span>}</td>
                <td className="team-nowrap">{when(i.expiresAt)}</td>
                <td className="team-actions">
                  <button type="button" aria-label={`Accept ${i.appName}`} disabled={busy} onClick={() => answer(i, true)}>
                    Accept
                  </button>{" "}
                  <button type="button" className="secondary" aria-label={`Decline ${i.appName}`} disabled={busy} onClick={() => answer(i, false)}>
                    Decline
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
