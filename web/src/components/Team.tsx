// Pieces of the team pages (an app's members in Settings, the admins'
// Accounts page), which speak of the same roles and the same refusals.
import { GraphQLError } from "../api";
import type { Role } from "../gql/graphql";
import { ROLES, teamProblem } from "../lib/team";
import { Field, Problem } from "../ui";

// TeamProblem says what pushd refused in the team pages' own words where
// they have them, and the console's usual words otherwise.
export function TeamProblem({ error, action }: { error: unknown; action: Parameters<typeof teamProblem>[1] }) {
  if (!error) return null;
  const words = error instanceof GraphQLError ? teamProblem(error.code, action) : null;
  if (!words) return <Problem error={error} />;
  return (
    <div role="alert" className="problem">
      <span>{words}</span>
    </div>
  );
}

// RoleOptions are the roles a <select> offers, strongest first.
export function RoleOptions() {
  return ROLES.map((r) => (
    <option key={r.value} value={r.value}>
      {r.label}
    </option>
  ));
}

// RoleField is the role to give, in a form that gives one.
export function RoleField({ value, onChange }: { value: Role; onChange: (role: Role) => void }) {
  return (
    <Field label="Role">
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as Role)}>
          <RoleOptions />
        </select>
      )}
    </Field>
  );
}
