import { PageHeader } from "../ui";

export default function Settings() {
  return <PageHeader title="Settings" />;
}
