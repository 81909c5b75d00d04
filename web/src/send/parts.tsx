// Small pieces of the composer's forms.
import { useEffect, useState, type ReactNode } from "react";
import type { Errors, OptionsForm } from "../lib/compose";
import { ErrorsContext } from "./fields";

// SendForm is a mode's form: every field in it sees the sender's errors,
// and submitting it sends, or runs onSubmit where the mode does more first
// (tidies its rows, asks for a confirmation).
export function SendForm({
  sender,
  label,
  className = "grid-2 send-form",
  onSubmit,
  children,
}: {
  sender: { errors: Errors; send: () => Promise<void> };
  label: string;
  className?: string;
  onSubmit?: () => void;
  children: ReactNode;
}) {
  return (
    <ErrorsContext.Provider value={sender.errors}>
      <form
        className={className}
        onSubmit={(e) => {
          e.preventDefault();
          if (onSubmit) onSubmit();
          else void sender.send();
        }}
        aria-label={label}
        noValidate
      >
        {children}
      </form>
    </ErrorsContext.Provider>
  );
}

export function sendLabel(o: OptionsForm): string {
  return o.when === "at" ? "Schedule push" : o.when === "repeat" ? "Start schedule" : "Send push";
}

export function SendButton({ sender, options, label }: { sender: { running: boolean; localCount: number }; options: OptionsForm; label?: string }) {
  return (
    <div className="actions send-actions">
      <button type="submit" disabled={sender.running}>
        {sender.running ? "Sending…" : label ?? sendLabel(options)}
      </button>
      {sender.localCount > 0 && (
        <p role="alert" className="error">
          {sender.localCount === 1 ? "One field needs fixing" : `${sender.localCount} fields need fixing`}: see the marked {sender.localCount === 1 ? "field" : "fields"}.
        </p>
      )}
    </div>
  );
}

// useDebounced follows value once it has stayed the same for ms (by
// value, so a new but equal object does not restart the wait).
export function useDebounced<T>(value: T, ms: number): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const t = setTimeout(() => setSettled(key), ms);
    return () => clearTimeout(t);
  }, [key, ms]);
  return JSON.parse(settled) as T;
}
