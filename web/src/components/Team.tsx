// Pieces of the team pages (an app's members in Settings, the admins'
// Accounts page, the account page), which speak of the same roles, the same
// passwords and the same refusals.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { GraphQLError } from "../api";
import type { Role } from "../gql/graphql";
import { accountProblem, type AccountAction } from "../lib/account";
import { generatePassword, ROLES, teamProblem } from "../lib/team";
import { Field, Problem } from "../ui";

// TeamProblem says what pushd refused in the team pages' own words where
// they have them, and the console's usual words otherwise.
export function TeamProblem({ error, action }: { error: unknown; action: Parameters<typeof teamProblem>[1] }) {
  return <Worded error={error} words={error instanceof GraphQLError ? teamProblem(error.code, action) : null} />;
}

// AccountProblem is TeamProblem for the credential actions.
export function AccountProblem({ error, action }: { error: unknown; action: AccountAction }) {
  return <Worded error={error} words={error instanceof GraphQLError ? accountProblem(error.code, error.field, action) : null} />;
}

function Worded({ error, words }: { error: unknown; words: string | null }) {
  if (!error) return null;
  if (!words) return <Problem error={error} />;
  return (
    <div role="alert" className="problem">
      <span>{words}</span>
    </div>
  );
}

// PasswordField is a new password with Generate and Show: a generated one
// is shown, to be copied or passed on. onGenerated hears what was made.
export function PasswordField({
  label,
  hint,
  value,
  onChange,
  invalid,
  onGenerated,
}: {
  label: string;
  hint?: ReactNode;
  value: string;
  onChange: (pw: string) => void;
  invalid?: boolean;
  onGenerated?: (pw: string) => void;
}) {
  const { t } = useTranslation("accounts");
  const [shown, setShown] = useState(false);
  return (
    <Field label={label} hint={hint}>
      {(id) => (
        <div className="team-password">
          <input
            id={id}
            type={shown ? "text" : "password"}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            autoComplete="new-password"
            spellCheck={false}
            aria-invalid={invalid || undefined}
          />
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const pw = generatePassword();
              onChange(pw);
              onGenerated?.(pw);
              setShown(true);
            }}
          >
            {t("password.generate")}
          </button>
          <button type="button" className="secondary" aria-pressed={shown} onClick={() => setShown(!shown)}>
            {shown ? t("password.hide") : t("password.show")}
          </button>
        </div>
      )}
    </Field>
  );
}

// RoleOptions are the roles a <select> offers, strongest first.
export function RoleOptions() {
  // Subscribed to the language, so the labels follow a switch.
  useTranslation("accounts");
  return ROLES.map((r) => (
    <option key={r.value} value={r.value}>
      {r.label}
    </option>
  ));
}

// RoleField is the role to give, in a form that gives one.
export function RoleField({ value, onChange }: { value: Role; onChange: (role: Role) => void }) {
  const { t } = useTranslation("accounts");
  return (
    <Field label={t("role")}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as Role)}>
          <RoleOptions />
        </select>
      )}
    </Field>
  );
}
