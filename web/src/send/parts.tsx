// Small pieces of the composer's forms.
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Errors, OptionsForm } from "../lib/compose";
import { count } from "../lib/format";
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

// sendLabel is the key of the submit button's text for when the push goes.
export function sendLabel(o: OptionsForm) {
  return o.when === "at" ? "button.schedule" : o.when === "repeat" ? "button.repeat" : "button.send";
}

export function SendButton({ sender, options, label }: { sender: { running: boolean; localCount: number }; options: OptionsForm; label?: string }) {
  const { t } = useTranslation("send");
  return (
    <div className="actions send-actions">
      <button type="submit" disabled={sender.running}>
        {sender.running ? t("button.sending") : (label ?? t(sendLabel(options)))}
      </button>
      {sender.localCount > 0 && (
        <p role="alert" className="error">
          {sender.localCount === 1 ? t("button.fixOne") : t("button.fixMany", { n: count(sender.localCount) })}
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
