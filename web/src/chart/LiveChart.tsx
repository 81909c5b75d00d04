// A per-minute line chart on uPlot: small (≈ 20 KB gzipped), canvas-drawn
// and built for streaming series. The chart is made once per set of groups
// and then only gets new data, so a frame a second costs one redraw.
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { supported } from "../i18n";
import type { ChartData } from "../lib/series";
import { chartAxis, useScheme } from "./colors";

// plotWidth is the box's width inside its padding: what uPlot may draw on.
function plotWidth(el: HTMLElement): number {
  const cs = getComputedStyle(el);
  return Math.max(200, el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight));
}

const palette = ["#2f5bea", "#12a150", "#e5484d", "#f59f00", "#7c3aed", "#0ea5e9", "#db2777"];

// uPlot writes time ticks the English way (10:05am, 1/4). Chinese reads a
// 24-hour clock and 月/日; each row is uPlot's own: the smallest step it
// fits, the tick, then what a new year, month, day, hour or minute adds
// below it, then 1 (the two are joined).
const chineseTimeTicks: uPlot.Axis.TimeValuesConfig = [
  [86400 * 365, "{YYYY}年", null, null, null, null, null, null, 1],
  [86400 * 28, "{M}月", "\n{YYYY}年", null, null, null, null, null, 1],
  [86400, "{M}月{D}日", "\n{YYYY}年", null, null, null, null, null, 1],
  [3600, "{HH}:00", "\n{YYYY}年{M}月{D}日", null, "\n{M}月{D}日", null, null, null, 1],
  [60, "{HH}:{mm}", "\n{YYYY}年{M}月{D}日", null, "\n{M}月{D}日", null, null, null, 1],
  [1, ":{ss}", "\n{YYYY}年{M}月{D}日 {HH}:{mm}", null, "\n{M}月{D}日 {HH}:{mm}", null, "\n{HH}:{mm}", null, 1],
];

// The charts count deliveries: ticks are whole numbers, never 0.25.
const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8];

export function LiveChart({ data, label, height = 260 }: { data: ChartData; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const groupsKey = data.groups.join("|");
  const { i18n } = useTranslation();
  const chinese = supported(i18n.resolvedLanguage) === "zh-CN";
  const scheme = useScheme();

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: plotWidth(el),
      height,
      scales: { x: { time: true } },
      axes: [{ ...chartAxis(), ...(chinese ? { values: chineseTimeTicks } : {}) }, { ...chartAxis(), size: 56, incrs: WHOLE }],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      series: [{}, ...data.groups.map((g, i) => ({ label: g, stroke: palette[i % palette.length], width: 2, points: { show: false } }))],
    };
    const u = new uPlot(opts, [data.x, ...data.ys], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: plotWidth(el), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its groups or language change; data
    // flows below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [groupsKey, height, chinese, scheme]);

  useEffect(() => {
    plot.current?.setData([data.x, ...data.ys]);
  }, [data]);

  return <div ref={box} className="chart" role="img" aria-label={label} data-points={data.ys.reduce((n, y) => n + y.reduce((a, b) => a + b, 0), 0)} />;
}
