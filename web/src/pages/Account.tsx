import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { AccountProblem, PasswordField } from "../components/Team";
import { graphql } from "../gql";
import { useMutation } from "../hooks";
import { changePasswordInput, sessionsEnded } from "../lib/account";
import { forgetLocalData, useSession } from "../session";
import { CheckProblem, Confirm, Field, PageHeader, Problem } from "../ui";
import "./team.css";

const AccountChangePasswordMutation = graphql(`
  mutation AccountChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      endedSessions
    }
  }
`);

const AccountLogoutEverywhereMutation = graphql(`
  mutation AccountLogoutEverywhere {
    logoutEverywhere
  }
`);

// Account is the logged-in account's own page: its password and its
// sessions.
export default function Account() {
  const session = useSession();
  return (
    <>
      <PageHeader title="Your account" />
      <p className="muted team-intro">
        {session.email}
        {session.admin && " · admin"}
      </p>
      <ChangePassword />
      <LogoutEverywhere />
    </>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [invalid, setInvalid] = useState<{ error: string; field: string } | null>(null);
  const [note, setNote] = useState("");
  const [change, state, clear] = useMutation(AccountChangePasswordMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNote("");
    const built = changePasswordInput({ current, next });
    if (!built.input) return setInvalid(built);
    setInvalid(null);
    const r = await change({ input: built.input });
    if (r) {
      setCurrent("");
      setNext("");
      setNote(`Password changed. ${sessionsEnded(r.changePassword.endedSessions, true)}`);
    }
  }

  return (
    <form className="card team-form" onSubmit={submit} noValidate aria-label="Change password">
      <h2 className="team-card-title">Password</h2>
      <p className="muted">Changing it ends every other session of your account, on every browser; this one stays.</p>
      <Field label="Current password">
        {(id) => (
          <input
            id={id}
            type="password"
            value={current}
            onChange={(e) => (setCurrent(e.target.value), clear())}
            autoComplete="current-password"
            aria-invalid={invalid?.field === "currentPassword" || undefined}
          />
        )}
      </Field>
      <PasswordField
        label="New password"
        hint="10 characters or more."
        value={next}
        onChange={(pw) => (setNext(pw), clear())}
        invalid={invalid?.field === "newPassword"}
      />
      <CheckProblem message={invalid?.error} />
      <AccountProblem error={state.error} action="password" />
      {note && (
        <p className="team-saved" role="status">
          {note}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={state.running}>
          Change password
        </button>
      </div>
    </form>
  );
}

function LogoutEverywhere() {
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [logout, state, clear] = useMutation(AccountLogoutEverywhereMutation);
  return (
    <section className="card" aria-label="Sessions">
      <h2 className="team-card-title">Sessions</h2>
      <p className="muted">Left the console open on another computer, or think someone else has your session? End every session of your account, this one too.</p>
      <button type="button" className="secondary" onClick={() => (clear(), setAsking(true))}>
        Log out everywhere…
      </button>
      {asking && (
        <Confirm
          title="Log out everywhere?"
          confirm="Log out everywhere"
          busy={state.running}
          onCancel={() => setAsking(false)}
          onConfirm={async () => {
            const r = await logout({});
            if (r === undefined) return;
            forgetLocalData();
            navigate("/login", { replace: true, state: { note: `Logged out everywhere: ${sessionsEnded(r.logoutEverywhere, false)}` } });
          }}
        >
          <p>Every session of your account ends at once, on every browser, and you log in again here.</p>
          <Problem error={state.error} />
        </Confirm>
      )}
    </section>
  );
}
