import { describe, expect, it } from "vitest";
import { after, firstPage, forFilter, next, pageNumber, previous } from "./paging";

describe("paging", () => {
  it("walks forward and back through the cursors it saw", () => {
    let c = firstPage("f");
    expect(after(c)).toBeNull();
    c = next(c, "c1");
    c = next(c, "c2");
    expect(after(c)).toBe("c2");
    expect(pageNumber(c)).toBe(3);
    c = previous(c);
    expect(after(c)).toBe("c1");
    c = previous(previous(c));
    expect(after(c)).toBeNull();
    expect(pageNumber(c)).toBe(1);
  });

  it("stays put without an end cursor, or given the same one twice", () => {
    const c = firstPage("f");
    expect(next(c, null)).toBe(c);
    const once = next(c, "c1");
    expect(next(once, "c1")).toBe(once);
    expect(pageNumber(once)).toBe(2);
  });

  it("starts over when the filter changes", () => {
    const c = next(firstPage("a"), "x");
    expect(forFilter(c, "a")).toBe(c);
    expect(after(forFilter(c, "b"))).toBeNull();
  });
});
