import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { AccountProblem, PasswordField } from "../components/Team";
import { graphql } from "../gql";
import { useMutation } from "../hooks";
import { resetPasswordInput, tokenFromHash } from "../lib/account";
import { CheckProblem } from "../ui";
import "./team.css";

const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input)
  }
`);

// ResetPassword is where the link an admin passed on leads: it needs no
// session, the token in the fragment is the credential.
export default function ResetPassword() {
  const { t } = useTranslation("auth");
  const navigate = useNavigate();
  const token = tokenFromHash(useLocation().hash);
  const [next, setNext] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [reset, state, clear] = useMutation(ResetPasswordMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = resetPasswordInput(token, next);
    if (!built.input) return setInvalid(built.error);
    setInvalid(null);
    if (await reset({ input: built.input })) {
      navigate("/login", { replace: true, state: { note: t("reset.done") } });
    }
  }

  return (
    <main className="login">
      <h1>pushd</h1>
      <p className="muted">{t("reset.intro")}</p>
      <form onSubmit={submit} noValidate aria-label={t("reset.label")}>
        <PasswordField label={t("reset.new")} hint={t("reset.hint")} value={next} onChange={(pw) => (setNext(pw), clear())} invalid={!!invalid} />
        <CheckProblem message={invalid} />
        <AccountProblem error={state.error} action="reset" />
        <button type="submit" disabled={state.running}>
          {t("reset.submit")}
        </button>
      </form>
      <p className="muted small">
        <Trans t={t} i18nKey="reset.instead" components={{ a: <Link to="/login" /> }} />
      </p>
    </main>
  );
}
