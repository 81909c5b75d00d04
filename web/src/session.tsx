// Who is logged in and what they may do in each app, for role-aware UI:
// pushd enforces every rule itself; the console only hides what would be
// refused (a VIEWER sees no send button).
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { GraphQLError, SESSION_ENDED } from "./api";
import { graphql } from "./gql";
import { useQuery } from "./hooks";
import { type Role, roleIn, permissions, type Permissions } from "./lib/roles";
import { Loading, Problem } from "./ui";

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      account {
        id
        email
        admin
        memberships {
          appID
          role
        }
      }
    }
  }
`);

export type Session = {
  id: string;
  email: string;
  admin: boolean;
  roles: Record<string, Role>;
  // reload refetches the account and bumps version, which lists of apps
  // (the switcher) follow after an app was made, renamed or deleted.
  reload: () => void;
  version: number;
};

const SessionContext = createContext<Session | null>(null);

// RequireSession loads the viewer once; without a console session it sends
// the browser to the login page and back here after.
export function RequireSession({ children }: { children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const { data, error, loading, reload: refetch } = useQuery(ViewerQuery, {});
  useEffect(() => {
    const ended = () => navigate("/login", { replace: true, state: { from: location.pathname + location.search } });
    window.addEventListener(SESSION_ENDED, ended);
    return () => window.removeEventListener(SESSION_ENDED, ended);
  }, [navigate, location.pathname, location.search]);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => {
    setVersion((v) => v + 1);
    refetch();
  }, [refetch]);
  const account = data?.viewer.account;
  if ((error instanceof GraphQLError && error.code === "UNAUTHENTICATED") || (data && !account)) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (error && !account) return <Problem error={error} retry={reload} />;
  // While a reload runs, the pages stay as they are (no remount).
  if (!account) return loading ? <Loading /> : null;
  const roles: Record<string, Role> = {};
  for (const m of account.memberships ?? []) roles[m.appID] = m.role;
  return (
    <SessionContext.Provider value={{ id: account.id, email: account.email, admin: account.admin, roles, reload, version }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside RequireSession");
  return s;
}

// useCan says what the logged-in account may do in app.
export function useCan(appID: string): Permissions {
  const s = useSession();
  return permissions(roleIn(s, appID));
}

// forgetLocalData drops what the console kept in this tab for the session
// (what was typed in the explorer), once the session has ended.
export function forgetLocalData() {
  for (const k of Object.keys(sessionStorage)) if (k.startsWith("graphiql:")) sessionStorage.removeItem(k);
}
