import { describe, expect, it } from "vitest";
import i18n, { supported } from "./i18n";
import { en, zhCN } from "./locales";

// keys lists a namespace's keys with plural suffixes folded: English has
// "_one" and "_other" where Chinese has only "_other".
function keys(tree: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(tree)
    .flatMap(([k, v]) => (v && typeof v === "object" ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]))
    .map((k) => k.replace(/_(zero|one|two|few|many|other)$/, ""))
    .filter((k, i, all) => all.indexOf(k) === i)
    .sort();
}

function values(tree: Record<string, unknown>): string[] {
  return Object.values(tree).flatMap((v) => (v && typeof v === "object" ? values(v as Record<string, unknown>) : [String(v)]));
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe("the console's languages", () => {
  it.each(Object.keys(en))("zh-CN has every English text of %s, and no other", (ns) => {
    const name = ns as keyof typeof en;
    expect(keys(zhCN[name])).toEqual(keys(en[name] as Record<string, unknown>));
  });

  // The forms of one plural together: English "_one" may leave the number
  // out ("online now") where "_other" has it.
  it.each(Object.keys(en))("the Chinese texts of %s use the same placeholders", (ns) => {
    const name = ns as keyof typeof en;
    const used = (tree: Record<string, unknown>, prefix = "", out = new Map<string, Set<string>>()) => {
      for (const [k, v] of Object.entries(tree)) {
        if (v && typeof v === "object") used(v as Record<string, unknown>, `${prefix}${k}.`, out);
        else {
          const key = `${prefix}${k}`.replace(/_(zero|one|two|few|many|other)$/, "");
          const set = out.get(key) ?? new Set<string>();
          placeholders(String(v)).forEach((p) => set.add(p));
          out.set(key, set);
        }
      }
      return out;
    };
    const zh = used(zhCN[name]);
    for (const [key, want] of used(en[name] as Record<string, unknown>)) {
      expect({ key, placeholders: [...(zh.get(key) ?? [])].sort() }).toEqual({ key, placeholders: [...want].sort() });
    }
  });

  it("no Chinese text is empty", () => {
    for (const ns of Object.keys(en) as (keyof typeof en)[]) {
      for (const text of values(zhCN[ns])) expect(text.trim(), ns).not.toBe("");
    }
  });

  it.each([
    ["zh", "zh-CN"],
    ["zh-CN", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["en-US", "en"],
    ["fr", "en"],
    [undefined, "en"],
  ])("a browser in %s gets %s", (tag, want) => {
    expect(supported(tag)).toBe(want);
  });

  it("speaks English where there is no browser", () => {
    expect(i18n.resolvedLanguage).toBe("en");
  });
});
