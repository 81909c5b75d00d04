// The push composer: four modes (simple, template, multiple, broadcast) on
// tabs kept in the URL (?mode=), the template too (?template=), so a link
// can open the composer ready to send with a template.
import { useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router-dom";
import { audienceFromParams, audienceParams } from "../lib/audience";
import { MODES, modeOf, type Mode } from "../lib/compose";
import { BroadcastMode } from "../send/BroadcastMode";
import { localZone } from "../send/fields";
import { MultipleMode } from "../send/MultipleMode";
import { SimpleMode } from "../send/SimpleMode";
import { initial, type BroadcastState, type MultipleState, type SimpleState, type TemplateState } from "../send/state";
import { TemplateMode } from "../send/TemplateMode";
import { useCan } from "../session";
import { PageHeader } from "../ui";
import "./send.css";

export default function Send() {
  const { t } = useTranslation("send");
  const { appID = "" } = useParams();
  const can = useCan(appID);
  if (!can.send) {
    return (
      <>
        <PageHeader title={t("title")} />
        <p className="empty">{t("viewersCannot")}</p>
      </>
    );
  }
  return <Composer appID={appID} />;
}

function Composer({ appID }: { appID: string }) {
  const { t } = useTranslation("send");
  const [params, setParams] = useSearchParams();
  const mode = modeOf(params.get("mode"));
  const templateName = params.get("template") ?? "";
  // The broadcast's audience starts from the URL and is written back to it.
  const [forms, setForms] = useState(() => {
    const f = initial(localZone());
    return { ...f, broadcast: { ...f.broadcast, audience: audienceFromParams(params) } };
  });
  const tabRefs = useRef<Partial<Record<Mode, HTMLButtonElement | null>>>({});

  const setMode = (m: Mode) =>
    setParams((p) => {
      const n = new URLSearchParams(p);
      n.set("mode", m);
      return n;
    });
  const setTemplate = (name: string) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        if (name) n.set("template", name);
        else n.delete("template");
        return n;
      },
      { replace: true },
    );
  function patch<K extends keyof typeof forms>(k: K) {
    return (p: Partial<(typeof forms)[K]>) => setForms((f) => ({ ...f, [k]: { ...f[k], ...p } }));
  }
  const patchBroadcast = (p: Partial<BroadcastState>) => {
    patch("broadcast")(p);
    if (p.audience) {
      const audience = p.audience;
      setParams((cur) => audienceParams(cur, audience), { replace: true });
    }
  };
  // Arrow keys move between the tabs, as in any tab list.
  function onKey(e: KeyboardEvent) {
    const i = MODES.indexOf(mode);
    const to = e.key === "ArrowRight" ? MODES[(i + 1) % MODES.length] : e.key === "ArrowLeft" ? MODES[(i + MODES.length - 1) % MODES.length] : undefined;
    if (!to) return;
    e.preventDefault();
    setMode(to);
    tabRefs.current[to]?.focus();
  }

  return (
    <>
      <PageHeader title={t("title")} />
      <div role="tablist" aria-label={t("modes.label")} className="send-tabs" onKeyDown={onKey}>
        {MODES.map((m) => (
          <button
            key={m}
            ref={(el) => {
              tabRefs.current[m] = el;
            }}
            type="button"
            role="tab"
            id={`send-tab-${m}`}
            aria-selected={mode === m}
            aria-controls="send-panel"
            tabIndex={mode === m ? 0 : -1}
            onClick={() => setMode(m)}
          >
            {t(`modes.${m}.label` as "modes.simple.label")}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="send-panel" aria-labelledby={`send-tab-${mode}`} className="send-panel">
        <p className="muted">{t(`modes.${mode}.hint` as "modes.simple.hint")}</p>
        {mode === "simple" && <SimpleMode appID={appID} state={forms.simple} set={patch("simple") as (p: Partial<SimpleState>) => void} />}
        {mode === "template" && (
          <TemplateMode appID={appID} templateName={templateName} onTemplate={setTemplate} state={forms.template} set={patch("template") as (p: Partial<TemplateState>) => void} />
        )}
        {mode === "multiple" && (
          <MultipleMode appID={appID} templateName={templateName} onTemplate={setTemplate} state={forms.multiple} set={patch("multiple") as (p: Partial<MultipleState>) => void} />
        )}
        {mode === "broadcast" && (
          <BroadcastMode appID={appID} templateName={templateName} onTemplate={setTemplate} state={forms.broadcast} set={patchBroadcast} />
        )}
      </div>
    </>
  );
}
