// The vendors' daily per-device caps of content and marketing messages:
// what pushd let through today for this app, and what it does with a
// message over the cap (the app's quota policy).
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import type { QuotaPolicy } from "../gql/graphql";
import { useMutation } from "../hooks";
import { Problem, Segmented } from "../ui";

const SetQuotaPolicyMutation = graphql(`
  mutation SetQuotaPolicy($id: ID!, $policy: QuotaPolicy!) {
    updateApp(id: $id, input: { quotaPolicy: $policy }) {
      id
      quotaPolicy
    }
  }
`);

export type Quota = { marketingPerDevice: number; day: string; sent: number; held: number; failed: number; devicesAtCap: number };

// QuotaUsage is one channel's line: the day's counts against its cap.
export function QuotaUsage({ quota }: { quota: Quota }) {
  const { t } = useTranslation("channels");
  return (
    <span>
      {t("quota.usage", {
        sent: quota.sent,
        held: quota.held,
        failed: quota.failed,
        devices: quota.devicesAtCap,
        cap: quota.marketingPerDevice,
        day: quota.day,
      })}
    </span>
  );
}

// QuotaPolicyControl says, and lets an owner choose, what becomes of a
// message over a vendor's cap.
export function QuotaPolicyControl({ appID, policy, canEdit, onSaved }: { appID: string; policy: QuotaPolicy; canEdit: boolean; onSaved: () => void }) {
  const { t } = useTranslation("channels");
  const [save, saved] = useMutation(SetQuotaPolicyMutation);
  const options: [QuotaPolicy, string][] = [
    ["HOLD" as QuotaPolicy, t("quota.policy.HOLD")],
    ["FAIL" as QuotaPolicy, t("quota.policy.FAIL")],
  ];
  return (
    <section className="card admin-quota" aria-label={t("quota.title")}>
      <h2>{t("quota.title")}</h2>
      <p className="muted small">{t("quota.intro")}</p>
      {canEdit ? (
        <Segmented
          label={t("quota.title")}
          value={policy}
          options={options}
          onChange={async (p) => {
            if (p !== policy && (await save({ id: appID, policy: p }))) onSaved();
          }}
        />
      ) : (
        <p>{t(`quota.policy.${policy}`)}</p>
      )}
      <Problem error={saved.error} />
    </section>
  );
}
