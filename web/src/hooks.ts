// React hooks over gql and the shared graphql-ws connection: every page
// loads, mutates and subscribes through these, so loading, error and
// reload behave the same everywhere.
import { useCallback, useEffect, useRef, useState } from "react";
import { gql } from "./api";
import type { TypedDocumentString } from "./gql/graphql";
import { onReconnect, subscribe } from "./live";

export type QueryState<R> = {
  data: R | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
};

// useQuery runs a query when the component mounts and again whenever the
// variables change (compared by value); a stale answer never overwrites a
// newer one.
export function useQuery<R, V>(doc: TypedDocumentString<R, V>, variables: V, opts: { skip?: boolean } = {}): QueryState<R> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data?: R; error?: unknown; loading: boolean }>({ loading: !opts.skip });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (opts.skip) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    gql(doc, JSON.parse(key) as V).then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [doc, key, tick, opts.skip]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export type MutationState = { running: boolean; error: unknown };

// useMutation returns a function that runs the mutation (it resolves to the
// data, or undefined when it failed: the error is in the state) and its state.
export function useMutation<R, V>(doc: TypedDocumentString<R, V>): [(variables: V) => Promise<R | undefined>, MutationState, () => void] {
  const [state, setState] = useState<MutationState>({ running: false, error: undefined });
  const run = useCallback(
    async (variables: V) => {
      setState({ running: true, error: undefined });
      try {
        const data = await gql(doc, variables);
        setState({ running: false, error: undefined });
        return data;
      } catch (error) {
        setState({ running: false, error });
        return undefined;
      }
    },
    [doc],
  );
  const clear = useCallback(() => setState({ running: false, error: undefined }), []);
  return [run, state, clear];
}

// useSubscription keeps a subscription open while the component is mounted
// (and the variables are the same); onData sees every result. When pushd
// ends it (a reader that fell behind) it subscribes again after a pause;
// onReconnect, if given, hears that frames may have been missed, so the
// page can reload what it shows.
export function useSubscription<R, V>(
  doc: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  opts: { skip?: boolean; onReconnect?: () => void } = {},
): unknown {
  const key = JSON.stringify(variables);
  const handler = useRef(onData);
  handler.current = onData;
  const reconnected = useRef(opts.onReconnect);
  reconnected.current = opts.onReconnect;
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (opts.skip) return;
    setError(undefined);
    let ended = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const stop = subscribe<R>(
      doc.toString(),
      JSON.parse(key),
      (d) => handler.current(d),
      (e) => !ended && setError(e),
      () => {
        if (ended) return;
        retry = setTimeout(() => {
          reconnected.current?.();
          setGeneration((g) => g + 1);
        }, 2000);
      },
    );
    const unlisten = onReconnect(() => reconnected.current?.());
    return () => {
      ended = true;
      clearTimeout(retry);
      unlisten();
      stop();
    };
  }, [doc, key, opts.skip, generation]);
  return error;
}
