import { createClient, type Client } from "graphql-ws";
import { toError } from "./api";

// One graphql-transport-ws connection for the whole console, opened on
// first use; the session cookie authenticates it (same origin).
let client: Client | null = null;

function ws(): Client {
  if (!client) {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    client = createClient({ url: `${proto}//${location.host}/graphql`, lazy: true, retryAttempts: 5 });
  }
  return client;
}

// subscribe runs a subscription and calls onData with each result's data;
// it returns the function that stops it. Errors reach onError as a
// GraphQLError when pushd sent one, so explain() words them.
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onError: (err: unknown) => void,
): () => void {
  return ws().subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors?.length) onError(toError(r.errors as never));
        else if (r.data) onData(r.data as T);
      },
      error: (e) => onError(Array.isArray(e) ? toError(e) : e),
      complete: () => {},
    },
  );
}
