import { PageHeader } from "../ui";

export default function Explorer() {
  return <PageHeader title="Explorer" />;
}
