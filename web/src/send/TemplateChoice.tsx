// The template of a template, multiple or templated broadcast push: the
// picker, then what became of the pick (loading, an error, or no template
// of that name, as a stale link may ask for).
import { useTranslation } from "react-i18next";
import { Loading, Problem } from "../ui";
import { TemplatePicker } from "./fields";
import type { useTemplate } from "./useTemplate";

export function TemplateChoice({ appID, name, onPick, loaded }: { appID: string; name: string; onPick: (name: string) => void; loaded: ReturnType<typeof useTemplate> }) {
  const { t } = useTranslation("send");
  return (
    <>
      <TemplatePicker appID={appID} name={name} onPick={onPick} />
      <Problem error={loaded.error} retry={loaded.reload} />
      {loaded.loading && <Loading what={t("template.loading")} />}
      {loaded.missing && <p className="error">{t("template.missing", { name })}</p>}
    </>
  );
}
