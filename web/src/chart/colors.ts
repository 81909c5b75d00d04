// uPlot draws on a canvas, which CSS does not colour: the charts read the
// console's colours for axes and grid lines from its custom properties, so
// they follow light and dark mode like the rest of the page.
import { useEffect, useState } from "react";
import type uPlot from "uplot";

export function chartAxis(): Pick<uPlot.Axis, "stroke" | "grid" | "ticks"> {
  const css = getComputedStyle(document.documentElement);
  const axis = css.getPropertyValue("--chart-axis").trim() || "#5b6475";
  const grid = css.getPropertyValue("--chart-grid").trim() || "rgba(0, 0, 0, 0.08)";
  return { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}

// useScheme is the system's colour scheme, changing when the system
// switches, so a chart made with it is drawn again in the new colours.
export function useScheme(): "light" | "dark" {
  const dark = () => typeof window !== "undefined" && Boolean(window.matchMedia?.("(prefers-color-scheme: dark)").matches);
  const [scheme, setScheme] = useState<"light" | "dark">(dark() ? "dark" : "light");
  useEffect(() => {
    const query = window.matchMedia?.("(prefers-color-scheme: dark)");
    if (!query) return;
    const change = () => setScheme(query.matches ? "dark" : "light");
    query.addEventListener("change", change);
    return () => query.removeEventListener("change", change);
  }, []);
  return scheme;
}
