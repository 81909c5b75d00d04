// The frame of every app page: the app switcher, the app's sections and
// the account menu; the page itself renders in the Outlet.
import { Fragment, Suspense, useEffect, useRef } from "react";
import { NavLink, Outlet, useLocation, useNavigate, useParams } from "react-router-dom";
import { explain } from "./api";
import { graphql } from "./gql";
import { useMutation, useQuery } from "./hooks";
import { forgetLocalData, useCan, useSession } from "./session";
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

// The switcher lists the first 200 apps; the current one is always there,
// named, even beyond them.
const CurrentAppQuery = graphql(`
  query SwitcherCurrentApp($id: ID!) {
    node(id: $id) {
      ... on App {
        id
        name
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
  { to: "audit", label: "Audit log", administer: true },
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
  const listed = data?.apps.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const missing = Boolean(appID && data && !listed.some((a) => a.id === appID));
  const current = useQuery(CurrentAppQuery, { id: appID ?? "" }, { skip: !missing });
  const extra = current.data?.node && "name" in current.data.node ? [current.data.node] : [];
  const apps = missing ? [...extra, ...listed] : listed;
  const [logout, loggingOut] = useMutation(LogoutMutation);
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
        <NavLink to="/invitations">Invitations</NavLink>
        {session.admin && <NavLink to="/accounts">Accounts</NavLink>}
      </nav>
      <span className="account">
        <NavLink to="/account" className="muted" title="Your account: password and sessions">
          {session.email}
        </NavLink>
        <button
          type="button"
          className="link"
          disabled={loggingOut.running}
          onClick={async () => {
            // Only a logout pushd confirmed counts: on a shared machine,
            // "logged out" must be true.
            if (await logout({})) {
              // What was typed in the explorer goes with the session.
              forgetLocalData();
              navigate("/login");
            }
          }}
        >
          Log out
        </button>
        {loggingOut.error != null && (
          <span role="alert" className="logout-error">
            Not logged out: {explain(loggingOut.error)}
          </span>
        )}
      </span>
    </header>
  );
}

export function AppLayout() {
  const { appID = "" } = useParams();
  const { pathname } = useLocation();
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
            {/* A new path is a new page: nothing of another app, job or
                device (forms, live windows, loaded data) carries over.
                Filters live in the query string and keep the page. */}
            <Fragment key={pathname}>
              <Outlet />
            </Fragment>
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
