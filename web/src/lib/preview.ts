// How much of a notification each phone system shows, so the composer can
// warn before a push goes out that its title or body will be cut.
//
// The systems lay text out in points with proportional fonts, which a
// browser cannot know for a given phone; this is an approximation in
// columns instead, for a phone of average width (a 390 pt iPhone, a 412 dp
// Android phone, a 360 vp HarmonyOS phone) at the default text size:
//   - a Latin letter, digit or space is one column, a CJK character, a
//     full-width punctuation mark or an emoji two (they are about twice as
//     wide), a combining mark or a joiner none;
//   - a body line holds the text width over half the font size: about
//     38 columns on iOS (286 pt at 15 pt, 19 Chinese characters), 42 on
//     Android (292 dp at 14 sp) and 44 on HarmonyOS (312 vp at 14 fp); the
//     title, in a heavier face (and beside the time on iOS), a few less;
//   - a thumbnail beside the text takes 7 to 9 columns off each line
//     beside it (on iOS the title's line keeps its width);
//   - lines break at spaces and around CJK characters; a word longer than
//     a line breaks anywhere; a line break in the text starts a new line;
//   - where text is cut, the last line keeps one column for the "…".
// So "cut after about N characters" is a count, not a promise: a
// larger text size or a narrower phone shows less.

export type Platform = "ios" | "android" | "harmony";
export const PLATFORMS: readonly Platform[] = ["ios", "android", "harmony"];

// Android and HarmonyOS show a notification collapsed in the shade and let
// it be expanded; iOS shows one view on the lock screen.
export type View = "collapsed" | "expanded";

export type Layout = {
  title: number; // columns of the title's one line
  body: number; // columns of each body line
  lines: Record<View, number>; // body lines shown
  thumb: number; // columns a thumbnail beside the text takes off each line
  thumbByTitle: boolean; // the thumbnail is beside the title too
  expands: boolean; // has an expanded view (where the image is a big picture below the text)
};

export const LAYOUTS: Record<Platform, Layout> = {
  // Title and "now" share the first line, the thumbnail is beside the
  // body; the body wraps to 4 lines.
  ios: { title: 33, body: 38, lines: { collapsed: 4, expanded: 4 }, thumb: 7, thumbByTitle: false, expands: false },
  // Material notification: one line of text collapsed; BigTextStyle
  // shows about 7 when expanded; the large icon is beside both.
  android: { title: 38, body: 42, lines: { collapsed: 1, expanded: 7 }, thumb: 9, thumbByTitle: true, expands: true },
  // HarmonyOS cards have the icon in the header, so the text is wider.
  harmony: { title: 38, body: 44, lines: { collapsed: 1, expanded: 7 }, thumb: 9, thumbByTitle: true, expands: true },
};

// viewOf is the view a platform really has: iOS has only one.
export const viewOf = (p: Platform, v: View): View => (LAYOUTS[p].expands ? v : "collapsed");

// ---------------------------------------------------------------- columns

type SegmenterLike = { segment(s: string): Iterable<{ segment: string }> };
const segmenter: SegmenterLike | undefined = (() => {
  const Seg = (Intl as unknown as { Segmenter?: new (l?: string, o?: { granularity: string }) => SegmenterLike }).Segmenter;
  return Seg ? new Seg(undefined, { granularity: "grapheme" }) : undefined;
})();

// graphemes splits text into what a reader counts as characters: an emoji
// with its modifiers, or a letter with its accents, is one.
export function graphemes(s: string): string[] {
  if (!segmenter) return Array.from(s);
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

const WIDE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u2E80-\u303F\u3200-\u33FF\uFE30-\uFE4F\uFF01-\uFF60\uFFE0-\uFFE6]/u;
// Half-width katakana and Hangul are Katakana and Hangul but narrow.
const NARROW = /^[\uFF61-\uFFDC\uFFE8-\uFFEE]/u;
const EMOJI = /\p{Emoji_Presentation}|\uFE0F/u;
const ZERO = /^[\p{M}\p{Cf}\p{Cc}]+$/u;

// wide is a character that breaks a line on either side of it (CJK).
const wide = (g: string) => WIDE.test(g) && !NARROW.test(g);

// width is one character's columns.
export function width(g: string): number {
  if (ZERO.test(g)) return 0;
  return wide(g) || EMOJI.test(g) ? 2 : 1;
}

// columns is the width of a text on one line.
export function columns(s: string): number {
  return graphemes(s).reduce((n, g) => n + width(g), 0);
}

// ---------------------------------------------------------------- lines

const isNewline = (g: string) => g === "\n" || g === "\r\n" || g === "\r" || g === "\u2028" || g === "\u2029";
const isSpace = (g: string) => !isNewline(g) && /^\s+$/u.test(g);

type Line = { start: number; end: number; cols: number };

