/**
 * Reads a configured study from disk: the clinical CSV (predictors coded as the config says) and the
 * extracted features (one row per patient × reader × reading). Patients who cannot be analysed —
 * a missing value in a column the analysis needs, or not all four readings — are dropped and named
 * in `dropped`, never silently.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { parseCsv, type Table } from "../table/csv.js";
import type { PredictorSpec, StudyConfig } from "./config.js";
import type { StudyFeatures, StudyPatient } from "./types.js";

export interface LoadedStudy {
  patients: StudyPatient[];
  features: StudyFeatures;
  labels: Record<string, string>;
  dropped: { id: string; reason: string }[];
}

const READINGS = [["1", "1"], ["1", "2"], ["2", "1"], ["2", "2"]] as const;

function column(t: Table, name: string): ArrayLike<unknown> {
  const c = t.data[name];
  if (c === undefined) throw new InputError(`${t.source}: no column "${name}" (columns: ${t.columns.join(", ")})`);
  return c;
}

const missing = (v: unknown) => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));

function code(spec: PredictorSpec, v: unknown, where: string): number {
  if (spec.level !== undefined) return String(v) === String(spec.level) ? 1 : 0;
  const x = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(x)) throw new InputError(`${where}: "${v}" is not a number`);
  if (spec.atLeast !== undefined) return x >= spec.atLeast ? 1 : 0;
  if (spec.atMost !== undefined) return x <= spec.atMost ? 1 : 0;
  return x;
}

export function loadStudy(config: StudyConfig, clinicalPath: string, featuresPath: string): LoadedStudy {
  const clin = parseCsv(readFileSync(clinicalPath, "utf8"), clinicalPath);
  const { id, time, status, split } = config.columns;
  const ids = column(clin, id);
  const times = column(clin, time);
  const statuses = column(clin, status);
  const splits = column(clin, split);
  const eventValue = String(config.eventValue ?? 1);
  const splitValues = config.splitValues ?? { training: "training", validation: "validation" };
  const predictorColumns = Object.fromEntries(Object.entries(config.predictors).map(([k, spec]) => [k, column(clin, spec.column)]));
  const dropped: LoadedStudy["dropped"] = [];
  const patients: StudyPatient[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < clin.nRows; i++) {
    const pid = String(ids[i]);
    const row = i + 2;
    if (missing(ids[i])) throw new InputError(`${clinicalPath}: row ${row} has no ${id}`);
    if (seen.has(pid)) throw new InputError(`${clinicalPath}: ${id} "${pid}" appears twice`);
    seen.add(pid);
    const absent = [time, status, split, ...Object.values(config.predictors).map((p) => p.column)].filter((c) => missing(clin.data[c][i]));
    if (absent.length) {
      dropped.push({ id: pid, reason: `missing ${[...new Set(absent)].join(", ")} in ${clinicalPath}` });
      continue;
    }
    const t = Number(times[i]);
    if (!(t >= 0)) throw new InputError(`${clinicalPath}: row ${row} (${pid}): ${time} is ${times[i]}, need a time ≥ 0`);
    const sp = String(splits[i]);
    const cohort = sp === splitValues.training ? "training" : sp === splitValues.validation ? "validation" : null;
    if (!cohort) throw new InputError(`${clinicalPath}: row ${row} (${pid}): ${split} is "${sp}", expected "${splitValues.training}" or "${splitValues.validation}"`);
    const clinical: Record<string, number> = {};
    for (const [k, spec] of Object.entries(config.predictors)) clinical[k] = code(spec, predictorColumns[k][i], `${clinicalPath}: row ${row} (${pid}), column ${spec.column}`);
    patients.push({ id: pid, time: t, status: String(statuses[i]) === eventValue ? 1 : 0, split: cohort, clinical });
  }
  const feat = parseCsv(readFileSync(featuresPath, "utf8"), featuresPath);
  const names = feat.columns.filter((c) => !["patient", "reader", "reading"].includes(c));
  const fp = column(feat, "patient"), fr = column(feat, "reader"), fm = column(feat, "reading");
  const byKey = new Map<string, Float64Array>();
  for (let i = 0; i < feat.nRows; i++) {
    byKey.set(`${fp[i]}|${fr[i]}|${fm[i]}`, Float64Array.from(names, (n) => {
      const v = feat.data[n][i];
      return typeof v === "number" ? v : NaN;
    }));
  }
  const readings = new Map<string, Float64Array[]>();
  const kept: StudyPatient[] = [];
  for (const p of patients) {
    const r = READINGS.map(([reader, reading]) => byKey.get(`${p.id}|${reader}|${reading}`));
    const absent = READINGS.filter((_, k) => !r[k]).map(([a, b]) => `reader ${a} reading ${b}`);
    if (absent.length) {
      dropped.push({ id: p.id, reason: `no features for ${absent.join(", ")} in ${featuresPath}` });
      continue;
    }
    readings.set(p.id, r as Float64Array[]);
    kept.push(p);
  }
  const labels = Object.fromEntries(Object.entries(config.predictors).map(([k, s]) => [k, s.label ?? k]));
  return { patients: kept, features: { names, readings }, labels, dropped };
}
