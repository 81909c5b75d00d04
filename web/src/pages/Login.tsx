import { useState, type FormEvent } from "react";
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
      <p className="muted">Log in to the console.</p>
      {state?.note && <p role="status">{state.note}</p>}
      <form onSubmit={submit} aria-label="Log in">
        <label>
          Email
          <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error != null && (
          <p role="alert" className="error">
            {refused ? "That email and password do not match an account." : explain(error)}
          </p>
        )}
        <button type="submit" disabled={running}>
          {running ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}