// layout breaks characters into lines of at most cols columns. A space
// where a line breaks is not on either line.
function layout(gs: string[], cols: number): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let used = 0;
  const breakAt = (end: number, next: number) => {
    lines.push({ start, end, cols: used });
    start = next;
    used = 0;
  };
  let i = 0;
  while (i < gs.length) {
    const g = gs[i];
    if (isNewline(g) || (isSpace(g) && used + 1 > cols)) {
      breakAt(i, i + 1);
      i++;
      continue;
    }
    if (isSpace(g)) {
      used += 1;
      i++;
      continue;
    }
    // A word: a CJK character alone, else a run of letters up to a space.
    let j = i + 1;
    let w = width(g);
    if (!wide(g)) {
      for (; j < gs.length && !isSpace(gs[j]) && !isNewline(gs[j]) && !wide(gs[j]); j++) w += width(gs[j]);
    }
    if (used + w <= cols) {
      used += w;
      i = j;
    } else if (used > 0 && w <= cols) {
      breakAt(i, i);
    } else {
      // Longer than a line: as many characters as fit, on as many lines.
      for (; i < j; i++) {
        const gw = width(gs[i]);
        if (used > 0 && used + gw > cols) breakAt(i, i);
        used += gw;
      }
    }
  }
  lines.push({ start, end: gs.length, cols: used });
  return lines;
}

// Fit is how a text shows in a number of lines: shown and rest are the
// text's beginning and the remainder a reader does not see (rest starts
// with the space or line break where it was cut, if any).
export type Fit = { shown: string; rest: string; chars: number; total: number; cut: boolean };

// fit lays text out in lines of cols columns and keeps the first lines;
// what is left is cut, with room for an ellipsis at the end.
export function fit(text: string, cols: number, lines: number): Fit {
  const gs = graphemes(text);
  const all = layout(gs, cols);
  const last = all[Math.max(0, Math.min(lines, all.length) - 1)];
  let end = lines > 0 ? last.end : 0;
  const cut = gs.slice(end).join("").trim() !== "";
  if (cut && lines > 0) {
    for (let used = last.cols; end > last.start && used + 1 > cols; ) used -= width(gs[--end]);
    // The reader sees "word…", not "word …": a space before the cut is cut too.
    while (end > 0 && isSpace(gs[end - 1])) end--;
  }
  return { shown: gs.slice(0, end).join(""), rest: gs.slice(end).join(""), chars: end, total: gs.length, cut };
}

// ---------------------------------------------------------------- notifications

export type Content = { title: string; body: string; image: boolean };
export type Shown = { title: Fit; body: Fit; thumbnail: boolean; bigPicture: boolean };

// notification is what a platform shows of a message in a view: title and
// body as they fit, and where the image goes (beside the text, or below
// it when expanded).
export function notification(p: Platform, view: View, c: Content): Shown {
  const l = LAYOUTS[p];
  const v = viewOf(p, view);
  const bigPicture = c.image && l.expands && v === "expanded";
  const thumbnail = c.image && !bigPicture;
  const less = thumbnail ? l.thumb : 0;
  return {
    title: fit(c.title.replace(/\s*[\r\n]+\s*/g, " "), l.title - (l.thumbByTitle ? less : 0), 1),
    body: fit(c.body, l.body - less, l.lines[v]),
    thumbnail,
    bigPicture,
  };
}

// A Cut is one warning: which text is cut in which view, after how many
// characters. bodyCollapsed says whether expanding shows the whole body.
export type Cut =
  | { kind: "title" | "body" | "bodyExpanded"; chars: number }
  | { kind: "bodyCollapsed"; chars: number; fullWhenExpanded: boolean };

// cuts lists what a platform cuts of a message in a view, title first.
export function cuts(p: Platform, view: View, c: Content): Cut[] {
  const v = viewOf(p, view);
  const s = notification(p, v, c);
  const out: Cut[] = [];
  if (s.title.cut) out.push({ kind: "title", chars: s.title.chars });
  if (s.body.cut) {
    if (!LAYOUTS[p].expands) out.push({ kind: "body", chars: s.body.chars });
    else if (v === "expanded") out.push({ kind: "bodyExpanded", chars: s.body.chars });
    else out.push({ kind: "bodyCollapsed", chars: s.body.chars, fullWhenExpanded: !notification(p, "expanded", c).body.cut });
  }
  return out;
}

// ---------------------------------------------------------------- extras

// imageHost is the host an image URL names, for the tile that stands in
// for the image (the console loads no image from elsewhere); none for a
// URL that does not parse or has no host (the box's "https://").
export function imageHost(url: string): string | undefined {
  try {
    return new URL(url.trim()).hostname || undefined;
  } catch {
    return undefined;
  }
}

// badgeOf is the number the app icon shows: the form's whole number above
// 0 (0 clears the badge; anything else is an error the form reports).
export function badgeOf(s: string): number | undefined {
  if (!/^\s*\d+\s*$/.test(s)) return undefined;
  const n = Number(s);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

// badgeText is the badge as the platform writes it: HarmonyOS stops at
// 99+, iOS writes the number.
export function badgeText(p: Platform, n: number): string {
  return p === "harmony" && n > 99 ? "99+" : String(n);
}
