import { PageHeader } from "../ui";

export default function Templates() {
  return <PageHeader title="Templates" />;
}
