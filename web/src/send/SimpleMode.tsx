// A push with its own title and body to listed devices or users.
import { useTranslation } from "react-i18next";
import { buildSimple, parseList, targetInput } from "../lib/compose";
import { Problem } from "../ui";
import { MessageAdvanced, MessageMain, MessagePreview, OptionsFields, TargetsField } from "./fields";
import { SendPushSimpleMutation } from "./operations";
import { SendButton, SendForm } from "./parts";
import { ReachNote } from "./Reach";
import type { Setter, SimpleState } from "./state";
import { useSender } from "./useSender";

export function SimpleMode({ appID, state, set }: { appID: string; state: SimpleState; set: Setter<SimpleState> }) {
  const { t } = useTranslation("send");
  const sender = useSender(appID, SendPushSimpleMutation, (r) => r.pushSimple.id, () => buildSimple(appID, state));
  return (
    <SendForm sender={sender} label={t("simple.form")}>
      <div className="send-main">
        <TargetsField kind={state.targetKind} onKind={(targetKind) => set({ targetKind })} value={state.targets} onChange={(targets) => set({ targets })} />
        <fieldset>
          <legend>{t("simple.message")}</legend>
          <MessageMain value={state.message} onChange={(p) => set({ message: { ...state.message, ...p } })} />
          <MessageAdvanced value={state.message} onChange={(p) => set({ message: { ...state.message, ...p } })} />
        </fieldset>
        <OptionsFields value={state.options} onChange={(p) => set({ options: { ...state.options, ...p } })} />
        <ReachNote appID={appID} target={targetInput(state.targetKind, parseList(state.targets))} channels={state.options.channels} />
        <SendButton sender={sender} options={state.options} />
        <Problem error={sender.error} />
      </div>
      <aside className="send-side">
        <MessagePreview message={state.message} />
      </aside>
    </SendForm>
  );
}
