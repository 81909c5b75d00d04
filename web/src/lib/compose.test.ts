import { describe, expect, it } from "vitest";
import { GraphQLError } from "../api";
import {
  audienceInput,
  buildBroadcast,
  buildMultiple,
  buildSimple,
  buildTemplate,
  CLASSIFICATIONS,
  dropBlankRows,
  emptyAudience,
  emptyMessage,
  emptyOptions,
  fieldLabel,
  isTimeZone,
  messageInput,
  modeOf,
  namedError,
  optionsInput,
  parseCSV,
  parseList,
  parsePayload,
  rowsFromCSV,
  scheduleISO,
  ttlSeconds,
  type Errors,
  type OptionsForm,
  type Row,
} from "./compose";
import { toLocalInput } from "./format";

const now = Date.parse("2026-03-01T12:00:00Z");
const local = (ms: number) => toLocalInput(new Date(ms).toISOString());
const opts = (o: Partial<OptionsForm> = {}) => ({ ...emptyOptions("UTC"), ...o });

describe("targets", () => {
  it("reads one per line or comma separated, without blanks or repeats", () => {
    expect(parseList(" a\nb, c\n\n,a ,\r\nd ")).toEqual(["a", "b", "c", "d"]);
    expect(parseList("  \n ,")).toEqual([]);
  });

  it("goes to deviceIDs or userIDs", () => {
    const dev = buildSimple("app", { targetKind: "device", targets: "d1\nd2", message: { ...emptyMessage, title: "Hi" }, options: opts() });
    expect(dev.input?.target).toEqual({ deviceIDs: ["d1", "d2"] });
    const usr = buildSimple("app", { targetKind: "user", targets: "u1,u2", message: { ...emptyMessage, title: "Hi" }, options: opts() });
    expect(usr.input?.target).toEqual({ userIDs: ["u1", "u2"] });
  });

  it("needs one and at most 1,000", () => {
    const none = buildSimple("app", { targetKind: "device", targets: " ", message: { ...emptyMessage, title: "Hi" }, options: opts() });
    expect(none.errors?.target).toMatch(/at least one device/);
    const many = Array.from({ length: 1001 }, (_, i) => `d${i}`).join("\n");
    const over = buildSimple("app", { targetKind: "device", targets: many, message: { ...emptyMessage, title: "Hi" }, options: opts() });
    expect(over.errors?.target).toMatch(/At most 1,000/);
  });

  it("user IDs are at most 128 bytes", () => {
    const r = buildSimple("app", { targetKind: "user", targets: "é".repeat(65), message: { ...emptyMessage, title: "Hi" }, options: opts() });
    expect(r.errors?.target).toMatch(/128 bytes/);
  });
});

describe("message", () => {
  it("lists every classification once, by class", () => {
    const all = [...CLASSIFICATIONS.SERVICE, ...CLASSIFICATIONS.MARKETING];
    expect(new Set(all).size).toBe(all.length);
    expect(CLASSIFICATIONS.MARKETING).toEqual(["MARKETING", "NEWS", "CONTENT", "SOCIAL"]);
  });

  it("leaves out empty optional fields", () => {
    const r = buildSimple("app", { targetKind: "device", targets: "d1", message: { ...emptyMessage, title: "Hi", sound: "  " }, options: opts() });
    expect(r.input).toEqual({ appID: "app", target: { deviceIDs: ["d1"] }, message: { title: "Hi" } });
  });

  it("keeps every field given", () => {
    const e: Errors = {};
    const m = messageInput(
      {
        title: " Hi ",
        body: "Body",
        payload: '{"a": 1}',
        uri: "app://x ",
        action: "OPEN_URI",
        silent: false,
        badge: "3",
        sound: "ding",
        imageURL: "https://x/y.png",
        collapseKey: "k",
        priority: "HIGH",
        androidChannelID: "news",
        category: "IM",
        classification: "EXPRESS",
      },
      e,
    );
    expect(e).toEqual({});
    expect(m).toEqual({
      title: " Hi ",
      body: "Body",
      payload: { a: 1 },
      uri: "app://x",
      action: "OPEN_URI",
      badge: 3,
      sound: "ding",
      imageURL: "https://x/y.png",
      collapseKey: "k",
      priority: "HIGH",
      androidChannelID: "news",
      category: "IM",
      classification: "EXPRESS",
    });
  });

  it("says what is wrong with the payload", () => {
    expect(parsePayload("")).toEqual({});
    expect(parsePayload('{"a":1}')).toEqual({ value: { a: 1 } });
    expect(parsePayload("{a:1}").error).toMatch(/^Not valid JSON/);
    expect(parsePayload("[1]").error).toMatch(/JSON object/);
    expect(parsePayload("null").error).toMatch(/JSON object/);
    const r = buildSimple("app", { targetKind: "device", targets: "d", message: { ...emptyMessage, title: "x", payload: "{" }, options: opts() });
    expect(r.errors?.["message.payload"]).toMatch(/Not valid JSON/);
  });

  it("checks what pushd would refuse", () => {
    const e: Errors = {};
    messageInput({ ...emptyMessage, silent: true, badge: "-1", imageURL: "http://x", collapseKey: "k".repeat(65) }, e);
    expect(Object.keys(e).sort()).toEqual(["message.badge", "message.collapseKey", "message.imageURL", "message.payload"]);
    const empty: Errors = {};
    expect(messageInput(emptyMessage, empty)).toBeUndefined();
    expect(empty.message).toMatch(/title, a body or a payload/);
    const extras: Errors = {};
    expect(messageInput(emptyMessage, extras, "message", false)).toBeUndefined();
    expect(extras).toEqual({});
  });
});

