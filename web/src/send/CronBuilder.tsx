// The schedule of a recurring push, picked rather than typed: daily, weekly
// or monthly at a time, or raw cron. The builder writes the form's cron
// (the one value the form keeps) and reads a cron typed by hand back into
// its shape. ZoneField is the time zone input with every IANA zone listed
// by region with its offset now, which still takes any typed name, so a
// wrong one gets the form's error rather than vanishing.
import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { locale, supported } from "../i18n";
import {
  buildCron,
  clockText,
  firstDayOf,
  parseClock,
  parseCron,
  reshape,
  toggleDay,
  weekdayName,
  weekOrder,
  zoneGroups,
  type Kind,
  type Shape,
  type ZoneGroup,
} from "../lib/schedule";

type Mode = Kind | "custom";
const MODES: Mode[] = ["daily", "weekly", "monthly", "custom"];

export function CronBuilder({ cron, onCron }: { cron: string; onCron: (cron: string) => void }) {
  const { t } = useTranslation("schedule");
  const labelID = useId();
  // Custom stays once picked, even for a cron of a simple shape; otherwise
  // the mode is what the cron reads back as, so typing in it switches.
  const [custom, setCustom] = useState(false);
  const shape = custom ? undefined : parseCron(cron);
  const mode: Mode = shape?.kind ?? "custom";
  const pick = (m: Mode) => {
    setCustom(m === "custom");
    if (m !== "custom") onCron(buildCron(reshape(cron, m)));
  };
  return (
    <>
      <div className="when">
        <span id={labelID} className="when-label">
          {t("repeats")}
        </span>
        <div role="group" aria-labelledby={labelID} className="segmented">
          {MODES.map((m) => (
            <button key={m} type="button" aria-pressed={mode === m} onClick={() => pick(m)}>
              {t(`mode.${m}`)}
            </button>
          ))}
        </div>
      </div>
      {shape ? <ShapeFields shape={shape} onShape={(s) => onCron(buildCron(s))} /> : <p className="muted small">{t("customHint")}</p>}
    </>
  );
}

function ShapeFields({ shape, onShape }: { shape: Shape; onShape: (s: Shape) => void }) {
  const { t } = useTranslation("schedule");
  const id = useId();
  return (
    <div className="row">
      {shape.kind === "weekly" && <Weekdays days={shape.days} onDays={(days) => onShape({ ...shape, days })} />}
      {shape.kind === "monthly" && <MonthDay day={shape.day} onDay={(day) => onShape({ ...shape, day })} />}
      <div className="field">
        <label htmlFor={id}>{t("time")}</label>
        <input
          id={id}
          type="time"
          required
          value={clockText(shape)}
          // A cleared time is not a schedule: the last one stays.
          onChange={(e) => {
            const clock = parseClock(e.target.value);
            if (clock) onShape({ ...shape, ...clock });
          }}
          aria-describedby={`${id}-hint`}
        />
        <small id={`${id}-hint`} className="muted">
          {t("timeHint")}
        </small>
      </div>
    </div>
  );
}

// weekLocale is where the week's first day comes from: the browser's
// region when it speaks the console's language (en-GB starts on Monday,
// en-US on Sunday), else the console's language.
function weekLocale(lang: string): string {
  const nav = typeof navigator !== "undefined" ? navigator.language : "";
  return nav && supported(nav) === lang ? nav : lang;
}

function Weekdays({ days, onDays }: { days: number[]; onDays: (days: number[]) => void }) {
  const { t } = useTranslation("schedule");
  const id = useId();
  const lang = locale();
  return (
    <div role="group" aria-labelledby={id} className="field">
      <span id={id} className="when-label">
        {t("days")}
      </span>
      <div className="when">
        {weekOrder(firstDayOf(weekLocale(lang))).map((d) => (
          <label key={d} className="check" title={weekdayName(d, lang, "long")}>
            {/* The last day cannot be unticked: a week needs one. */}
            <input type="checkbox" checked={days.includes(d)} disabled={days.length === 1 && days[0] === d} onChange={() => onDays(toggleDay(days, d))} />
            {weekdayName(d, lang)}
          </label>
        ))}
      </div>
    </div>
  );
}

function MonthDay({ day, onDay }: { day: number; onDay: (day: number) => void }) {
  const { t } = useTranslation("schedule");
  const id = useId();
  // pushd's cron has no "last day of the month": a late day skips months.
  const late = day > 28;
  return (
    <div className="field">
      <label htmlFor={id}>{t("dayOfMonth")}</label>
      <select id={id} value={day} onChange={(e) => onDay(Number(e.target.value))} aria-describedby={late ? `${id}-hint` : undefined}>
        {Array.from({ length: 31 }, (_, i) => (
          <option key={i + 1} value={i + 1}>
            {i + 1}
          </option>
        ))}
      </select>
      {late && (
        <small id={`${id}-hint`} className="muted">
          {t("dayOfMonthHint", { n: day })}
        </small>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- zones

type Control = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

const suggested = () => [browserZone(), "Asia/Shanghai", "UTC"];

// The whole list takes a noticeable moment (a formatter for each of some
// 400 zones), so it is made once an hour rather than on each key typed in
// the form, and after the form shows. Offsets are the current hour's.
let made: { key: string; groups: ZoneGroup[] } | undefined;
const listKey = (zones: string[]) => `${Math.floor(Date.now() / 3_600_000)} ${zones.join(" ")}`;

function useZoneGroups(zones: string[]): ZoneGroup[] {
  const key = listKey(zones);
  const [groups, setGroups] = useState(() => (made?.key === key ? made.groups : zoneGroups([], suggested(), new Date())));
  useEffect(() => {
    const timer = setTimeout(() => {
      if (made?.key !== key) made = { key, groups: zoneGroups(zones, suggested(), new Date()) };
      setGroups(made.groups);
    }, 0);
    return () => clearTimeout(timer);
  }, [key]); // zones is what key says
  return groups;
}

// ZoneField: the input (what Fld labels, typed names welcome) with the
// zones suggested as one types, and the same zones as a list by region.
export function ZoneField({ control, listID, zones, value, onChange }: { control: Control; listID: string; zones: string[]; value: string; onChange: (zone: string) => void }) {
  const { t } = useTranslation("schedule");
  const groups = useZoneGroups(zones);
  // Each zone once, the suggested first.
  const flat = useMemo(() => [...new Map(groups.flatMap((g) => g.zones).map((z) => [z.zone, z])).values()], [groups]);
  const known = flat.some((z) => z.zone === value);
  // The ~850 options are made again only with the list or the language, not
  // on each key typed elsewhere in the form.
  const suggestions = useMemo(
    () =>
      flat.map((z) => (
        // The name is the value; the label adds what the name does not say.
        <option key={z.zone} value={z.zone} label={`UTC${z.offset}`} />
      )),
    [flat],
  );
  const choices = useMemo(
    () =>
      groups.map((g) => (
        <optgroup key={g.region} label={t(`zone.region.${g.region}`)}>
          {g.zones.map((z) => (
            <option key={z.zone} value={z.zone}>
              {t("zone.label", { zone: z.zone, offset: z.offset })}
            </option>
          ))}
        </optgroup>
      )),
    [groups, t],
  );
  return (
    <>
      <input {...control} list={listID} value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} autoComplete="off" />
      <datalist id={listID}>{suggestions}</datalist>
      <select aria-label={t("zone.pick")} value={known ? value : ""} onChange={(e) => e.target.value && onChange(e.target.value)}>
        {!known && <option value="">{t("zone.choose")}</option>}
        {choices}
      </select>
    </>
  );
}
