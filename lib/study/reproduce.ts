/**
 * `radsurv reproduce`: the whole study in one command. Twin cohort (generated or cached) → flow →
 * extraction → analysis (lib/study/analyse.ts) → honest validation → results.json, report.html,
 * nomogram.html, figures/*.svg|png, executed notebooks. `--config study.json` runs the same pipeline
 * on a user's own study. Same seed → byte-identical results.json.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { InputError } from "../errors.js";
import { exclusionFlow, type ExclusionFlow } from "../cohort/exclusionFlow.js";
import { baselineTable } from "../cohort/baselineTable.js";
import { paperCriteria, twinTables } from "../twin/cohort.js";
import { extractCohort } from "../features/extractCohort.js";
import { createProgress } from "../report/progress.js";
import { renderReport } from "../report/html.js";
import { exportFigures } from "../report/exportFigures.js";
import { nomogramCalculator } from "../report/nomogramCalculator.js";
import { analyseStudy } from "./analyse.js";
import { availableParallelism } from "node:os";
import { honestValidationParallel } from "./honest.js";
import { studyEstimates, publishedVsReproduced } from "./results.js";
import { studyFigures } from "./figures.js";
import { studyReport } from "./report.js";
import { reportingChecklist } from "./checklist.js";
import { prepareTwin, projectRoot } from "./prepare.js";
import { loadStudy, type LoadedStudy } from "./load.js";
import { defaultStudySettings, type StudySettings } from "./types.js";
import type { StudyConfig } from "./config.js";

export interface ReproduceOptions {
  out: string;
  seed: number;
  config?: string;
  workers?: number;
  notebooks?: boolean;
  figures?: boolean;
  /** Override analysis settings (e.g. fewer bootstrap resamples in tests). */
  settings?: Partial<StudySettings>;
  log?: (text: string) => void;
}

export interface ReproduceSummary {
  out: string;
  files: string[];
  seconds: number;
  peakMemoryMb: number;
  notebooksOk: boolean;
}

const run = promisify(execFile);

