import { PageHeader } from "../ui";

export default function Jobs() {
  return <PageHeader title="Jobs" />;
}
