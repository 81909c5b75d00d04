import { describe, expect, it } from "vitest";
import { badgeOf, badgeText, columns, cuts, fit, graphemes, imageHost, LAYOUTS, notification, viewOf, type Content, type Cut, type Platform, type View } from "./preview";

const x = (n: number) => "x".repeat(n);
const han = (n: number) => "推".repeat(n);

describe("columns", () => {
  it.each<[string, number]>([
    ["", 0],
    ["abc", 3],
    ["a b", 3],
    ["你好", 4],
    ["Hi 你好！", 9], // the full-width ！ is wide too
    ["こんにちは", 10],
    ["안녕", 4],
    ["ｱｲｳ", 3], // half-width katakana
    ["e\u0301", 1], // a combining accent takes no column
    ["👍🏽", 2], // one emoji with its skin tone
    ["👩‍💻", 2], // joined by ZWJ
    ["❤️", 2], // a text symbol made emoji by U+FE0F
  ])("%j is %i columns", (s, want) => {
    expect(columns(s)).toBe(want);
  });

  it("counts characters as a reader does", () => {
    expect(graphemes("e\u0301👍🏽a")).toEqual(["e\u0301", "👍🏽", "a"]);
  });
});

describe("fit", () => {
  it.each<[string, string, number, number, { shown: string; rest: string; chars: number; cut: boolean }]>([
    ["empty", "", 10, 1, { shown: "", rest: "", chars: 0, cut: false }],
    ["fits", "Hello world", 20, 1, { shown: "Hello world", rest: "", chars: 11, cut: false }],
    ["exactly a line", "abcd", 4, 1, { shown: "abcd", rest: "", chars: 4, cut: false }],
    ["breaks at a space, the space cut", "Hello world", 8, 1, { shown: "Hello", rest: " world", chars: 5, cut: true }],
    ["wraps words to a second line", "Hello world again and more", 11, 2, { shown: "Hello world again and", rest: " more", chars: 21, cut: true }],
    ["… takes a letter off a full last line", "Hello world again", 11, 1, { shown: "Hello worl", rest: "d again", chars: 10, cut: true }],
    ["a word longer than a line breaks anywhere, room for …", "abcdefghij", 4, 2, { shown: "abcdefg", rest: "hij", chars: 7, cut: true }],
    ["CJK breaks between characters, room for …", han(10), 10, 1, { shown: han(4), rest: han(6), chars: 4, cut: true }],
    ["CJK in two lines", han(11), 10, 2, { shown: han(9), rest: han(2), chars: 9, cut: true }],
    ["CJK fits", han(5), 10, 1, { shown: han(5), rest: "", chars: 5, cut: false }],
    ["mixed: CJK after a word on the same line", "Order 42 已发货，请查收", 16, 1, { shown: "Order 42 已发货", rest: "，请查收", chars: 12, cut: true }],
    ["a line break starts a line", "first\nsecond", 40, 1, { shown: "first", rest: "\nsecond", chars: 5, cut: true }],
    ["line breaks kept within the lines", "first\nsecond", 40, 2, { shown: "first\nsecond", rest: "", chars: 12, cut: false }],
    ["blank lines at the end are no cut", "abc\n\n", 10, 1, { shown: "abc", rest: "\n\n", chars: 3, cut: false }],
    ["an emoji is two columns", "👍🏽👍🏽👍🏽", 4, 1, { shown: "👍🏽", rest: "👍🏽👍🏽", chars: 1, cut: true }],
  ])("%s", (_, text, cols, lines, want) => {
    const got = fit(text, cols, lines);
    expect(got).toEqual({ ...want, total: graphemes(text).length });
    expect(got.shown + got.rest).toBe(text);
  });
});

