import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { explain, gql, GraphQLError } from "../api";

type App = { id: string; name: string; appKey: string };

export function Apps() {
  const navigate = useNavigate();
  const [apps, setApps] = useState<App[] | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    gql<{ apps: { edges: { node: App }[] } }>(`{ apps(first: 100) { edges { node { id name appKey } } } }`)
      .then((d) => setApps(d.apps.edges.map((e) => e.node)))
      .catch((err) => {
        if (err instanceof GraphQLError && err.code === "UNAUTHENTICATED") navigate("/login");
        else setError(explain(err));
      });
  }, [navigate]);

  if (error) return <p role="alert" className="error">{error}</p>;
  if (!apps) return <p aria-busy="true">Loading…</p>;
  return (
    <main>
      <h1>Apps</h1>
      {apps.length === 0 ? (
        <p>No apps yet.</p>
      ) : (
        <ul>
          {apps.map((a) => (
            <li key={a.id}>
              <Link to={`/apps/${a.id}`}>{a.name}</Link> <code>{a.appKey}</code>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
