/**
 * extractCohort: features of every row of a manifest (patient × reader × reading → image + mask), in
 * parallel worker threads, into one CSV — the library behind `radsurv extract`.
 *
 * Resumable: each finished row is appended to the output at once, so an interrupted run loses only the
 * rows in flight; a rerun keeps the rows already there and computes the rest. Because rows are
 * appended as they finish (in whatever order the threads finish them), the file is rewritten in
 * manifest order at the end: the final bytes depend on the manifest and the settings only, not on
 * scheduling or on how often the run was interrupted.
 *
 * A row that fails (bad DICOM, empty mask, …) does not stop the run; it is listed in `<out>.errors.csv`
 * (patient, reader, reading, file, message) and counted in `failed`. A rerun retries it.
 *
 * The settings of a run are kept next to the output in `<out>.settings.json`; resuming with other
 * settings is refused, since the kept rows would silently mix two configurations.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Papa from "papaparse";
import { Piscina } from "piscina";
import { InputError } from "../errors.js";
import { resolveSettings, type ExtractSettings } from "./settings.js";
import type { ExtractTask, ExtractTaskResult } from "./extractWorker.js";

/** Manifest columns (case-sensitive); `roi` is optional (RTSTRUCT ROI name, SEG segment, NIfTI label). */
export const MANIFEST_COLUMNS = ["patient", "imageDir", "maskPath", "reader", "reading"] as const;
/** The first columns of the output; feature columns follow. */
export const KEY_COLUMNS = ["patient", "reader", "reading"] as const;

export interface ManifestRow {
  /** Row number in the manifest file as a spreadsheet shows it (the header is row 1). */
  row: number;
  patient: string;
  reader: string;
  reading: string;
  /** Absolute paths (the manifest's relative paths are relative to its folder). */
  imagePath: string;
  maskPath: string;
  roi?: string;
}

export interface CohortProgress {
  /** Rows computed in this run so far (successful or failed). */
  done: number;
  failed: number;
  /** Rows to compute in this run (manifest rows minus those already in the output). */
  total: number;
  /** Rows skipped because the output already had them. */
  skipped: number;
  /** The row that just finished. */
  last: Pick<ManifestRow, "patient" | "reader" | "reading">;
}

export interface ExtractCohortOptions {
  /** Output CSV; an existing one from an earlier run of the same manifest and settings is resumed. */
  outPath: string;
  settings?: ExtractSettings;
  /** Worker threads; default os.availableParallelism(), never more than the rows to compute. */
  workers?: number;
  /** Called once the rows to compute are known, before the threads start (e.g. to start a progress bar). */
  onStart?: (info: { total: number; skipped: number; workers: number }) => void;
  onProgress?: (p: CohortProgress) => void;
}

export interface CohortRowError {
  patient: string;
  reader: string;
  reading: string;
  file: string;
  message: string;
}

export interface ExtractCohortResult {
  /** Rows computed successfully in this run. */
  done: number;
  /** Manifest rows already in the output (not recomputed). */
  skipped: number;
  /** Rows that failed in this run (listed in errorsPath). */
  failed: number;
  /** Manifest rows. */
  total: number;
  outPath: string;
  /** `<out>.errors.csv` when a row failed, else null (a stale one from an earlier run is removed). */
  errorsPath: string | null;
  errors: CohortRowError[];
  /** Warnings of the rows computed in this run (readers' and extractFeatures'), one entry per row with any. */
  warnings: Array<{ patient: string; reader: string; reading: string; warnings: string[] }>;
  /** Threads used (0 when nothing was left to compute). */
  workers: number;
  /** Output rows whose patient × reader × reading is not in the manifest (kept, after the manifest's rows). */
  extraRows: number;
}

const rowKey = (r: { patient: string; reader: string; reading: string }): string => JSON.stringify([r.patient, r.reader, r.reading]);

