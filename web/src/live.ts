import { createClient, type Client } from "graphql-ws";
import { GraphQLError, toError } from "./api";

// One graphql-transport-ws connection for the whole console, opened on
// first use; the session cookie authenticates it (same origin). It retries
// for as long as the page is open (a pushd restart, a laptop waking up):
// a live page must not freeze while it still says "live".
let client: Client | null = null;
const reconnectListeners = new Set<() => void>();

// pushd closes a socket whose credentials stopped working with 4403.
const UNAUTHORIZED = 4403;

// ws is the console's one connection (the explorer uses it too).
export function ws(): Client {
  if (!client) {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    let connectedBefore = false;
    client = createClient({
      url: `${proto}//${location.host}/graphql`,
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: (e) => !(e instanceof CloseEvent && e.code === UNAUTHORIZED),
      retryWait: async (retries) => new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** retries) * (0.5 + Math.random() / 2))),
      on: {
        connected: () => {
          // Frames missed while away are not replayed: pages reload what
          // they show (see onReconnect).
          if (connectedBefore) for (const l of reconnectListeners) l();
          connectedBefore = true;
        },
      },
    });
  }
  return client;
}

// onReconnect calls listener each time the connection comes back after a
// drop; it returns the function that stops listening.
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

// subscribe runs a subscription and calls onData with each result's data;
// it returns the function that stops it. Errors reach onError as a
// GraphQLError when pushd sent one, so explain() words them; onComplete
// hears pushd ending the subscription (a reader that fell behind).
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onError: (err: unknown) => void,
  onComplete: () => void = () => {},
): () => void {
  return ws().subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors?.length) onError(toError(r.errors as never));
        else if (r.data) onData(r.data as T);
      },
      error: (e) => {
        if (Array.isArray(e)) onError(toError(e));
        else if (e instanceof CloseEvent && e.code === UNAUTHORIZED) onError(new GraphQLError("session ended", "UNAUTHENTICATED"));
        else onError(e);
      },
      complete: onComplete,
    },
  );
}
