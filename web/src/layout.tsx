// The frame of every app page: the app switcher, the app's sections and
// the account menu; the page itself renders in the Outlet.
import { Suspense, useEffect, useRef } from "react";
import { NavLink, Outlet, useNavigate, useParams } from "react-router-dom";
import { gql } from "./api";
import { graphql } from "./gql";
import { useQuery } from "./hooks";
import { useCan, useSession } from "./session";
import { Loading } from "./ui";

const AppsForSwitcher = graphql(`
  query AppSwitcher {
    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

const sections: { to: string; label: string; send?: boolean; administer?: boolean }[] = [
  { to: "", label: "Overview" },
  { to: "send", label: "Send", send: true },
  { to: "jobs", label: "Pushes" },
  { to: "devices", label: "Devices" },
  { to: "users", label: "Users" },
  { to: "groups", label: "Groups" },
  { to: "templates", label: "Templates" },
  { to: "keys", label: "API keys" },
  { to: "channels", label: "Channels" },
  { to: "webhooks", label: "Webhooks" },
  { to: "settings", label: "Settings" },
];

export function TopBar({ appID }: { appID?: string }) {
  const session = useSession();
  const navigate = useNavigate();
  const { data, reload } = useQuery(AppsForSwitcher, {});
  const seen = useRef(session.version);
  useEffect(() => {
    if (seen.current === session.version) return;
    seen.current = session.version;
    reload();
  }, [session.version, reload]);
  const apps = data?.apps.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <header className="topbar">
      <NavLink to="/apps" className="brand">
        pushd
      </NavLink>
      {appID && (
        <label className="switcher">
          <span className="visually-hidden">App</span>
          <select value={appID} onChange={(e) => navigate(`/apps/${e.target.value}`)} aria-label="App">
            {apps.length === 0 && <option value={appID}>…</option>}
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <nav className="topnav" aria-label="Console">
        <NavLink to="/apps" end>
          Apps
        </NavLink>
        <NavLink to="/explorer">GraphQL explorer</NavLink>
        {session.admin && <NavLink to="/accounts">Accounts</NavLink>}
      </nav>
      <span className="account">
        <span className="muted">{session.email}</span>
        <button
          type="button"
          className="link"
          onClick={async () => {
            await gql(LogoutMutation).catch(() => {});
            navigate("/login");
          }}
        >
          Log out
        </button>
      </span>
    </header>
  );
}

export function AppLayout() {
  const { appID = "" } = useParams();
  const can = useCan(appID);
  return (
    <div className="shell">
      <TopBar appID={appID} />
      <div className="body">
        <nav className="sidenav" aria-label="App">
          {sections
            .filter((s) => (!s.send || can.send) && (!s.administer || can.administer))
            .map((s) => (
              <NavLink key={s.to} to={s.to ? `/apps/${appID}/${s.to}` : `/apps/${appID}`} end={s.to === ""}>
                {s.label}
              </NavLink>
            ))}
          {can.role && <p className="muted role">Your role: {can.role.toLowerCase()}</p>}
        </nav>
        <main className="content">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}

// PlainLayout frames the pages outside an app (the app list, the explorer).
export function PlainLayout() {
  return (
    <div className="shell">
      <TopBar />
      <main className="content wide">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
