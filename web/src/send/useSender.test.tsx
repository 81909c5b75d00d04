// @vitest-environment jsdom
import { act, cleanup, render } from "@testing-library/react";
import { useState } from "react";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GraphQLError } from "../api";
import type { TypedDocumentString } from "../gql/graphql";
import type { Built } from "../lib/compose";

// pushd refuses every push in this test.
vi.mock("../api", async (orig) => {
  const real = await orig<typeof import("../api")>();
  return { ...real, gql: () => Promise.reject(new real.GraphQLError("the title is too long", "INVALID_ARGUMENT", "message.title")) };
});

const { useSender } = await import("./useSender");
const doc = "mutation($input: X!) { x(input: $input) }" as unknown as TypedDocumentString<{ x: string }, { input: { title: string } }>;

type Seen = { error: unknown; errors: Record<string, string>; setTitle: (s: string) => void; send: () => Promise<void> };

function Probe({ seen }: { seen: Seen }) {
  const [title, setTitle] = useState("a very long title");
  const sender = useSender("app_1", doc, (r) => r.x, (): Built<{ title: string }> => ({ input: { title } }));
  Object.assign(seen, { error: sender.error, errors: sender.errors, setTitle, send: () => sender.send() });
  return null;
}

describe("useSender", () => {
  afterEach(cleanup);

  it("drops pushd's refusal once the form changes", async () => {
    const seen = {} as Seen;
    render(
      <MemoryRouter>
        <Probe seen={seen} />
      </MemoryRouter>,
    );
    await act(() => seen.send());
    expect(seen.error).toBeInstanceOf(GraphQLError);
    expect(seen.errors["message.title"]).toBe("the title is too long");
    act(() => seen.setTitle("short"));
    expect(seen.error).toBeUndefined();
    expect(seen.errors).toEqual({});
  });
});
