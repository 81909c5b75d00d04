import { PageHeader } from "../ui";

export default function Accounts() {
  return <PageHeader title="Accounts" />;
}
