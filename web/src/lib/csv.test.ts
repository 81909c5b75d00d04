import { describe, expect, it } from "vitest";
import { BOM, cell, csv, csvFileName, type Cell } from "./csv";

describe("cell", () => {
  it.each<[string, Cell, string]>([
    ["plain text as it is", "iOS", "iOS"],
    ["Chinese as it is", "华为通道", "华为通道"],
    ["empty for null", null, ""],
    ["empty for undefined", undefined, ""],
    ["a number as it is", 1234, "1234"],
    ["a negative number stays a number", -5, "-5"],
    ["a fraction as it is", 0.125, "0.125"],
    ["no NaN or Infinity", Number.NaN, ""],
    ["a comma quoted", "a,b", '"a,b"'],
    ["a quote doubled and quoted", 'say "hi"', '"say ""hi"""'],
    ["a newline quoted", "two\nlines", '"two\nlines"'],
    ["a CRLF quoted", "two\r\nlines", '"two\r\nlines"'],
    ["a formula with = defused", "=1+2", "'=1+2"],
    ["a formula with + defused", "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["a formula with - defused", "-2+3", "'-2+3"],
    ["a formula with @ defused", "@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["a leading tab defused", "\t=1", "'\t=1"],
    ["defused and quoted", '=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["a sign inside is harmless", "a=b", "a=b"],
    ["an empty string empty", "", ""],
  ])("%s", (_, value, want) => {
    expect(cell(value)).toBe(want);
  });
});

describe("csv", () => {
  it("starts with a BOM and ends every row with CRLF", () => {
    const text = csv([
      ["分组", "Sent"],
      ["iOS", 3],
      ["a,b", null],
    ]);
    expect(text.startsWith(BOM)).toBe(true);
    expect(text).toBe('\uFEFF分组,Sent\r\niOS,3\r\n"a,b",\r\n');
  });

  it("keeps line breaks inside a quoted cell", () => {
    expect(csv([["x\ny", 1]])).toBe('\uFEFF"x\ny",1\r\n');
  });
});

describe("csvFileName", () => {
  it.each([
    ["analytics-by-platform", "analytics-by-platform.csv"],
    ["push comparison 2026/12/01", "push-comparison-2026-12-01.csv"],
    ["../../etc/passwd", "etc-passwd.csv"],
    ["推送", "export.csv"],
  ])("%s → %s", (name, want) => {
    expect(csvFileName(name)).toBe(want);
  });
});
