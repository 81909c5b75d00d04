// The GraphQL explorer: GraphiQL, bundled (no CDN, so it runs under the
// console's CSP), on the console session. pushd usually has introspection
// off, so the schema comes with the console (web/schema.graphql, the one the
// console's own queries are typed against): docs and completion work anyway.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css"; // without its embedded fonts: see vite.config.ts
import { buildSchema } from "graphql";
import { useEffect, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import sdl from "../../schema.graphql?raw";
import { csrfFrom } from "../api";
import { ws } from "../live";
import "./explorer.css";

const schema = buildSchema(sdl);

// The CSRF token is read at every request, not once, so a new login in
// another tab does not leave the explorer with a stale one.
const fetcher = createGraphiQLFetcher({
  url: "/graphql",
  enableIncrementalDelivery: false,
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("X-Pushd-CSRF", csrfFrom(document.cookie));
    return fetch(input, { ...init, headers, credentials: "same-origin" });
  },
  // Subscriptions share the console's one graphql-ws connection (same
  // origin, the session cookie authenticates it, retried for ever).
  wsClient: ws(),
});

// A new tab's query, under a comment (explorer:intro) in the console's
// language; the query itself is code and stays as it is.
const EXAMPLE_QUERY = `{
  viewer {
    account {
      email
    }
  }
  apps(first: 10) {
    totalCount
    edges {
      node {
        id
        name
      }
    }
  }
}
`;

// GraphiQL keeps tabs, variables and history in localStorage by default:
// typed passwords (createAccount, login) and vendor credentials would
// outlive the session. This console keeps them for the tab's life only, in
// sessionStorage (gone when the tab closes), under GraphiQL's own keys.
const tabStorage = {
  getItem: (key: string) => sessionStorage.getItem("graphiql:" + key),
  setItem: (key: string, value: string) => sessionStorage.setItem("graphiql:" + key, value),
  removeItem: (key: string) => sessionStorage.removeItem("graphiql:" + key),
  clear: () => {
    for (const k of Object.keys(sessionStorage)) if (k.startsWith("graphiql:")) sessionStorage.removeItem(k);
  },
  get length() {
    return Object.keys(sessionStorage).filter((k) => k.startsWith("graphiql:")).length;
  },
};

// GraphiQL's editors are CodeMirror instances whose text is typed into a
// hidden textarea that GraphiQL leaves unnamed: screen readers would say
// only "edit text". They appear after GraphiQL loads CodeMirror, and again
// when a tab opens, so they are named whenever they show up.
function useEditorNames(box: RefObject<HTMLDivElement | null>, names: [selector: string, name: string][]) {
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const name = () => {
      for (const [selector, label] of names) {
        for (const ta of el.querySelectorAll<HTMLTextAreaElement>(`${selector} .CodeMirror textarea`)) {
          if (ta.getAttribute("aria-label") !== label) ta.setAttribute("aria-label", label);
        }
      }
    };
    name();
    const seen = new MutationObserver(name);
    seen.observe(el, { childList: true, subtree: true });
    return () => seen.disconnect();
  }, [box, names]);
}

export default function Explorer() {
  const { t } = useTranslation("explorer");
  const [params] = useSearchParams();
  const box = useRef<HTMLDivElement>(null);
  const [names] = useState<[string, string][]>(() => [
    [".graphiql-query-editor", t("editors.query")],
    [".graphiql-editor-tool", t("editors.variables")],
    [".graphiql-response", t("editors.response")],
  ]);
  useEditorNames(box, names);
  // ?query= opens the explorer on a query (links from other pages, shared
  // URLs); a mutation from a link is shown, never run, until the user runs it.
  // Read once: the prop would otherwise overwrite the editor on every render.
  const [initial] = useState(() => params.get("query") ?? undefined);
  return (
    <div className="explorer" ref={box}>
      <h1 className="visually-hidden">{t("title")}</h1>
      <GraphiQL
        fetcher={fetcher}
        storage={tabStorage}
        schema={schema}
        query={initial}
        defaultQuery={`${t("intro")}\n\n${EXAMPLE_QUERY}`}
        forcedTheme="system"
        isHeadersEditorEnabled={false}
      >
        <GraphiQL.Logo>pushd</GraphiQL.Logo>
      </GraphiQL>
    </div>
  );
}
