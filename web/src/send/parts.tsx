// Small pieces of the composer's forms.
import { useEffect, useState } from "react";
import type { OptionsForm } from "../lib/compose";

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
