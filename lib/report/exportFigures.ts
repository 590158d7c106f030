/**
 * Static SVG and PNG files of Plotly figures, for papers and slides, rendered by Plotly itself in
 * headless Chromium (Debian's /usr/bin/chromium driven by playwright-core). When no Chromium is
 * installed the export is skipped with a reason, never faked.
 */
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlotlyFigure } from "../plot/figure.js";

const require = createRequire(import.meta.url);

export interface FigureExport {
  files: string[];
  skipped?: string;
}

export const CHROMIUM = process.env.RADSURV_CHROMIUM ?? "/usr/bin/chromium";

export async function exportFigures(
  figures: { name: string; figure: PlotlyFigure }[],
  dir: string,
  { formats = ["svg", "png"] as ("svg" | "png")[], scale = 2 } = {},
): Promise<FigureExport> {
  if (!existsSync(CHROMIUM)) return { files: [], skipped: `no Chromium at ${CHROMIUM} (apt-get install chromium)` };
  const { chromium } = await import("playwright-core");
  mkdirSync(dir, { recursive: true });
  const plotly = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const files: string[] = [];
  try {
    const page = await browser.newPage();
    await page.setContent(`<html><head><meta charset="utf-8"></head><body><div id="g"></div></body></html>`);
    await page.addScriptTag({ content: plotly });
    for (const { name, figure } of figures) {
      const width = Number(figure.layout.width ?? 800);
      const height = Number(figure.layout.height ?? 560);
      for (const format of formats) {
        const url: string = await page.evaluate(
          async ([data, layout, fmt, w, h, s]) => {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const P = (globalThis as any).Plotly;
            const gd = (globalThis as any).document.getElementById("g");
            await P.newPlot(gd, data, layout, { staticPlot: true });
            return P.toImage(gd, { format: fmt, width: w, height: h, scale: fmt === "png" ? s : 1 });
          },
          [figure.data, figure.layout, format, width, height, scale] as const,
        );
        const path = join(dir, `${name}.${format}`);
        if (format === "svg") writeFileSync(path, decodeURIComponent(url.slice(url.indexOf(",") + 1)));
        else writeFileSync(path, Buffer.from(url.slice(url.indexOf(",") + 1), "base64"));
        files.push(path);
      }
    }
  } finally {
    await browser.close();
  }
  return { files };
}
