import { useState, type FormEvent } from "react";
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
      navigate("/login", { replace: true, state: { note: "Your new password is set: log in with it." } });
    }
  }

  return (
    <main className="login">
      <h1>pushd</h1>
      <p className="muted">Set a new password for your console account.</p>
      <form onSubmit={submit} noValidate aria-label="Set a new password">
        <PasswordField label="New password" hint="10 characters or more." value={next} onChange={(pw) => (setNext(pw), clear())} invalid={!!invalid} />
        <CheckProblem message={invalid} />
        <AccountProblem error={state.error} action="reset" />
        <button type="submit" disabled={state.running}>
          Set password
        </button>
      </form>
      <p className="muted small">
        <Link to="/login">Log in</Link> instead
      </p>
    </main>
  );
}
