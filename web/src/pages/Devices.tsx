import { PageHeader } from "../ui";

export default function Devices() {
  return <PageHeader title="Devices" />;
}
