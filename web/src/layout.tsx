// The frame of every app page: the app switcher, the app's sections and
// the account menu; the page itself renders in the Outlet.
import { Fragment, Suspense, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useLocation, useNavigate, useParams } from "react-router-dom";
import { explain } from "./api";
import { languages, setLanguage, supported } from "./i18n";
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

type Section = "overview" | "analytics" | "send" | "jobs" | "devices" | "users" | "groups" | "templates" | "keys" | "channels" | "webhooks" | "settings" | "audit";

const sections: { to: string; name: Section; send?: boolean; administer?: boolean }[] = [
  { to: "", name: "overview" },
  { to: "analytics", name: "analytics" },
  { to: "send", name: "send", send: true },
  { to: "jobs", name: "jobs" },
  { to: "devices", name: "devices" },
  { to: "users", name: "users" },
  { to: "groups", name: "groups" },
  { to: "templates", name: "templates" },
  { to: "keys", name: "keys" },
  { to: "channels", name: "channels" },
  { to: "webhooks", name: "webhooks" },
  { to: "settings", name: "settings" },
  { to: "audit", name: "audit", administer: true },
];

// LanguagePicker switches the console between its languages; the choice
// outlives the session (localStorage), the browser's language is the default.
function LanguagePicker() {
  const { t, i18n } = useTranslation("layout");
  return (
    <select className="language" aria-label={t("language")} value={supported(i18n.resolvedLanguage)} onChange={(e) => setLanguage(supported(e.target.value))}>
      {languages.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}

// TopBar is the console's header; onMenu, on app pages, opens the app's
// sections on narrow screens, where they do not fit beside the page.
export function TopBar({ appID, menuOpen, onMenu }: { appID?: string; menuOpen?: boolean; onMenu?: () => void }) {
  const { t } = useTranslation("layout");
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
      {onMenu && (
        <button type="button" className="menu-button secondary" aria-expanded={menuOpen} aria-controls="app-sections" onClick={onMenu}>
          {menuOpen ? t("closeMenu") : t("menu")}
        </button>
      )}
      <NavLink to="/apps" className="brand">
        pushd
      </NavLink>
      {appID && (
        <label className="switcher">
          <span className="visually-hidden">{t("app")}</span>
          <select value={appID} onChange={(e) => navigate(`/apps/${e.target.value}`)} aria-label={t("app")}>
            {apps.length === 0 && <option value={appID}>…</option>}
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <nav className="topnav" aria-label={t("console")}>
        <NavLink to="/apps" end>
          {t("apps")}
        </NavLink>
        <NavLink to="/explorer">{t("explorer")}</NavLink>
        <NavLink to="/invitations">{t("invitations")}</NavLink>
        {session.admin && <NavLink to="/accounts">{t("accounts")}</NavLink>}
      </nav>
      <span className="account">
        <LanguagePicker />
        <NavLink to="/account" className="muted" title={t("accountTitle")}>
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
          {t("logout")}
        </button>
        {loggingOut.error != null && (
          <span role="alert" className="logout-error">
            {t("notLoggedOut", { reason: explain(loggingOut.error) })}
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
  const { t } = useTranslation("layout");
  // On a narrow screen the sections are a menu; going to a page closes it.
  const [menuOpen, setMenuOpen] = useState(false);
  const [menuPath, setMenuPath] = useState(pathname);
  if (menuPath !== pathname) {
    setMenuPath(pathname);
    setMenuOpen(false);
  }
  return (
    <div className={menuOpen ? "shell menu-open" : "shell"}>
      <TopBar appID={appID} menuOpen={menuOpen} onMenu={() => setMenuOpen((o) => !o)} />
      <div className="body">
        <nav className="sidenav" id="app-sections" aria-label={t("app")}>
          {sections
            .filter((s) => (!s.send || can.send) && (!s.administer || can.administer))
            .map((s) => (
              <NavLink key={s.to} to={s.to ? `/apps/${appID}/${s.to}` : `/apps/${appID}`} end={s.to === ""}>
                {t(`sections.${s.name}`)}
              </NavLink>
            ))}
          {can.role && <p className="muted role">{t("yourRole", { role: t(`roles.${can.role}`) })}</p>}
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
