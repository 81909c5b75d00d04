// Sending from any mode: local checks first (their errors go next to the
// fields), then the mutation; pushd's INVALID_ARGUMENT lands on the field
// it names as well as in the problem box; success opens the push's page.
import { useEffect, useState } from "react";
import { useNavigate } from "react-router-dom";
import { GraphQLError } from "../api";
import type { TypedDocumentString } from "../gql/graphql";
import { useMutation } from "../hooks";
import { namedError, type Built, type Errors } from "../lib/compose";

// build makes the push's input of the form as it is now. It runs at every
// render once sending was tried, so a field's error goes away as soon as
// the field is right.
export function useSender<R, I>(appID: string, doc: TypedDocumentString<R, { input: I }>, jobID: (r: R) => string, build: () => Built<I>) {
  const navigate = useNavigate();
  const [run, state, clear] = useMutation(doc);
  const [tried, setTried] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [sent, setSent] = useState<string>("");

  const built = tried ? build() : undefined;
  const local = built?.errors ?? {};
  // pushd's error marks its field while the form is what was sent.
  const unchanged = built?.input !== undefined && JSON.stringify(built.input) === sent;
  const server = unchanged && state.error instanceof GraphQLError && state.error.field ? { [state.error.field]: state.error.message } : {};

  // After a refused attempt, the first marked field gets the focus, so
  // keyboard users land on what to fix.
  useEffect(() => {
    if (attempt === 0) return;
    document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.focus();
  }, [attempt]);

  // check runs the local checks and says whether the form can go.
  function check(): I | undefined {
    setTried(true);
    const b = build();
    if (b.errors) {
      clear();
      setAttempt((a) => a + 1);
      return undefined;
    }
    return b.input;
  }

  async function send(input: I | undefined = check()): Promise<void> {
    if (input === undefined) return;
    setSent(JSON.stringify(input));
    const r = await run({ input });
    if (r) navigate(`/apps/${appID}/jobs/${jobID(r)}`);
    else setAttempt((a) => a + 1);
  }

  return {
    send,
    check,
    errors: { ...server, ...local } as Errors,
    localCount: Object.keys(local).length,
    running: state.running,
    // pushd's refusal is about what was sent: once the form changes, it
    // no longer stands (the field marks went with it above).
    error: unchanged ? namedError(state.error) : undefined,
  };
}
