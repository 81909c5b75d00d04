import { PageHeader } from "../ui";

export default function Keys() {
  return <PageHeader title="Keys" />;
}
