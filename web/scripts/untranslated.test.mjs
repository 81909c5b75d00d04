import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { untranslated } from "./untranslated.mjs";

// Every page and component says what it says through i18next.
const dirs = ["src", "src/pages", "src/send", "src/components", "src/chart"];
const files = dirs.flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith(".tsx") && !f.endsWith(".test.tsx"))
    .map((f) => join(d, f)),
);

describe("no text outside the locale files", () => {
  it.each(files)("%s", (file) => {
    expect(untranslated(readFileSync(file, "utf8"), file)).toEqual([]);
  });

  it.each([
    ["<p>Hello there</p>", 1],
    ['<input placeholder="Search pushes" />', 1],
    ["<p>{t('x')}</p>", 0],
    ["<code>curl -X POST</code>", 0],
    ['<div className={`badge ${x}`} />', 0],
    ["<p>APNs · FCM</p>", 0],
    ["<p>{`${n} devices`}</p>", 1],
  ])("the check sees %s", (src, want) => {
    expect(untranslated(`const x = ${src};`)).toHaveLength(want);
  });
});
