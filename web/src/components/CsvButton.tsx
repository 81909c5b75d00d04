// CsvButton downloads a table as <name>.csv (lib/csv: RFC 4180, a BOM for
// Excel, formulas defused). The caller gives the header row in the
// console's language, so the file reads like the table on screen.
import { useTranslation } from "react-i18next";
import { csv, csvFileName, type Cell } from "../lib/csv";

export function CsvButton({ name, header, rows, label }: { name: string; header: string[]; rows: () => Cell[][]; label?: string }) {
  const { t } = useTranslation("analytics");
  const download = () => {
    const blob = new Blob([csv([header, ...rows()])], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = csvFileName(name);
    document.body.append(a);
    a.click();
    a.remove();
    // Revoked on the next turn: some browsers start the download after
    // click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <button type="button" className="secondary" onClick={download}>
      {label ?? t("csv.download")}
    </button>
  );
}