function gitCommit(): string | null {
  try {
    const head = readFileSync(join(projectRoot, ".git", "HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) return head;
    const ref = head.slice(5);
    const loose = join(projectRoot, ".git", ref);
    if (existsSync(loose)) return readFileSync(loose, "utf8").trim();
    const packed = readFileSync(join(projectRoot, ".git", "packed-refs"), "utf8").split("\n").find((l) => l.endsWith(` ${ref}`));
    return packed ? packed.split(" ")[0] : null;
  } catch {
    return null;
  }
}

/** JSON with numbers rounded to 12 significant digits: stable across platforms' last-bit differences, and readable. */
function stableJson(x: unknown): string {
  return JSON.stringify(x, (_, v) => (typeof v === "number" ? (Number.isFinite(v) ? (Number.isInteger(v) ? v : Number(v.toPrecision(12))) : null) : v), 2) + "\n";
}

async function loadConfigured(path: string, workers: number | undefined, log: (t: string) => void): Promise<{ study: LoadedStudy; config: StudyConfig }> {
  const file = resolve(path);
  let config: StudyConfig;
  try {
    config = JSON.parse(readFileSync(file, "utf8")) as StudyConfig;
  } catch (e) {
    throw new InputError(`--config ${path}: cannot read it as JSON (${(e as Error).message})`);
  }
  for (const k of ["clinical", "manifest", "columns", "predictors"] as const) {
    if (config[k] === undefined) throw new InputError(`--config ${path}: "${k}" is missing`);
  }
  const base = dirname(file);
  const featuresPath = join(base, "features.csv");
  let bar: ReturnType<typeof createProgress> | null = null;
  const ex = await extractCohort(join(base, config.manifest), {
    outPath: featuresPath, settings: config.extract ?? {}, workers,
    onStart: ({ total }) => { if (total) bar = createProgress(total, { label: "feature extraction" }); },
    onProgress: (p) => bar?.update(p.done),
  });
  (bar as ReturnType<typeof createProgress> | null)?.finish();
  if (ex.failed) log(`${ex.failed} extraction rows failed (see ${ex.errorsPath}); those patients are dropped\n`);
  return { study: loadStudy(config, join(base, config.clinical), featuresPath), config };
}

export async function reproduce(opts: ReproduceOptions): Promise<ReproduceSummary> {
  const t0 = performance.now();
  const log = opts.log ?? ((t: string) => process.stderr.write(t));
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const stage = (name: string) => log(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${name}\n`);

  let study: LoadedStudy;
  let title: string;
  let flow: ExclusionFlow | null = null;
  let baseline: Record<string, string>[] | null = null;
  if (opts.config) {
    stage(`study from ${opts.config}`);
    const c = await loadConfigured(opts.config, opts.workers, log);
    study = c.study;
    title = c.config.title ?? opts.config;
  } else {
    stage("twin cohort and feature extraction");
    const twin = await prepareTwin({ seed: opts.seed, workers: opts.workers });
    study = twin;
    title = `the synthetic twin cohort (seed ${opts.seed})`;
    const tables = twinTables(opts.seed);
    flow = exclusionFlow(tables.screening, paperCriteria());
    const rows = tables.clinical.map((c) => ({ ...c, cohort: c.split === "training" ? "Training" : "Validation", bclcStage: `BCLC ${c.bclc}`, afpLevel: c.afpHigh ? "≥ 400 ng/mL" : "< 400 ng/mL", interval: c.intervalShort ? "≤ 14 days" : "> 14 days" }));
    baseline = baselineTable(rows, "cohort", [
      { name: "age", label: "Age, years", type: "continuous" },
      { name: "sex", label: "Sex", type: "categorical" },
      { name: "hbv", label: "HBV infection", type: "categorical" },
      { name: "childPugh", label: "Child–Pugh class", type: "categorical" },
      { name: "bclcStage", label: "BCLC stage", type: "categorical" },
      { name: "afp", label: "AFP, ng/mL", type: "continuous", summary: "median" },
      { name: "afpLevel", label: "AFP level", type: "categorical" },
      { name: "tumourSize", label: "Tumour size, cm", type: "continuous" },
      { name: "interval", label: "TACE–RFA interval", type: "categorical" },
    ]).formatted;
  }
  const settings: StudySettings = { ...defaultStudySettings(opts.seed), labels: study.labels, ...opts.settings };

  const result = analyseStudy(study.patients, study.features, settings, (s) => stage(s));
  stage(`honest validation: whole pipeline in ${settings.pipelineBootstrap} bootstrap resamples`);
  const bar = createProgress(settings.pipelineBootstrap, { label: "honest validation" });
  const workers = Math.max(1, opts.workers ?? availableParallelism());
  const honest = await honestValidationParallel(study.patients, study.features, result, settings, workers, (d) => bar.update(d));
  bar.finish();

  stage("results, report, figures");
  const estimates = studyEstimates(result, honest);
  const comparisons = publishedVsReproduced(estimates);
  const commit = gitCommit();
  const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
  const provenance = {
    radsurv: pkg.version,
    gitCommit: commit,
    seed: opts.seed,
    study: title,
    node: process.versions.node.split(".")[0],
    dependencies: pkg.dependencies,
    settings: { ...settings, labels: undefined },
    foldid: result.signature.cv.foldid,
  };
  const checklist = reportingChecklist(result, flow, honest, { gitCommit: commit, dropped: study.dropped.length });
  const results = {
    provenance,
    flow: flow && { screened: flow.nScreened, steps: flow.steps.map((s) => ({ id: s.id, label: s.label, excluded: s.nExcluded, remaining: s.nAfter, excludedIds: s.excluded, missing: s.missing })), analysed: flow.nIncluded },
    split: result.ids,
    dropped: study.dropped,
    estimates,
    publishedVsReproduced: comparisons,
    features: {
      kept: result.signature.kept.length,
      selected: result.signature.radScore.terms.map((t, k) => ({ feature: t.feature, lassoCoef: result.signature.lassoCoef[k], coxCoef: t.coef, hr: t.hr, p: t.p })),
      radScoreConstant: result.signature.radScore.constant,
      selectedLogistic: result.logistic.selected,
    },
    models: Object.fromEntries(Object.entries(result.models).map(([k, m]) => [k, { terms: m.terms, coef: m.fit.coef, se: m.fit.se, hr: m.fit.hr, cindex: m.cindex }])),
    nomogram: { baseline: result.nomogram.survival.map((a) => ({ t: a.t, S0: a.baseline })) },
    honest: { ...honest, failures: honest.failures },
    checklist,
    warnings: result.warnings,
  };
  const files: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(out, name), text);
    files.push(name);
  };
  write("results.json", stableJson(results));
  const figures = studyFigures(result, flow);
  write("report.html", renderReport(studyReport({ title, result, flow, baseline, honest, comparisons, checklist, figures, provenance, dropped: study.dropped })));
  write("nomogram.html", nomogramCalculator(result.nomogram, result.models.combined.fit));
  if (opts.figures !== false) {
    const ex = await exportFigures(figures.map((f) => ({ name: f.name, figure: f.figure })), join(out, "figures"));
    if (ex.skipped) log(`static figures skipped: ${ex.skipped}\n`);
    files.push(...ex.files.map((f) => relative(out, f)));
  }
  let notebooksOk = true;
  if (opts.notebooks !== false) {
    stage("notebooks");
    notebooksOk = await runNotebooks(join(out, "notebooks"), log);
  }
  const seconds = (performance.now() - t0) / 1000;
  const peakMemoryMb = process.resourceUsage().maxRSS / 1024;
  log(`\nreproduced in ${seconds.toFixed(1)} s (peak memory ${peakMemoryMb.toFixed(0)} MB): ${files.length} files in ${out}\n`);
  for (const c of comparisons.filter((c) => c.ours !== null)) {
    log(`  ${c.label.padEnd(56)} paper ${String(c.paper).padStart(6)}   ours ${Number(c.ours!.toPrecision(3)).toString().padStart(6)}${c.inPaperCi === null ? "" : c.inPaperCi ? "   in paper's CI" : "   outside paper's CI"}\n`);
  }
  return { out, files, seconds, peakMemoryMb, notebooksOk };
}

/** Runs every notebook (two at a time) in its own process into `dir`. */
async function runNotebooks(dir: string, log: (t: string) => void): Promise<boolean> {
  const nbDir = join(projectRoot, "notebooks");
  const cli = join(projectRoot, "dist", "cli.js");
  const list = readdirSync(nbDir).filter((f) => f.endsWith(".ipynb")).sort();
  let ok = true;
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const f = list[next++];
      try {
        await run(process.execPath, [cli, "notebook", join(nbDir, f), "--out", dir], { maxBuffer: 64 << 20 });
        log(`  notebook ${f}: ok\n`);
      } catch (e) {
        ok = false;
        log(`  notebook ${f}: FAILED\n${(e as { stderr?: string }).stderr ?? (e as Error).message}\n`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return ok;
}
