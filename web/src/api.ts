// A small GraphQL client for the console: same-origin POST with the
// session cookie and the CSRF header pushd asks of cookie sessions. Queries
// are typed documents generated from the schema (src/gql, `npm run codegen`).
import type { TypedDocumentString } from "./gql/graphql";
import i18n from "./i18n";

export class GraphQLError extends Error {
  code: string;
  field?: string;
  constructor(message: string, code: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

// csrfFrom reads the CSRF token pushd sets beside the session cookie;
// every request on the session (the explorer's too) sends it back.
export function csrfFrom(cookie: string): string {
  const m = cookie.match(/(?:^|;\s*)pushd_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

// Plain words for the API's error codes (docs/api.md, Errors) live in the
// common texts under errors.<CODE>.
const known = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "INVALID_ARGUMENT",
  "CONFLICT",
  "RATE_LIMITED",
  "COMPLEXITY_LIMIT_EXCEEDED",
  "GRAPHQL_VALIDATION_FAILED",
  "INTERNAL",
]);

// Codes whose server message is meant for people (it names the field or the
// limit); the others get only their plain words. pushd writes its messages
// in English; the plain words before them are in the console's language.
const detailed = new Set(["INVALID_ARGUMENT", "CONFLICT", "GRAPHQL_VALIDATION_FAILED"]);

// explain turns any error from gql or a subscription into one sentence.
export function explain(e: unknown): string {
  if (e instanceof GraphQLError) {
    const base = i18n.t(known.has(e.code) ? (`errors.${e.code}` as "errors.INTERNAL") : "errors.other");
    return detailed.has(e.code) ? `${base} ${e.message}` : base;
  }
  return i18n.t("errors.unreachable");
}

export const SESSION_ENDED = "pushd:session-ended";

type Doc<R, V> = TypedDocumentString<R, V> | string;

// toError makes a GraphQLError of the first error in a GraphQL response.
export function toError(errors: { message: string; extensions?: { code?: string; field?: string } }[]): GraphQLError {
  const e = errors[0];
  return new GraphQLError(e.message, e.extensions?.code ?? "INTERNAL", e.extensions?.field);
}

export async function gql<R, V = Record<string, unknown>>(query: Doc<R, V>, variables?: V): Promise<R> {
  let res: Response;
  try {
    res = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Pushd-CSRF": csrfFrom(document.cookie) },
      body: JSON.stringify({ query: query.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new Error("network");
  }
  const body = await res.json().catch(() => ({ errors: [{ message: res.statusText, extensions: { code: "INTERNAL" } }] }));
  if (body.errors?.length) {
    const err = toError(body.errors);
    // A session that ended (expired, logged out elsewhere) sends every
    // page back to the login form, not to a "try again" that cannot work.
    if (err.code === "UNAUTHENTICATED") window.dispatchEvent(new Event(SESSION_ENDED));
    throw err;
  }
  return body.data as R;
}