const csvField = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Feature values as text: the shortest decimal that reads back to the same double (so values round-trip
 * exactly), empty for NaN (R's NA, as data/public), Inf/-Inf as R writes them.
 */
export function formatFeature(v: number): string {
  if (Number.isNaN(v)) return "";
  if (v === Infinity) return "Inf";
  if (v === -Infinity) return "-Inf";
  return String(v === 0 ? 0 : v);
}

/** Reads a feature value written by formatFeature (also accepts NA). */
export function parseFeature(s: string): number {
  if (s === "" || s === "NA" || s === "NaN") return NaN;
  if (s === "Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  return Number(s);
}

function parseCsvText(text: string, source: string): string[][] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new InputError(`${source}, row ${(e.row ?? 0) + 1}: CSV parse error: ${e.message}`);
  }
  return parsed.data;
}

/**
 * Reads and checks a manifest: required columns, no empty cell, files that exist, no duplicate
 * patient × reader × reading. Every error names the file, the row and the column. Cells are kept as text
 * (a patient "007" stays "007").
 */
export function readManifest(manifestPath: string): ManifestRow[] {
  let text: string;
  try {
    text = readFileSync(manifestPath, "utf8");
  } catch (e) {
    throw new InputError(`cannot read manifest ${manifestPath}: ${(e as Error).message}`);
  }
  const rows = parseCsvText(text, manifestPath);
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (header.length === 0) throw new InputError(`${manifestPath}: empty manifest (no header row)`);
  const col: Record<string, number> = {};
  header.forEach((h, j) => {
    if (h in col) throw new InputError(`${manifestPath}, row 1 (header): column "${h}" appears twice`);
    col[h] = j;
  });
  for (const c of MANIFEST_COLUMNS) {
    if (!(c in col)) {
      throw new InputError(
        `${manifestPath}, row 1 (header): no column "${c}"; a manifest needs ${MANIFEST_COLUMNS.join(", ")} (has ${header.join(", ")})`,
      );
    }
  }
  if (rows.length < 2) throw new InputError(`${manifestPath}: the manifest has no rows`);
  const base = dirname(resolve(manifestPath));
  const seen = new Map<string, number>();
  const out: ManifestRow[] = [];
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    const row = i + 1;
    const at = (c: string) => `${manifestPath}, row ${row}, column "${c}"`;
    if (r.length !== header.length) {
      throw new InputError(`${manifestPath}, row ${row}: ${r.length} fields, the header has ${header.length}`);
    }
    const cell = (c: string): string => {
      const v = r[col[c]].trim();
      if (v === "") throw new InputError(`${at(c)}: empty`);
      if (/[\r\n]/.test(v)) throw new InputError(`${at(c)}: a line break inside a value is not allowed`);
      return v;
    };
    const path = (c: string): string => {
      const v = cell(c);
      const p = isAbsolute(v) ? v : resolve(base, v);
      if (!existsSync(p)) throw new InputError(`${at(c)}: ${p} does not exist`);
      return p;
    };
    const m: ManifestRow = {
      row,
      patient: cell("patient"),
      reader: cell("reader"),
      reading: cell("reading"),
      imagePath: path("imageDir"),
      maskPath: path("maskPath"),
    };
    if ("roi" in col && r[col.roi].trim() !== "") m.roi = r[col.roi].trim();
    const key = rowKey(m);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new InputError(
        `${manifestPath}, rows ${first} and ${row}, columns "patient", "reader", "reading": duplicate ` +
          `patient ${m.patient} × reader ${m.reader} × reading ${m.reading} (each must appear once)`,
      );
    }
    seen.set(key, row);
    out.push(m);
  }
  return out;
}

/** The rows already in an output file, keyed by patient × reader × reading, with their exact text. */
interface ExistingOutput {
  header: string[] | null;
  headerLine: string | null;
  lines: Map<string, string>;
  /** Keys in file order (for rows not in the manifest). */
  order: string[];
}

/**
 * Reads an earlier (possibly interrupted, unsorted) output. A last line without its newline was cut
 * off mid-write: it is dropped and the file truncated to the last complete row.
 */
