// Who is logged in and what they may do in each app, for role-aware UI:
// pushd enforces every rule itself; the console only hides what would be
// refused (a VIEWER sees no send button).
import { createContext, useContext, type ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";
import { GraphQLError } from "./api";
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
  reload: () => void;
};

const SessionContext = createContext<Session | null>(null);

// RequireSession loads the viewer once; without a console session it sends
// the browser to the login page and back here after.
export function RequireSession({ children }: { children: ReactNode }) {
  const location = useLocation();
  const { data, error, loading, reload } = useQuery(ViewerQuery, {});
  const account = data?.viewer.account;
  if ((error instanceof GraphQLError && error.code === "UNAUTHENTICATED") || (data && !account)) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (error) return <Problem error={error} retry={reload} />;
  if (loading || !account) return <Loading />;
  const roles: Record<string, Role> = {};
  for (const m of account.memberships ?? []) roles[m.appID] = m.role;
  return (
    <SessionContext.Provider value={{ id: account.id, email: account.email, admin: account.admin, roles, reload }}>
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