describe("options", () => {
  it("converts the TTL", () => {
    expect(ttlSeconds("", "h")).toEqual({});
    expect(ttlSeconds("2", "h")).toEqual({ seconds: 7200 });
    expect(ttlSeconds("0", "d")).toEqual({ seconds: 0 });
    expect(ttlSeconds("1.5", "min")).toEqual({ seconds: 90 });
    expect(ttlSeconds("30", "d")).toEqual({ seconds: 2_592_000 });
    expect(ttlSeconds("31", "d").error).toMatch(/30 days/);
    expect(ttlSeconds("0.5", "s").error).toMatch(/whole seconds/);
    expect(ttlSeconds("-1", "s").error).toBeTruthy();
    expect(ttlSeconds("x", "s").error).toBeTruthy();
  });

  it("is left out when nothing is set", () => {
    expect(optionsInput(opts(), {})).toBeUndefined();
    const r = buildSimple("app", { targetKind: "device", targets: "d", message: { ...emptyMessage, title: "x" }, options: opts() });
    expect(r.input && "options" in r.input).toBe(false);
  });

  it("keeps msgKey, task name and channels", () => {
    const e: Errors = {};
    expect(optionsInput(opts({ ttl: "10", ttlUnit: "min", msgKey: "order-42", taskName: " spring ", channels: ["SELF", "FCM"] }), e)).toEqual({
      ttlSeconds: 600,
      msgKey: "order-42",
      taskName: "spring",
      channels: ["SELF", "FCM"],
    });
    optionsInput(opts({ msgKey: "k".repeat(129) }), e);
    expect(e["options.msgKey"]).toMatch(/128 bytes/);
  });

  it("schedules at an instant in pushd's window", () => {
    const at = now + 3600_000;
    expect(scheduleISO(local(at), now)).toEqual({ iso: new Date(at).toISOString() });
    expect(scheduleISO("", now).error).toBeTruthy();
    expect(scheduleISO(local(now - 5 * 60_000), now).error).toMatch(/passed/);
    expect(scheduleISO(local(now + 367 * 86400_000), now).error).toMatch(/366 days/);
    const e: Errors = {};
    expect(optionsInput(opts({ when: "at", scheduleAt: local(at) }), e, { now })).toEqual({ scheduleAt: new Date(at).toISOString() });
    expect(e).toEqual({});
  });

  it("repeats on a cron in a time zone", () => {
    const e: Errors = {};
    const start = now + 86400_000;
    const o = optionsInput(opts({ when: "repeat", cron: " 0  9 * * 1-5 ", timeZone: "Europe/Paris", startAt: local(start) }), e, { now });
    expect(e).toEqual({});
    expect(o).toEqual({ recurrence: { cron: "0 9 * * 1-5", timeZone: "Europe/Paris", startAt: new Date(start).toISOString() } });
    const bad: Errors = {};
    optionsInput(opts({ when: "repeat", cron: "@daily", timeZone: "", startAt: local(start), endAt: local(start) }), bad, { now });
    expect(Object.keys(bad).sort()).toEqual(["options.recurrence.cron", "options.recurrence.endAt", "options.recurrence.timeZone"]);
    const misspelt: Record<string, string> = {};
    optionsInput(opts({ when: "repeat", cron: "@daily", timeZone: "Europe/Pariss" }), misspelt, { now });
    expect(misspelt["options.recurrence.timeZone"]).toMatch(/not an IANA time zone/);
    for (const tz of ["UTC", "Asia/Shanghai", "America/Argentina/Buenos_Aires"]) expect(isTimeZone(tz)).toBe(true);
    for (const tz of ["Mars/Olympus", "Europe/Pariss", "GMT+25"]) expect(isTimeZone(tz)).toBe(false);
    const multiple: Errors = {};
    optionsInput(opts({ when: "repeat", cron: "* * * * *" }), multiple, { recurrence: false });
    expect(multiple["options.recurrence"]).toBeTruthy();
  });
});

