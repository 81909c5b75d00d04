// Test pushes from the device, user, group and template pages
// (components/TestSend.tsx): what each sends and the task name that makes
// it recognisable in the push list.
import type { PushTarget } from "../gql/graphql";
import { MAX_TASK_NAME } from "./compose";
import { utf8Bytes } from "./format";
import type { TemplateLike } from "./template";

export type TestSubject =
  | { kind: "device"; id: string }
  | { kind: "user"; id: string }
  | { kind: "group"; id: string; name: string }
  | { kind: "template"; name: string; content: TemplateLike };

// testTaskName is "test: <kind> <name>", the same in every language so a
// search of the push list finds every test, cut to pushd's 200 bytes.
export function testTaskName(s: TestSubject): string {
  const what = s.kind === "group" || s.kind === "template" ? s.name : s.id;
  let name = `test: ${s.kind} ${what}`;
  while (utf8Bytes(name) > MAX_TASK_NAME) name = [...name].slice(0, -1).join("");
  return name;
}

// testTarget is who a device or user test push goes to; a picked target
// of a template test is one of these too.
export function testTarget(s: { kind: "device" | "user"; id: string }): PushTarget {
  return s.kind === "device" ? { deviceIDs: [s.id] } : { userIDs: [s.id] };
}
