import { describe, expect, it } from "vitest";
import {
  parseTags,
  addUndeclared,
  checkTemplate,
  createTemplateInput,
  deviceFilter,
  deviceOrder,
  deviceParams,
  deviceWhere,
  emptyTemplateForm,
  idPrefixRange,
  maskToken,
  parseUserIDs,
  resolveUsers,
  templateForm,
  tokenSummary,
  updateTemplateInput,
  userFilter,
  userWhere,
  type TemplateForm,
} from "./content";

const form = (over: Partial<TemplateForm>): TemplateForm => ({ ...emptyTemplateForm, name: "welcome", ...over });

describe("checkTemplate", () => {
  it("with nothing declared, pushd declares the placeholders itself", () => {
    const c = checkTemplate(form({ title: "Hi {{name}}", body: "{{n}} new" }));
    expect(c.used).toEqual(["name", "n"]);
    expect(c.undeclared).toEqual([]);
    expect(c.errors).toEqual([]);
  });

  it("warns about placeholders missing from a declaration", () => {
    const c = checkTemplate(form({ title: "Hi {{name}}", body: "{{n}} new", variables: [{ name: "name", fallback: "there" }] }));
    expect(c.undeclared).toEqual(["n"]);
    expect(c.errors).toEqual(["Placeholders not declared as variables: n."]);
  });

  it("notes declared variables no placeholder uses", () => {
    const c = checkTemplate(form({ body: "Hi {{name}}", variables: [{ name: "name", fallback: "" }, { name: "extra", fallback: "" }] }));
    expect(c.unused).toEqual(["extra"]);
    expect(c.errors).toEqual([]);
  });

  it("refuses what pushd refuses", () => {
    expect(checkTemplate(form({ name: "" })).errors).toEqual(["A template needs a name.", "A template needs a title or a body."]);
    expect(checkTemplate(form({ name: "has space", body: "x" })).errors[0]).toMatch(/letters, digits/);
    expect(checkTemplate(form({ body: "x", variables: [{ name: "9x", fallback: "" }] })).errors).toContain('"9x" is not a valid variable name.');
    expect(checkTemplate(form({ body: "x", variables: [{ name: "", fallback: "d" }] })).errors).toContain("A default has no variable name.");
    expect(checkTemplate(form({ body: "{{a}}", variables: [{ name: "a", fallback: "" }, { name: "a", fallback: "" }] })).errors).toContain(
      "Declared twice: a.",
    );
  });

  it("ignores blank rows", () => {
    const c = checkTemplate(form({ body: "{{a}}", variables: [{ name: " ", fallback: "" }] }));
    expect(c.declared).toEqual([]);
    expect(c.errors).toEqual([]);
  });

  it("addUndeclared declares what is missing", () => {
    const f = addUndeclared(form({ title: "{{a}}", body: "{{b}} {{c}}", variables: [{ name: "b", fallback: "B" }, { name: "", fallback: "" }] }));
    expect(f.variables).toEqual([
      { name: "b", fallback: "B" },
      { name: "a", fallback: "" },
      { name: "c", fallback: "" },
    ]);
    expect(checkTemplate(f).errors).toEqual([]);
  });
});

describe("template inputs", () => {
  const f = form({
    name: " welcome ",
    title: "Hi {{name}}",
    body: "You have {{n}} messages",
    variables: [
      { name: "name", fallback: "there" },
      { name: "n", fallback: "" },
    ],
  });

  it("create sends declared variables and non-blank defaults", () => {
    expect(createTemplateInput("app_1", f)).toEqual({
      appID: "app_1",
      name: "welcome",
      title: "Hi {{name}}",
      body: "You have {{n}} messages",
      variables: ["name", "n"],
      defaults: { name: "there" },
    });
    const bare = createTemplateInput("app_1", form({ body: "x" }));
    expect(bare).not.toHaveProperty("variables");
    expect(bare).not.toHaveProperty("defaults");
  });

  it("update replaces variables and defaults, clearing when empty", () => {
    expect(updateTemplateInput(f)).toEqual({
      name: "welcome",
      title: "Hi {{name}}",
      body: "You have {{n}} messages",
      variables: ["name", "n"],
      defaults: { name: "there" },
    });
    expect(updateTemplateInput(form({ body: "x" }))).toMatchObject({ clearVariables: true, clearDefaults: true });
  });

  it("a stored template becomes a form and back", () => {
    const t = { name: "w", title: "Hi {{name}}", body: "", variables: ["name"], defaults: { name: "you", odd: 3 } };
    const back = templateForm(t);
    expect(back.variables).toEqual([
      { name: "name", fallback: "you" },
      { name: "odd", fallback: "3" },
    ]);
    expect(templateForm({ name: "w", title: "t", body: "", variables: null, defaults: null }).variables).toEqual([]);
  });
});

