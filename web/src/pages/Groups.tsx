import { PageHeader } from "../ui";

export default function Groups() {
  return <PageHeader title="Groups" />;
}
