import { PageHeader } from "../ui";

export default function DeviceDetail() {
  return <PageHeader title="DeviceDetail" />;
}
