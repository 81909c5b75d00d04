// A template push: one template, its variables filled once, to listed
// devices or users, with a live preview.
import type { FormEvent } from "react";
import { buildTemplate, varsInput } from "../lib/compose";
import { defaultsOf } from "../lib/template";
import { Loading, Problem } from "../ui";
import { ErrorsContext, MessageAdvanced, OptionsFields, Preview, TargetsField, TemplatePicker, VarInputs } from "./fields";
import { SendPushTemplateMutation } from "./operations";
import { SendButton } from "./parts";
import { valuesFor, type Setter, type TemplateState } from "./state";
import { useSender } from "./useSender";
import { useTemplate } from "./useTemplate";

type Props = { appID: string; templateName: string; onTemplate: (name: string) => void; state: TemplateState; set: Setter<TemplateState> };

export function TemplateMode({ appID, templateName, onTemplate, state, set }: Props) {
  const { template, variables, loading, missing, error, reload } = useTemplate(appID, templateName);
  const values = valuesFor(state.vars, template);
  const given = varsInput(values, variables);
  const sender = useSender(appID, SendPushTemplateMutation, (r) => r.pushTemplate.id, () => buildTemplate(appID, { ...state, template, vars: values }, variables));

  function submit(e: FormEvent) {
    e.preventDefault();
    void sender.send();
  }
  return (
    <ErrorsContext.Provider value={sender.errors}>
      <form className="grid-2 send-form" onSubmit={submit} aria-label="Template push" noValidate>
        <div className="send-main">
          <fieldset>
            <legend>Template</legend>
            <TemplatePicker appID={appID} name={templateName} onPick={onTemplate} />
            <Problem error={error} retry={reload} />
            {loading && <Loading what="Loading the template…" />}
            {missing && <p className="error">There is no template named “{templateName}” in this app.</p>}
            {template && (
              <VarInputs
                variables={variables}
                defaults={defaultsOf(template)}
                values={values}
                onChange={(v) => set({ vars: { for: template.name, values: v } })}
              />
            )}
          </fieldset>
          <TargetsField kind={state.targetKind} onKind={(targetKind) => set({ targetKind })} value={state.targets} onChange={(targets) => set({ targets })} />
          <fieldset>
            <legend>Message extras</legend>
            <MessageAdvanced summary="Payload, badge, sound, …" value={state.extras} onChange={(p) => set({ extras: { ...state.extras, ...p } })} />
          </fieldset>
          <OptionsFields value={state.options} onChange={(p) => set({ options: { ...state.options, ...p } })} />
          <SendButton sender={sender} options={state.options} />
          <Problem error={sender.error} />
        </div>
        <aside className="send-side">
          {template ? <Preview template={template} vars={given} /> : <p className="muted">Pick a template to see the push.</p>}
        </aside>
      </form>
    </ErrorsContext.Provider>
  );
}