describe("notification and cuts", () => {
  const msg = (title: string, body: string, image = false): Content => ({ title, body, image });
  it.each<[string, Platform, View, Content, Cut[]]>([
    ["short: nothing cut", "ios", "collapsed", msg("Hello", "A short body."), []],
    ["iOS: 4 body lines of 38", "ios", "collapsed", msg("Hello", x(152)), []],
    ["iOS: one more is cut, … on the last line", "ios", "collapsed", msg("Hello", x(153)), [{ kind: "body", chars: 151 }]],
    ["iOS: a thumbnail narrows the body's lines", "ios", "collapsed", msg("Hello", x(152), true), [{ kind: "body", chars: 4 * 31 - 1 }]],
    ["iOS: the thumbnail leaves the title's line", "ios", "collapsed", msg(x(33), "", true), []],
    ["iOS: a title of 34", "ios", "collapsed", msg(x(34), "", true), [{ kind: "title", chars: 32 }]],
    ["iOS has no expanded view", "ios", "expanded", msg("Hello", x(153)), [{ kind: "body", chars: 151 }]],
    ["iOS: a Chinese title of 20 characters is 40 columns", "ios", "collapsed", msg(han(20), ""), [{ kind: "title", chars: 16 }]],
    ["iOS: a Chinese title of 16 fits", "ios", "collapsed", msg(han(16), ""), []],
    ["Android collapsed: one line", "android", "collapsed", msg("Hello", x(50)), [{ kind: "bodyCollapsed", chars: 41, fullWhenExpanded: true }]],
    ["Android collapsed: too long even expanded", "android", "collapsed", msg("Hello", x(300)), [{ kind: "bodyCollapsed", chars: 41, fullWhenExpanded: false }]],
    ["Android expanded: 7 lines of 42", "android", "expanded", msg("Hello", x(294)), []],
    ["Android expanded: cut after that", "android", "expanded", msg("Hello", x(300)), [{ kind: "bodyExpanded", chars: 293 }]],
    ["Android expanded: the image goes below, lines stay wide", "android", "expanded", msg("Hello", x(294), true), []],
    ["Android collapsed: the large icon narrows the title too", "android", "collapsed", msg(x(38), "", true), [{ kind: "title", chars: 28 }]],
    ["HarmonyOS collapsed: Chinese body, 22 a line", "harmony", "collapsed", msg("标题", han(22)), []],
    ["HarmonyOS collapsed: one more", "harmony", "collapsed", msg("标题", han(23)), [{ kind: "bodyCollapsed", chars: 21, fullWhenExpanded: true }]],
    ["HarmonyOS: title and body both cut", "harmony", "expanded", msg(x(39), han(200)), [{ kind: "title", chars: 37 }, { kind: "bodyExpanded", chars: 153 }]],
  ])("%s", (_, p, view, content, want) => {
    expect(cuts(p, view, content)).toEqual(want);
  });

  it("puts the image beside the text, or below it when expanded", () => {
    expect(notification("ios", "collapsed", msg("a", "b", true))).toMatchObject({ thumbnail: true, bigPicture: false });
    expect(notification("ios", "expanded", msg("a", "b", true))).toMatchObject({ thumbnail: true, bigPicture: false });
    expect(notification("android", "collapsed", msg("a", "b", true))).toMatchObject({ thumbnail: true, bigPicture: false });
    expect(notification("harmony", "expanded", msg("a", "b", true))).toMatchObject({ thumbnail: false, bigPicture: true });
    expect(notification("android", "expanded", msg("a", "b"))).toMatchObject({ thumbnail: false, bigPicture: false });
  });

  it("shows a title on one line", () => {
    expect(notification("android", "expanded", msg("one\ntwo", "")).title).toMatchObject({ shown: "one two", cut: false });
  });

  it("knows which systems expand", () => {
    expect(Object.entries(LAYOUTS).map(([p, l]) => [p, l.expands])).toEqual([
      ["ios", false],
      ["android", true],
      ["harmony", true],
    ]);
    expect(viewOf("ios", "expanded")).toBe("collapsed");
    expect(viewOf("android", "expanded")).toBe("expanded");
  });
});

describe("extras", () => {
  it.each<[string, string | undefined]>([
    ["https://cdn.example.com/banner.png", "cdn.example.com"],
    ["  https://img.example.cn:8443/a.jpg?x=1 ", "img.example.cn"],
    ["https://", undefined],
    ["", undefined],
    ["not a url", undefined],
  ])("the image %j is from %j", (url, want) => {
    expect(imageHost(url)).toBe(want);
  });

  it.each<[string, number | undefined]>([
    ["3", 3],
    [" 7 ", 7],
    ["0", undefined],
    ["", undefined],
    ["-1", undefined],
    ["2.5", undefined],
    ["abc", undefined],
  ])("the badge %j shows %j", (s, want) => {
    expect(badgeOf(s)).toBe(want);
  });

  it.each<[Platform, number, string]>([
    ["ios", 5, "5"],
    ["ios", 120, "120"],
    ["harmony", 99, "99"],
    ["harmony", 120, "99+"],
  ])("%s writes the badge %i as %j", (p, n, want) => {
    expect(badgeText(p, n)).toBe(want);
  });
});
