// The composer's form state per mode. The page keeps all four, so
// switching tabs loses nothing typed.
import {
  emptyAudience,
  emptyMessage,
  emptyOptions,
  type AudienceForm,
  type MessageForm,
  type OptionsForm,
  type Row,
  type SimpleForm,
  type TargetKind,
} from "../lib/compose";
import { defaultsOf, type TemplateLike } from "../lib/template";

// Vars are the values typed for one template; another template starts
// from its own defaults.
export type Vars = { for: string; values: Record<string, string> };

export type TemplateState = { targetKind: TargetKind; targets: string; vars: Vars; extras: MessageForm; options: OptionsForm };
export type MultipleState = { targetKind: TargetKind; rows: Row[]; extras: MessageForm; options: OptionsForm; csv: string };
export type BroadcastState = { content: "message" | "template"; message: MessageForm; vars: Vars; audience: AudienceForm; options: OptionsForm };
export type SimpleState = SimpleForm;

export type Setter<T> = (patch: Partial<T>) => void;

export function initial(timeZone: string) {
  return {
    simple: { targetKind: "device", targets: "", message: emptyMessage, options: emptyOptions(timeZone) } as SimpleState,
    template: { targetKind: "device", targets: "", vars: { for: "", values: {} }, extras: emptyMessage, options: emptyOptions(timeZone) } as TemplateState,
    multiple: { targetKind: "device", rows: [{ target: "", vars: {} }], extras: emptyMessage, options: emptyOptions(timeZone), csv: "" } as MultipleState,
    broadcast: { content: "message", message: emptyMessage, vars: { for: "", values: {} }, audience: emptyAudience, options: emptyOptions(timeZone) } as BroadcastState,
  };
}

// valuesFor is what the variable boxes hold: what was typed for this
// template, else its defaults.
export function valuesFor(vars: Vars, t: (TemplateLike & { name: string }) | undefined): Record<string, string> {
  if (!t) return {};
  return vars.for === t.name ? vars.values : defaultsOf(t);
}
