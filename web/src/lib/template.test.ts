// The cases of push/template_test.go, so the preview and pushd agree.
import { describe, expect, it } from "vitest";
import { fill, placeholders, render, renderTemplate, segments, validVarName, variablesOf } from "./template";

describe("placeholders", () => {
  it.each<[string, string[]]>([
    ["", []],
    ["no vars", []],
    ["Hi {{name}}", ["name"]],
    ["{{ name }} and {{name}} and {{order.id}}", ["name", "order.id"]],
    ["{{}} {{ }} {{1x}} {{a b}}", []],
    ["{{a}}{{b}}", ["a", "b"]],
    ["{{unclosed", []],
    ["{{{x}}}", []],
    ["{{{{name}}", ["name"]],
    ["{{ {{name}} }}", ["name"]],
    ["{{a-b}} {{_x}} {{x9}}", ["a-b", "_x", "x9"]],
  ])("%j", (input, want) => {
    expect(placeholders(input)).toEqual(want);
  });

  it("names are at most 64 characters", () => {
    expect(placeholders(`{{${"a".repeat(64)}}}`)).toEqual(["a".repeat(64)]);
    expect(placeholders(`{{${"a".repeat(65)}}}`)).toEqual([]);
  });

  it("trims spaces as Go does (not U+FEFF)", () => {
    expect(placeholders("{{\t a \n}}")).toEqual(["a"]);
    expect(placeholders("{{\uFEFFa}}")).toEqual([]);
  });

  it("names follow the server's rule", () => {
    expect(validVarName("a")).toBe(true);
    expect(validVarName("_a.b-c9")).toBe(true);
    expect(validVarName("9a")).toBe(false);
    expect(validVarName(".a")).toBe(false);
    expect(validVarName("a".repeat(64))).toBe(true);
    expect(validVarName("a".repeat(65))).toBe(false);
  });
});

describe("fill", () => {
  it("fills what it knows and keeps the rest as written", () => {
    expect(fill("Hi {{ name }}, order {{id}} {{1}}", { name: "Ada" })).toBe("Hi Ada, order {{id}} {{1}}");
    expect(fill("{{a}}{{a}}", { a: "x" })).toBe("xx");
    expect(fill("no placeholders", {})).toBe("no placeholders");
    expect(fill("{{toString}}", {})).toBe("{{toString}}");
  });
});

describe("render", () => {
  it.each<[string, Record<string, string> | undefined, string, string[]]>([
    ["Hi {{name}}!", { name: "Ada" }, "Hi Ada!", []],
    ["{{ a }}{{b}}{{a}}", { a: "1", b: "2" }, "121", []],
    ["literal {{ }} and {{9}}", undefined, "literal {{ }} and {{9}}", []],
    ["{{a}} {{b}} {{a}}", {}, "{{a}} {{b}} {{a}}", ["a", "b"]],
    ["tail {{x", undefined, "tail {{x", []],
    ["value with braces", { v: "{{v}}" }, "value with braces", []],
    ["{{v}}", { v: "{{w}}" }, "{{w}}", []],
  ])("%j", (input, vars, want, missing) => {
    const got = render(input, vars);
    expect(got.text).toBe(want);
    expect(got.missing).toEqual(missing);
  });

  it("does not take values from the prototype", () => {
    expect(render("{{constructor}}", {}).missing).toEqual(["constructor"]);
  });

  // FuzzRender's properties, over its seeds.
  it.each(["Hi {{name}}", "{{ a }}{{b}}", "{{", "}}{{x}}{{", "{{{{a}}}}", "{{a.b-c}}"])("properties of %j", (s) => {
    const names = placeholders(s);
    const none = render(s);
    expect(none.missing).toEqual(names);
    if (names.length) expect(none.text).toBe(s);
    const all = render(s, Object.fromEntries(names.map((n) => [n, "V"])));
    expect(all.missing).toEqual([]);
  });
});

describe("segments", () => {
  it("keeps placeholders as written, for highlighting", () => {
    expect(segments("Hi {{ name }}, {{}}")).toEqual([{ text: "Hi " }, { name: "name", raw: "{{ name }}" }, { text: ", {{}}" }]);
  });
});

describe("templates", () => {
  const t = { title: "Hi {{name}}", body: "Order {{order}} ships {{when}}", variables: null, defaults: { when: "today", n: 3 } };

  it("derives variables when none are declared", () => {
    expect(variablesOf(t)).toEqual(["name", "order", "when"]);
    expect(variablesOf({ ...t, variables: ["x", "name"] })).toEqual(["x", "name"]);
  });

  it("fills defaults and reports what is missing", () => {
    expect(renderTemplate(t, { name: "Ada", order: "42" })).toEqual({ title: "Hi Ada", body: "Order 42 ships today", missing: [] });
    expect(renderTemplate(t, { when: "now" })).toEqual({ title: "Hi {{name}}", body: "Order {{order}} ships {{when}}", missing: ["name", "order"] });
  });
});