const tpl = { name: "welcome", title: "Hi {{name}}", body: "Your code is {{code}}, valid {{days}} days", variables: ["name", "code", "days"], defaults: { days: "7" } };
const vars = ["name", "code", "days"];

describe("template push", () => {
  it("sends the values given; empty boxes leave the default to pushd", () => {
    const r = buildTemplate("app", { targetKind: "user", targets: "u1", template: tpl, vars: { name: "Ada", code: "X1", days: "" }, extras: emptyMessage, options: opts() }, vars);
    expect(r.input).toEqual({ appID: "app", target: { userIDs: ["u1"] }, templateName: "welcome", vars: { name: "Ada", code: "X1" } });
  });

  it("names missing variables and a missing template", () => {
    const r = buildTemplate("app", { targetKind: "user", targets: "u1", template: tpl, vars: { name: "Ada" }, extras: emptyMessage, options: opts() }, vars);
    expect(r.errors).toEqual({ vars: "No value (and no default) for code." });
    const none = buildTemplate("app", { targetKind: "user", targets: "u1", vars: {}, extras: emptyMessage, options: opts() }, []);
    expect(none.errors?.templateName).toBeTruthy();
  });

  it("adds extras but never a title or body", () => {
    const r = buildTemplate(
      "app",
      { targetKind: "device", targets: "d", template: tpl, vars: { name: "A", code: "B" }, extras: { ...emptyMessage, title: "ignored", badge: "1", payload: '{"k":"v"}' }, options: opts() },
      vars,
    );
    expect(r.input?.message).toEqual({ badge: 1, payload: { k: "v" } });
  });
});

describe("multiple push", () => {
  it("makes one item per row with its own variables", () => {
    const rows = dropBlankRows([
      { target: "d1", vars: { name: "Ada", code: "1" } },
      { target: "", vars: {} },
      { target: "d2", vars: { name: "Bob", code: "2", days: "3" } },
    ]);
    const r = buildMultiple("app", { targetKind: "device", template: tpl, rows, extras: emptyMessage, options: opts() }, vars);
    expect(r.input).toEqual({
      appID: "app",
      templateName: "welcome",
      items: [
        { target: { deviceIDs: ["d1"] }, vars: { name: "Ada", code: "1" } },
        { target: { deviceIDs: ["d2"] }, vars: { name: "Bob", code: "2", days: "3" } },
      ],
    });
  });

  it("reports errors per row as pushd does", () => {
    const rows: Row[] = [
      { target: "d1", vars: { name: "Ada" } },
      { target: "", vars: { name: "x", code: "y" } },
    ];
    const r = buildMultiple("app", { targetKind: "device", template: tpl, rows, extras: emptyMessage, options: opts({ when: "repeat", cron: "* * * * *" }) }, vars);
    expect(Object.keys(r.errors ?? {}).sort()).toEqual(["items[0].vars", "items[1].target", "options.recurrence"]);
    const none = buildMultiple("app", { targetKind: "device", template: tpl, rows: [], extras: emptyMessage, options: opts() }, vars);
    expect(none.errors?.items).toBeTruthy();
  });

  it("copies the extras to every item", () => {
    const rows = [{ target: "d1", vars: { name: "A", code: "1" } }, { target: "d2", vars: { name: "B", code: "2" } }];
    const r = buildMultiple("app", { targetKind: "device", template: tpl, rows, extras: { ...emptyMessage, badge: "2" }, options: opts() }, vars);
    expect(r.input?.items.map((i) => i.message)).toEqual([{ badge: 2 }, { badge: 2 }]);
  });
});