describe("device filters", () => {
  it("read from the URL, dropping unknown values", () => {
    const f = deviceFilter(new URLSearchParams("platform=ios&q=%20abc%20&bound=maybe&push=off&sort=NEWEST"));
    expect(f).toEqual({ q: "abc", user: "", tag: "", platform: "IOS", bound: "", push: "off", sort: "NEWEST" });
    expect(deviceFilter(new URLSearchParams("platform=PALM")).platform).toBe("");
    expect(deviceFilter(new URLSearchParams("")).sort).toBe("LAST_SEEN");
  });

  it("written back without defaults", () => {
    const f = deviceFilter(new URLSearchParams("platform=IOS&tag=beta&user=u1"));
    expect(deviceParams(f).toString()).toBe("user=u1&tag=beta&platform=IOS");
    expect(deviceParams(deviceFilter(new URLSearchParams("sort=LAST_SEEN"))).toString()).toBe("");
  });

  it("become a where input scoped to the app", () => {
    const base = deviceFilter(new URLSearchParams(""));
    expect(deviceWhere("app_1", base)).toEqual({ appID: "app_1" });
    const full = "dev_01M915TKSFC8WFC481EGQYJG5T";
    expect(deviceWhere("app_1", { ...base, q: full })).toEqual({ appID: "app_1", id: full });
    // The start of an ID finds every device whose ID begins with it.
    expect(deviceWhere("app_1", { ...base, q: "dev_01hx" })).toEqual({ appID: "app_1", idGTE: "dev_01HX", idLT: "dev_01HY" });
    expect(deviceWhere("app_1", { ...base, q: "inst-7" })).toEqual({ appID: "app_1", installationIDContainsFold: "inst-7" });
    expect(
      deviceWhere("app_1", { ...base, user: "u1", tag: "beta", platform: "ANDROID", bound: "yes", push: "on" }),
    ).toEqual({ appID: "app_1", hasUserWith: [{ externalID: "u1" }], hasTag: "beta", platform: "ANDROID", userIDNotNil: true, pushEnabled: true });
    expect(deviceWhere("app_1", { ...base, bound: "no", push: "off" })).toEqual({ appID: "app_1", userIDIsNil: true, pushEnabled: false });
  });

  it("a partial device ID is a range of IDs", () => {
    expect(idPrefixRange("dev_01M9")).toEqual({ from: "dev_01M9", to: "dev_01MA" });
    expect(idPrefixRange("dev_0H")).toEqual({ from: "dev_0H", to: "dev_0J" }); // I is not a ULID character
    expect(idPrefixRange("dev_0Z")).toEqual({ from: "dev_0Z", to: "dev_1" });
    expect(idPrefixRange("dev_ZZ")).toBeNull();
    expect(idPrefixRange("dev_0U")).toBeNull(); // U is not a ULID character either
  });

  it("sort orders", () => {
    expect(deviceOrder("LAST_SEEN")).toEqual({ field: "LAST_SEEN_AT", direction: "DESC" });
    expect(deviceOrder("NEWEST")).toEqual({ field: "CREATED_AT", direction: "DESC" });
    expect(deviceOrder("OLDEST")).toEqual({ field: "CREATED_AT", direction: "ASC" });
  });
});

describe("tokens", () => {
  it("summarises channels, dead ones last", () => {
    expect(tokenSummary(null).text).toBe("no vendor token");
    const s = tokenSummary([
      { channel: "HUAWEI", status: "DEAD" },
      { channel: "FCM", status: "ACTIVE" },
      { channel: "APNS", status: "ACTIVE" },
    ]);
    expect(s.active).toEqual(["APNS", "FCM"]);
    expect(s.dead).toEqual(["HUAWEI"]);
    expect(s.text).toBe("APNS, FCM, HUAWEI (dead)");
  });

  it("masks long tokens", () => {
    expect(maskToken("short")).toBe("short");
    expect(maskToken("abcdefghijklmnopqrstuvwxyz")).toBe("abcdefgh…uvwxyz");
  });
});

describe("users", () => {
  it("filter and where input", () => {
    const f = userFilter(new URLSearchParams("q=%20ada&group=grp_1"));
    expect(f).toEqual({ q: "ada", group: "grp_1" });
    expect(userWhere("app_1", f)).toEqual({ appID: "app_1", externalIDContainsFold: "ada", hasGroupsWith: [{ id: "grp_1" }] });
    expect(userWhere("app_1", { q: "", group: "" })).toEqual({ appID: "app_1" });
  });

  it("parses typed user IDs", () => {
    expect(parseUserIDs(" u1, u2\nu1\n\n u3 ,")).toEqual(["u1", "u2", "u3"]);
    expect(parseUserIDs("  ")).toEqual([]);
  });

  it("resolves user IDs to node IDs", () => {
    expect(resolveUsers(["u1", "u2", "u3"], [{ id: "usr_3", externalID: "u3" }, { id: "usr_1", externalID: "u1" }])).toEqual({
      ids: ["usr_1", "usr_3"],
      unknown: ["u2"],
    });
  });
});

describe("parseTags", () => {
  it("splits on commas and spaces, drops blanks and duplicates", () => {
    expect(parseTags(" beta, region:eu  beta,,")).toEqual(["beta", "region:eu"]);
    expect(parseTags("  ")).toEqual([]);
  });
});

describe("template sizes", () => {
  it("are counted in UTF-8 bytes, as pushd does", () => {
    const base = { name: "t", title: "", body: "", variables: [] };
    expect(checkTemplate({ ...base, body: "é".repeat(2048) }).errors).toEqual([]);
    expect(checkTemplate({ ...base, body: "é".repeat(2049) }).errors).toEqual(["The body is 4,098 bytes; at most 4,096."]);
    expect(checkTemplate({ ...base, title: "表".repeat(342), body: "x" }).errors).toEqual(["The title is 1,026 bytes; at most 1,024."]);
  });
});
