/**
 * The self-contained report: one HTML file with Plotly inlined (works offline), sections of text,
 * tables and figures. Every string that comes from data is escaped; figure JSON is embedded in
 * <script type="application/json"> blocks with "<" escaped so no data can close the script tag.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { PlotlyFigure } from "../plot/figure.js";
import { htmlTable, type Row } from "../table/frame.js";

const require = createRequire(import.meta.url);

export type ReportBlock =
  | { kind: "text"; text: string }
  | { kind: "table"; caption?: string; rows: Row[]; digits?: number }
  | { kind: "figure"; name: string; caption?: string; figure: PlotlyFigure }
  | { kind: "list"; items: string[] };

export interface ReportSection {
  id: string;
  title: string;
  blocks: ReportBlock[];
}

export interface ReportDocument {
  title: string;
  subtitle?: string;
  sections: ReportSection[];
  footer?: string;
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Paragraphs from plain text (blank line = new paragraph); `code` spans in backticks. */
function paragraphs(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.replace(/\s*\n\s*/g, " ")).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`)
    .join("\n");
}

const jsonForScript = (x: unknown): string => JSON.stringify(x).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

const STYLE = `
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1060px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
nav ol{columns:2} table.radsurv{border-collapse:collapse;margin:1em 0;font-size:.9em}
table.radsurv th,table.radsurv td{border-bottom:1px solid #e3e3e3;padding:.25em .6em;text-align:left;vertical-align:top}
table.radsurv thead th{border-bottom:2px solid #888} table.radsurv caption{caption-side:top;text-align:left;font-weight:600;margin-bottom:.3em}
figure{margin:1.2em 0} figcaption{font-size:.9em;color:#555} code{background:#f4f4f4;padding:0 .2em}
.subtitle{color:#555;margin-top:0} footer{margin-top:3em;font-size:.85em;color:#666}`;

/** The report as one HTML string. */
export function renderReport(doc: ReportDocument): string {
  const plotly = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  let figureCount = 0;
  const block = (b: ReportBlock): string => {
    switch (b.kind) {
      case "text":
        return paragraphs(b.text);
      case "list":
        return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
      case "table":
        return htmlTable(b.rows, { caption: b.caption, digits: b.digits ?? 4 });
      case "figure": {
        const id = `fig${++figureCount}`;
        return `<figure id="${escapeHtml(b.name)}"><div id="${id}" class="plotly-figure"></div>` +
          `<script type="application/json" data-target="${id}">${jsonForScript({ data: b.figure.data, layout: b.figure.layout })}</script>` +
          (b.caption ? `<figcaption>${escapeHtml(b.caption)}</figcaption>` : "") + `</figure>`;
      }
    }
  };
  const toc = doc.sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`).join("");
  const body = doc.sections
    .map((s) => `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map(block).join("\n")}</section>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style>
<script>${plotly.replace(/<\/script/gi, "<\\/script")}</script></head>
<body><h1>${escapeHtml(doc.title)}</h1>${doc.subtitle ? `<p class="subtitle">${escapeHtml(doc.subtitle)}</p>` : ""}
<nav><ol>${toc}</ol></nav>
${body}
<footer>${escapeHtml(doc.footer ?? "")}</footer>
<script>
for (const s of document.querySelectorAll('script[type="application/json"][data-target]')) {
  const fig = JSON.parse(s.textContent);
  Plotly.newPlot(s.dataset.target, fig.data, fig.layout, { responsive: true, displaylogo: false });
}
</script></body></html>
`;
}
