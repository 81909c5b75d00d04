import { describe, expect, it } from "vitest";
import { actionLabel, actorKind, AUDIT_PAGE, fieldsText, olderThan, targetLabel } from "./audit";

describe("labels", () => {
  it("names the actor's kind", () => {
    expect(actorKind("account")).toBe("account");
    expect(actorKind("api_key")).toBe("API key");
    expect(actorKind("some_robot")).toBe("some robot");
  });
  it("says the action as a past tense, or as it came", () => {
    expect(actionLabel("create")).toBe("created");
    expect(actionLabel("update")).toBe("changed");
    expect(actionLabel("delete")).toBe("deleted");
    expect(actionLabel("revoke")).toBe("revoke");
  });
  it("names the object's type", () => {
    expect(targetLabel("APIKey")).toBe("API key");
    expect(targetLabel("PushJob")).toBe("push");
    expect(targetLabel("ChannelConfig")).toBe("channel");
    expect(targetLabel("Gadget")).toBe("Gadget");
  });
  it("lists the fields", () => {
    expect(fieldsText(["body", "variables"])).toBe("body, variables");
    expect(fieldsText([])).toBe("–");
  });
});

describe("olderThan", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `aud_${String(99 - i).padStart(2, "0")}` }));
  it("pages back from the last row of a full page", () => {
    expect(olderThan(rows(AUDIT_PAGE))).toBe("aud_50");
    expect(olderThan(rows(3), 3)).toBe("aud_97");
  });
  it("stops after a short page", () => {
    expect(olderThan(rows(AUDIT_PAGE - 1))).toBeNull();
    expect(olderThan([])).toBeNull();
  });
});