function readExistingOutput(outPath: string): ExistingOutput {
  const none: ExistingOutput = { header: null, headerLine: null, lines: new Map(), order: [] };
  if (!existsSync(outPath)) return none;
  let text = readFileSync(outPath, "utf8");
  if (text.length > 0 && !text.endsWith("\n")) {
    const cut = text.lastIndexOf("\n") + 1;
    text = text.slice(0, cut);
    truncateSync(outPath, Buffer.byteLength(text));
  }
  const raw = text.split("\n").filter((l) => l !== "");
  if (raw.length === 0) return none;
  const [headerLine, ...body] = raw;
  const header = parseCsvText(headerLine, outPath)[0];
  if (!KEY_COLUMNS.every((c, j) => header[j] === c)) {
    throw new InputError(
      `${outPath}: exists and does not start with the columns ${KEY_COLUMNS.join(", ")} (it has ${header.slice(0, 3).join(", ")}); ` +
        `it is not a radsurv extract output — move it away or choose another --out`,
    );
  }
  const lines = new Map<string, string>();
  const order: string[] = [];
  body.forEach((line, i) => {
    const f = parseCsvText(line, `${outPath} row ${i + 2}`)[0];
    if (f.length !== header.length) {
      throw new InputError(`${outPath}, row ${i + 2}: ${f.length} fields, the header has ${header.length}; the file is damaged`);
    }
    const key = rowKey({ patient: f[0], reader: f[1], reading: f[2] });
    if (lines.has(key)) return; // a row written twice (two runs on one file at once): the first one stands
    lines.set(key, line);
    order.push(key);
  });
  return { header, headerLine, lines, order };
}

/** The compiled worker next to this module (dist/features/extractWorker.js); from source (tsx) the .ts file. */
export function workerFile(): string {
  const self = fileURLToPath(import.meta.url);
  return self.endsWith(".ts") ? self.replace(/extractCohort\.ts$/, "extractWorker.ts") : self.replace(/extractCohort\.js$/, "extractWorker.js");
}

function checkWorkers(w: number | undefined): void {
  if (w !== undefined && !(Number.isInteger(w) && w >= 1)) throw new InputError(`workers must be a whole number >= 1, got ${w}`);
}

