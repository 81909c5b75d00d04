import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
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
  const { t } = useTranslation("account");
  const session = useSession();
  return (
    <>
      <PageHeader title={t("title")} />
      <p className="muted team-intro">
        {session.email}
        {session.admin && t("admin")}
      </p>
      <ChangePassword />
      <LogoutEverywhere />
    </>
  );
}

function ChangePassword() {
  const { t } = useTranslation("account");
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
      setNote(t("password.changed", { ended: sessionsEnded(r.changePassword.endedSessions, true) }));
    }
  }

  return (
    <form className="card team-form" onSubmit={submit} noValidate aria-label={t("password.label")}>
      <h2 className="team-card-title">{t("password.title")}</h2>
      <p className="muted">{t("password.intro")}</p>
      <Field label={t("password.current")}>
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
        label={t("password.new")}
        hint={t("password.hint")}
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
          {t("password.submit")}
        </button>
      </div>
    </form>
  );
}

function LogoutEverywhere() {
  const { t } = useTranslation("account");
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [logout, state, clear] = useMutation(AccountLogoutEverywhereMutation);
  return (
    <section className="card" aria-label={t("sessions.label")}>
      <h2 className="team-card-title">{t("sessions.title")}</h2>
      <p className="muted">{t("sessions.intro")}</p>
      <button type="button" className="secondary" onClick={() => (clear(), setAsking(true))}>
        {t("sessions.logout")}
      </button>
      {asking && (
        <Confirm
          title={t("sessions.confirmTitle")}
          confirm={t("sessions.confirm")}
          busy={state.running}
          onCancel={() => setAsking(false)}
          onConfirm={async () => {
            const r = await logout({});
            if (r === undefined) return;
            forgetLocalData();
            navigate("/login", { replace: true, state: { note: t("sessions.loggedOut", { ended: sessionsEnded(r.logoutEverywhere, false) }) } });
          }}
        >
          <p>{t("sessions.body")}</p>
          <Problem error={state.error} />
        </Confirm>
      )}
    </section>
  );
}
