import { describe, expect, it } from "vitest";
import { withForm, withParams } from "./params";

describe("withParams", () => {
  it("sets and clears keys, keeping the others and the original", () => {
    const p = new URLSearchParams("status=DONE&kind=SIMPLE");
    expect(withParams(p, { status: "" }).toString()).toBe("kind=SIMPLE");
    expect(withParams(p, { status: "QUEUED" }).toString()).toBe("status=QUEUED&kind=SIMPLE");
    expect(withParams(p, { status: null, kind: undefined, q: "x" }).toString()).toBe("q=x");
    expect(p.toString()).toBe("status=DONE&kind=SIMPLE");
  });
});

describe("withForm", () => {
  it("opens one form at a time and closes both", () => {
    const p = new URLSearchParams("q=a&edit=grp_1");
    expect(withForm(p, "new").toString()).toBe("q=a&new=");
    expect(withForm(withForm(p, "new"), { edit: "grp_2" }).toString()).toBe("q=a&edit=grp_2");
    expect(withForm(p, null).toString()).toBe("q=a");
  });
});
