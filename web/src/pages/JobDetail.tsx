import { PageHeader } from "../ui";

export default function JobDetail() {
  return <PageHeader title="JobDetail" />;
}
