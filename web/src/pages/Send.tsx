import { PageHeader } from "../ui";

export default function Send() {
  return <PageHeader title="Send" />;
}