export async function extractCohort(manifestPath: string, options: ExtractCohortOptions): Promise<ExtractCohortResult> {
  checkWorkers(options.workers);
  const settings = options.settings ?? {};
  const resolved = resolveSettings(settings); // fail on a bad setting before starting any thread
  const rows = readManifest(manifestPath);
  const outPath = resolve(options.outPath);
  const errorsPath = `${outPath}.errors.csv`;
  const settingsPath = `${outPath}.settings.json`;
  const settingsText = JSON.stringify(resolved, null, 2) + "\n";

  const existing = readExistingOutput(outPath);
  if (existing.header && existsSync(settingsPath)) {
    const before = readFileSync(settingsPath, "utf8");
    if (before !== settingsText) {
      let shown = before.trim();
      try {
        shown = JSON.stringify(JSON.parse(before));
      } catch {
        // a damaged settings file is shown as it is
      }
      throw new InputError(
        `${outPath} was extracted with other settings (${settingsPath}: ${shown}; now ${JSON.stringify(resolved)}); ` +
          `rerun with the same settings to resume, or choose another --out`,
      );
    }
  }
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(settingsPath, settingsText);

  const todo = rows.filter((r) => !existing.lines.has(rowKey(r)));
  const skipped = rows.length - todo.length;
  const inManifest = new Set(rows.map(rowKey));
  const extraRows = existing.order.filter((k) => !inManifest.has(k)).length;

  let header = existing.header;
  const computed = new Map<string, string>();
  const errors: Array<CohortRowError & { index: number }> = [];
  const warnings: Array<ExtractCohortResult["warnings"][number] & { index: number }> = [];
  const workers = todo.length === 0 ? 0 : Math.min(options.workers ?? availableParallelism(), todo.length);

  options.onStart?.({ total: todo.length, skipped, workers });
  if (todo.length > 0) {
    const pool = new Piscina<ExtractTask, ExtractTaskResult>({
      filename: workerFile(),
      minThreads: workers,
      maxThreads: workers,
    });
    let done = 0;
    const finish = (r: ManifestRow, index: number, result: ExtractTaskResult): void => {
      const id = { patient: r.patient, reader: r.reader, reading: r.reading };
      if (result.ok) {
        const features = result.features;
        const names = Object.keys(features);
        if (header === null) {
          // First row of a new file: its feature order (extractFeatures' order) is the column order.
          header = [...KEY_COLUMNS, ...names];
          writeFileSync(outPath, header.map(csvField).join(",") + "\n");
        }
        const expected = header.slice(KEY_COLUMNS.length);
        const missing = expected.filter((n) => !(n in features));
        const extra = names.filter((n) => !expected.includes(n));
        if (missing.length > 0 || extra.length > 0) {
          const list = (a: string[]) => a.slice(0, 5).join(", ") + (a.length > 5 ? `, … (${a.length})` : "");
          result = {
            ok: false,
            file: r.maskPath,
            kind: "InputError",
            message:
              `features differ from the output's columns (${outPath})` +
              (missing.length ? `; missing: ${list(missing)}` : "") +
              (extra.length ? `; not in the header: ${list(extra)}` : ""),
          };
        } else {
          const line = [r.patient, r.reader, r.reading].map(csvField).concat(expected.map((n) => formatFeature(features[n]))).join(",");
          // Appended at once: an interruption loses only the rows still in the threads.
          appendFileSync(outPath, line + "\n");
          computed.set(rowKey(r), line);
          if (result.warnings.length > 0) warnings.push({ ...id, warnings: result.warnings, index });
        }
      }
      if (!result.ok) errors.push({ ...id, file: result.file, message: result.message, index });
      done++;
      options.onProgress?.({ done, failed: errors.length, total: todo.length, skipped, last: id });
    };
    try {
      await Promise.all(
        todo.map((r, index) => {
          const task: ExtractTask = { imagePath: r.imagePath, maskPath: r.maskPath, settings };
          if (r.roi !== undefined) task.roi = r.roi;
          return pool.run(task).then(
            (result) => finish(r, index, result),
            // The worker itself died (out of memory, a native crash): that row fails, the others go on.
            (e: unknown) =>
              finish(r, index, { ok: false, file: r.imagePath, kind: "WorkerError", message: `worker thread failed: ${e instanceof Error ? e.message : String(e)}` }),
          );
        }),
      );
    } finally {
      await pool.destroy();
    }
  }

  // Final file in manifest order (rows not in the manifest after them, as found), written whole and
  // renamed over the output so that an interruption here leaves the appended file intact.
  if (header !== null) {
    const lines: string[] = [existing.headerLine ?? header.map(csvField).join(",")];
    for (const r of rows) {
      const k = rowKey(r);
      const line = existing.lines.get(k) ?? computed.get(k);
      if (line !== undefined) lines.push(line);
    }
    for (const k of existing.order) if (!inManifest.has(k)) lines.push(existing.lines.get(k)!);
    const tmp = `${outPath}.tmp-${process.pid}`;
    writeFileSync(tmp, lines.join("\n") + "\n");
    renameSync(tmp, outPath);
  }

  errors.sort((a, b) => a.index - b.index);
  warnings.sort((a, b) => a.index - b.index);
  if (errors.length > 0) {
    const cols = ["patient", "reader", "reading", "file", "message"] as const;
    writeFileSync(errorsPath, [cols.join(","), ...errors.map((e) => cols.map((c) => csvField(e[c])).join(","))].join("\n") + "\n");
  } else if (existsSync(errorsPath) && statSync(errorsPath).isFile()) {
    rmSync(errorsPath); // from an earlier run whose failed rows have now gone through
  }

  return {
    done: computed.size,
    skipped,
    failed: errors.length,
    total: rows.length,
    outPath,
    errorsPath: errors.length > 0 ? errorsPath : null,
    errors: errors.map(({ index: _index, ...e }) => e),
    warnings: warnings.map(({ index: _index, ...w }) => w),
    workers,
    extraRows,
  };
}
