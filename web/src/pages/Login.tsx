import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router-dom";
import { explain, GraphQLError } from "../api";
import { graphql } from "../gql";
import { useMutation } from "../hooks";

const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      account {
        id
      }
    }
  }
`);

export function Login() {
  const { t } = useTranslation("auth");
  const navigate = useNavigate();
  // Back to where the session ended: a path of this console only.
  const state = useLocation().state as { from?: string; note?: string } | null;
  const wanted = state?.from;
  const from = wanted && wanted.startsWith("/") && !wanted.startsWith("//") ? wanted : "/apps";
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [login, { running, error }] = useMutation(LoginMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await login({ input: { email, password } })) navigate(from, { replace: true });
  }

  const refused = error instanceof GraphQLError && error.code === "UNAUTHENTICATED";
  return (
    <main className="login">
      <h1>pushd</h1>
      <p className="muted">{t("login.intro")}</p>
      {state?.note && <p role="status">{state.note}</p>}
      <form onSubmit={submit} aria-label={t("login.label")}>
        <label>
          {t("login.email")}
          <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
        </label>
        <label>
          {t("login.password")}
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error != null && (
          <p role="alert" className="error">
            {refused ? t("login.refused") : explain(error)}
          </p>
        )}
        <button type="submit" disabled={running}>
          {running ? t("login.running") : t("login.submit")}
        </button>
      </form>
    </main>
  );
}
