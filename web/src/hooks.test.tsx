// @vitest-environment jsdom
import { act, cleanup, render } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TypedDocumentString } from "./gql/graphql";

// The shared graphql-ws connection is replaced by a recorder: each
// subscribe call keeps its callbacks, so a test can play pushd's part.
type Sub = { onData: (d: unknown) => void; onError: (e: unknown) => void; onComplete: () => void; stopped: boolean };
const subs: Sub[] = [];
const reconnectListeners = new Set<() => void>();
vi.mock("./live", () => ({
  subscribe: (_q: string, _v: unknown, onData: Sub["onData"], onError: Sub["onError"], onComplete: Sub["onComplete"]) => {
    const s: Sub = { onData, onError, onComplete, stopped: false };
    subs.push(s);
    return () => {
      s.stopped = true;
    };
  },
  onReconnect: (l: () => void) => {
    reconnectListeners.add(l);
    return () => reconnectListeners.delete(l);
  },
}));

const { useSubscription } = await import("./hooks");
const doc = "subscription { x }" as unknown as TypedDocumentString<{ x: number }, Record<string, never>>;

function Probe({ seen, reconnected }: { seen: number[]; reconnected: () => void }) {
  useSubscription(doc, {}, (d) => seen.push(d.x), { onReconnect: reconnected });
  return null;
}

describe("useSubscription", () => {
  beforeEach(() => {
    subs.length = 0;
    reconnectListeners.clear();
    vi.useFakeTimers();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it("subscribes again when pushd ends the subscription, and says frames may be missing", () => {
    const seen: number[] = [];
    const reconnected = vi.fn();
    render(<Probe seen={seen} reconnected={reconnected} />);
    expect(subs).toHaveLength(1);
    act(() => subs[0].onData({ x: 1 }));
    act(() => subs[0].onComplete()); // a reader that fell behind is dropped
    expect(subs).toHaveLength(1);
    act(() => vi.advanceTimersByTime(2000));
    expect(subs).toHaveLength(2);
    expect(subs[0].stopped).toBe(true);
    expect(reconnected).toHaveBeenCalledTimes(1);
    act(() => subs[1].onData({ x: 2 }));
    expect(seen).toEqual([1, 2]);
  });

  it("hears the connection coming back", () => {
    const reconnected = vi.fn();
    render(<Probe seen={[]} reconnected={reconnected} />);
    act(() => reconnectListeners.forEach((l) => l()));
    expect(reconnected).toHaveBeenCalledTimes(1);
  });

  it("stops on unmount and does not come back", () => {
    const { unmount } = render(<Probe seen={[]} reconnected={() => {}} />);
    unmount();
    expect(subs[0].stopped).toBe(true);
    act(() => subs[0].onComplete());
    act(() => vi.advanceTimersByTime(5000));
    expect(subs).toHaveLength(1);
    expect(reconnectListeners.size).toBe(0);
  });
});
