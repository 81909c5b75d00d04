import { PageHeader } from "../ui";

export default function Channels() {
  return <PageHeader title="Channels" />;
}