describe("broadcast", () => {
  it("leaves out filters that filter nothing", () => {
    expect(audienceInput(emptyAudience)).toEqual({});
    expect(
      audienceInput({ platforms: ["IOS"], appVersions: "1.0, 1.1", tags: "beta\nvip", groups: ["grp_1"], bound: "BOUND", activeWithin: "86400" }),
    ).toEqual({ platforms: ["IOS"], appVersions: ["1.0", "1.1"], tags: ["beta", "vip"], groups: ["grp_1"], bound: "BOUND", activeWithinSeconds: 86400 });
    const e: Errors = {};
    audienceInput({ ...emptyAudience, tags: Array.from({ length: 101 }, (_, i) => `t${i}`).join(",") }, e);
    expect(e["audience.tags"]).toMatch(/100/);
  });

  it("sends a message or a template, not both", () => {
    const base = { message: { ...emptyMessage, title: "News" }, template: tpl, vars: { name: "A", code: "B" }, audience: emptyAudience, options: opts() };
    expect(buildBroadcast("app", { ...base, content: "message" }, vars).input).toEqual({ appID: "app", audience: {}, message: { title: "News" } });
    expect(buildBroadcast("app", { ...base, content: "template" }, vars).input).toEqual({ appID: "app", audience: {}, templateName: "welcome", vars: { name: "A", code: "B" } });
    expect(buildBroadcast("app", { ...base, content: "template", vars: {} }, vars).errors?.vars).toMatch(/name, code/);
  });
});

describe("CSV", () => {
  it("reads quotes, doubled quotes, CRLF and blank lines", () => {
    expect(parseCSV('a,b\r\n"x, y","say ""hi"""\n\n"multi\nline",z\n')).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["x, y", 'say "hi"'] },
      { line: 4, cells: ["multi\nline", "z"] },
    ]);
    expect(parseCSV("")).toEqual([]);
    expect(parseCSV("only")).toEqual([{ line: 1, cells: ["only"] }]);
  });

  it("makes rows of target,var1,var2 with errors per line", () => {
    const text = ["userID,name,code", "u1,Ada,X1", "u2,Bob", ",Cy,X3", "u4,,X4", "u5,Eve,X5,extra", "u6,Fay,"].join("\n");
    const r = rowsFromCSV(text, vars, { days: "7" });
    expect(r.kind).toBe("user");
    expect(r.columns).toEqual(["userID", "name", "code"]);
    expect(r.rows).toEqual([{ line: 2, target: "u1", vars: { name: "Ada", code: "X1" } }]);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(r.errors[0].message).toMatch(/2 cells; the header has 3/);
    expect(r.errors[1].message).toMatch(/No target/);
    expect(r.errors[2].message).toMatch(/No value for name/);
  });

  it("checks the header against the template", () => {
    const r = rowsFromCSV("target,name,colour\nd1,A,red", vars, {});
    expect(r.kind).toBeUndefined();
    expect(r.errors.map((e) => e.line)).toEqual([1, 1]);
    expect(r.errors[0].message).toMatch(/colour/);
    expect(r.errors[1].message).toMatch(/No column for code, days/);
    expect(rowsFromCSV("deviceID,name,code\nd1,A,B", vars, { days: "1" }).kind).toBe("device");
  });
});

describe("errors from pushd", () => {
  it("names the field", () => {
    expect(fieldLabel("options.ttlSeconds")).toBe("TTL");
    expect(fieldLabel("items[2].vars")).toBe("Row 3 variables");
    expect(fieldLabel("items[0].message.payload")).toBe("Row 1 payload");
    expect(fieldLabel("whatever")).toBe("whatever");
    const e = namedError(new GraphQLError("must be from 0 to 2592000 (30 days), got -1", "INVALID_ARGUMENT", "options.ttlSeconds"));
    expect(e).toBeInstanceOf(GraphQLError);
    expect((e as GraphQLError).message).toBe("TTL: must be from 0 to 2592000 (30 days), got -1");
    const other = new GraphQLError("x", "FORBIDDEN");
    expect(namedError(other)).toBe(other);
  });
});

describe("mode", () => {
  it("defaults to simple", () => {
    expect(modeOf("broadcast")).toBe("broadcast");
    expect(modeOf(null)).toBe("simple");
    expect(modeOf("nope")).toBe("simple");
  });
});
