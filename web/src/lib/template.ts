// Template placeholders as pushd renders them (push/template.go), so the
// composer's preview shows exactly what will be sent.
//
// Placeholders are written {{name}} with optional spaces inside the braces;
// a name is a letter or underscore, then letters, digits, '_', '.' or '-'
// (at most 64). Anything else between braces is literal text, so "{{ }}" or
// "{{1}}" render as written.

// Go's strings.TrimSpace trims unicode.IsSpace; JavaScript's trim() also
// trims U+FEFF, which would make "{{\uFEFFa}}" a placeholder here and
// literal text in pushd.
const goSpace = /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$/g;
const trimSpace = (s: string) => s.replace(goSpace, "");

export function validVarName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(s);
}

// A template string cut into literal text and placeholders; raw keeps the
// placeholder as written ("{{ name }}").
export type Segment = { text: string } | { name: string; raw: string };

export function segments(s: string): Segment[] {
  const out: Segment[] = [];
  let lit = "";
  let rest = s;
  for (;;) {
    const i = rest.indexOf("{{");
    if (i < 0) break;
    const j = rest.indexOf("}}", i + 2);
    if (j < 0) break;
    const inner = trimSpace(rest.slice(i + 2, j));
    if (!validVarName(inner)) {
      // Not a placeholder: its "{{" is text, and scanning goes on right
      // after it (so "{{{x}}}" has no placeholder, as in pushd).
      lit += rest.slice(0, i + 2);
      rest = rest.slice(i + 2);
      continue;
    }
    lit += rest.slice(0, i);
    if (lit) out.push({ text: lit });
    lit = "";
    out.push({ name: inner, raw: rest.slice(i, j + 2) });
    rest = rest.slice(j + 2);
  }
  lit += rest;
  if (lit) out.push({ text: lit });
  return out;
}

// placeholders returns the distinct placeholder names in s, in order of
// first appearance.
export function placeholders(s: string): string[] {
  const names: string[] = [];
  for (const seg of segments(s)) {
    if ("name" in seg && !names.includes(seg.name)) names.push(seg.name);
  }
  return names;
}

// render replaces every placeholder in s with its value from vars. It
// reports the names that have no value; s is returned unchanged then.
// Values are inserted once, never expanded again.
export function render(s: string, vars: Record<string, string> = {}): { text: string; missing: string[] } {
  let text = "";
  const missing: string[] = [];
  for (const seg of segments(s)) {
    if ("text" in seg) {
      text += seg.text;
    } else if (Object.hasOwn(vars, seg.name)) {
      text += vars[seg.name];
    } else if (!missing.includes(seg.name)) {
      missing.push(seg.name);
    }
  }
  return missing.length ? { text: s, missing } : { text, missing };
}

// fill replaces the placeholders that have a value and keeps the others as
// written: the template editor's preview shows what a push must still give.
export function fill(s: string, vars: Record<string, string>): string {
  return segments(s)
    .map((seg) => ("text" in seg ? seg.text : Object.hasOwn(vars, seg.name) ? vars[seg.name] : seg.raw))
    .join("");
}

export type TemplateLike = { title: string; body: string; variables?: string[] | null; defaults?: Record<string, unknown> | null };

// variablesOf is a template's variable list: the declared ones, or those its
// placeholders use (pushd stores the derived list, but older templates may
// have none).
export function variablesOf(t: TemplateLike): string[] {
  if (t.variables?.length) return t.variables;
  const names = placeholders(t.title);
  for (const n of placeholders(t.body)) if (!names.includes(n)) names.push(n);
  return names;
}

// defaultsOf keeps the string defaults (pushd accepts no others).
export function defaultsOf(t: TemplateLike): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.defaults ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}

// renderTemplate renders title and body as pushd's renderTemplate does:
// given values first, the template's defaults for the rest; missing lists
// every name without either, title's first.
export function renderTemplate(t: TemplateLike, vars: Record<string, string>): { title: string; body: string; missing: string[] } {
  const all = { ...defaultsOf(t), ...vars };
  const title = render(t.title, all);
  const body = render(t.body, all);
  const missing = [...title.missing];
  for (const m of body.missing) if (!missing.includes(m)) missing.push(m);
  return { title: title.text, body: body.text, missing };
}
