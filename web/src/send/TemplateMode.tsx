// A template push: one template, its variables filled once, to listed
// devices or users, with a live preview.
import { useTranslation } from "react-i18next";
import { buildTemplate, parseList, targetInput, varsInput } from "../lib/compose";
import { defaultsOf } from "../lib/template";
import { Problem } from "../ui";
import { MessageAdvanced, OptionsFields, Preview, TargetsField, VarInputs } from "./fields";
import { SendPushTemplateMutation } from "./operations";
import { SendButton, SendForm } from "./parts";
import { ReachNote } from "./Reach";
import { valuesFor, type Setter, type TemplateState } from "./state";
import { TemplateChoice } from "./TemplateChoice";
import { useSender } from "./useSender";
import { useTemplate } from "./useTemplate";

type Props = { appID: string; templateName: string; onTemplate: (name: string) => void; state: TemplateState; set: Setter<TemplateState> };

export function TemplateMode({ appID, templateName, onTemplate, state, set }: Props) {
  const { t } = useTranslation("send");
  const loaded = useTemplate(appID, templateName);
  const { template, variables } = loaded;
  const values = valuesFor(state.vars, template);
  const given = varsInput(values, variables);
  const sender = useSender(appID, SendPushTemplateMutation, (r) => r.pushTemplate.id, () => buildTemplate(appID, { ...state, template, vars: values }, variables));

  return (
    <SendForm sender={sender} label={t("template.form")}>
      <div className="send-main">
        <fieldset>
          <legend>{t("template.legend")}</legend>
          <TemplateChoice appID={appID} name={templateName} onPick={onTemplate} loaded={loaded} />
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
          <legend>{t("extras.legend")}</legend>
          <MessageAdvanced summary={t("extras.summary")} value={state.extras} onChange={(p) => set({ extras: { ...state.extras, ...p } })} />
        </fieldset>
        <OptionsFields value={state.options} onChange={(p) => set({ options: { ...state.options, ...p } })} />
        <ReachNote appID={appID} target={targetInput(state.targetKind, parseList(state.targets))} channels={state.options.channels} />
        <SendButton sender={sender} options={state.options} />
        <Problem error={sender.error} />
      </div>
      <aside className="send-side">
        {template ? <Preview template={template} vars={given} message={state.extras} /> : <p className="muted">{t("template.pick")}</p>}
      </aside>
    </SendForm>
  );
}
