// A small GraphQL client for the console: same-origin POST with the
// session cookie and the CSRF header pushd asks of cookie sessions.

export class GraphQLError extends Error {
  code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

function csrfToken(): string {
  const m = document.cookie.match(/(?:^|;\s*)pushd_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

// Plain words for the error codes of design §4.
const words: Record<string, string> = {
  UNAUTHENTICATED: "Please log in again.",
  FORBIDDEN: "You are not allowed to do that.",
  NOT_FOUND: "It does not exist (or you cannot see it).",
  INVALID_ARGUMENT: "Something in the form is not right.",
  CONFLICT: "That clashes with something that exists.",
  RATE_LIMITED: "Too many tries; wait a moment.",
  INTERNAL: "pushd had a problem; try again.",
};

export function explain(e: unknown): string {
  if (e instanceof GraphQLError) {
    const base = words[e.code] ?? "Something went wrong.";
    return e.code === "INVALID_ARGUMENT" ? `${base} ${e.message}` : base;
  }
  return "pushd cannot be reached.";
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Pushd-CSRF": csrfToken() },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new GraphQLError(e.message, e.extensions?.code ?? "INTERNAL");
  }
  return body.data as T;
}
