// untranslated finds text in the console's JSX that bypasses i18next:
// English words written straight into elements or into the attributes
// people read (label, title, placeholder…). Run it on files to see what is
// left: node scripts/untranslated.mjs src/pages/Jobs.tsx …
// src/i18n.test.ts runs it over every page and component.
import { readFileSync } from "node:fs";
import { parse } from "@babel/parser";

// Attributes whose value people read, on elements and on the console's own
// components (Field's label and hint, Confirm's title and buttons…).
const READ = new Set([
  "label",
  "title",
  "placeholder",
  "aria-label",
  "aria-description",
  "alt",
  "hint",
  "what",
  "confirm",
  "dismiss",
  "submit",
  "empty",
  "summary",
]);

// Names that are the same in every language: products, protocols, units.
const PROPER =
  /\b(pushd|APNs|FCM|HMS|Huawei|Xiaomi|WebSocket|GraphQL|GraphiQL|HarmonyOS|iOS|Android|WEB|JSON|CSV|ID|IDs|URL|HTTPS?|HMAC|SHA-256|UTC|cron|ms|s|min|h|d|KB|MB|p12|p8|OK|PEM|JWT|UUID|TTL|SDK|API)\b/g;

const hasWords = (text) => /[A-Za-z]{2,}/.test(text.replace(PROPER, ""));

// Elements whose text is code or data, not prose.
const VERBATIM = new Set(["code", "pre", "kbd", "samp", "option"]);

function elementName(node) {
  const n = node.openingElement?.name;
  return n?.type === "JSXIdentifier" ? n.name : "";
}

export function untranslated(source, file = "input.tsx") {
  const ast = parse(source, { sourceType: "module", plugins: ["jsx", "typescript"], sourceFilename: file });
  const found = [];
  const add = (node, text) => found.push({ file, line: node.loc.start.line, text: text.trim().replace(/\s+/g, " ") });
  const text = (e) => (e.type === "StringLiteral" ? e.value : e.type === "TemplateLiteral" ? e.quasis.map((q) => q.value.cooked).join(" ") : "");
  const walk = (node, verbatim) => {
    if (!node || typeof node.type !== "string") return;
    if (node.type === "JSXElement") verbatim = verbatim || VERBATIM.has(elementName(node));
    if (!verbatim && (node.type === "JSXElement" || node.type === "JSXFragment")) {
      for (const c of node.children) {
        if (c.type === "JSXText" && hasWords(c.value)) add(c, c.value);
        if (c.type === "JSXExpressionContainer" && hasWords(text(c.expression))) add(c, text(c.expression));
      }
    }
    if (!verbatim && node.type === "JSXAttribute" && node.name.type === "JSXIdentifier" && READ.has(node.name.name)) {
      const v = node.value?.type === "JSXExpressionContainer" ? node.value.expression : node.value;
      if (v && hasWords(text(v))) add(node, text(v));
    }
    for (const key of Object.keys(node)) {
      if (key === "loc" || key === "start" || key === "end") continue;
      const child = node[key];
      if (Array.isArray(child)) child.forEach((c) => walk(c, verbatim));
      else if (child && typeof child === "object") walk(child, verbatim);
    }
  };
  walk(ast.program, false);
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let left = 0;
  for (const file of process.argv.slice(2)) {
    for (const f of untranslated(readFileSync(file, "utf8"), file)) {
      left++;
      console.log(`${f.file}:${f.line}: ${f.text}`);
    }
  }
  console.log(left === 0 ? "no untranslated text" : `${left} untranslated`);
  process.exit(left === 0 ? 0 : 1);
}
