/** Builds the designs of the glmnet reference fixtures: R's scale(x) of the listed rows and columns. */
import { numericColumn } from "../lib/table/index.js";
import { dataset } from "./helpers.js";

export interface LassoCase {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fx: any;
  /** scale(x) as R computed it (sample SD), rows × features. */
  x: number[][];
  center: number[];
  scale: number[];
  y: { time: number[]; status: number[] } | number[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lassoCase(fx: any): LassoCase {
  const t = dataset(fx.input.file);
  const n0 = t.nRows;
  const rows: number[] = fx.input.rows_used ? fx.input.rows_used.map((r: number) => r - 1) : Array.from({ length: n0 }, (_, i) => i);
  const cols = (fx.features as string[]).map((f) => numericColumn(t, f));
  const p = cols.length;
  const n = rows.length;
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (const i of rows) m += cols[j][i];
    m /= n;
    let v = 0;
    for (const i of rows) v += (cols[j][i] - m) ** 2;
    center.push(m);
    scale.push(Math.sqrt(v / (n - 1)));
  }
  const x = rows.map((i) => cols.map((c, j) => (c[i] - center[j]) / scale[j]));
  let y: LassoCase["y"];
  if (fx.input.y) {
    const yy = numericColumn(t, "y");
    y = rows.map((i) => yy[i]);
  } else {
    const time = numericColumn(t, fx.input.time);
    const st = numericColumn(t, "status");
    const eventTwo = String(fx.input.status).includes("== 2");
    y = { time: rows.map((i) => time[i]), status: rows.map((i) => (eventTwo ? (st[i] === 2 ? 1 : 0) : st[i])) };
  }
  return { fx, x, center, scale, y };
}
