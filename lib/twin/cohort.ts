/**
 * The twin cohort's tables: 452 screened patients whose attributes make the paper's exclusion
 * flow come out exactly (86, 73, 22, 58, 66, 34 → 113) for any seed, and the 113 analysed patients'
 * clinical data with progression-free survival drawn from a Weibull proportional-hazards model
 * with the paper's effects. A latent radiomic phenotype per patient drives both the hazard and
 * (in images.ts) the tumour texture.
 */
import { design } from "./design.js";
import { createRng, type Rng } from "../random/rng.js";
import { qnorm } from "../stats/distributions.js";
import { rule, type Criterion } from "../cohort/exclusionFlow.js";
import { splitCohort } from "../cohort/split.js";

export interface ScreeningRow {
  [key: string]: string | number;
  id: string;
  intervalDays: number;
  bclc: "A" | "B" | "C" | "D";
  childPugh: "A" | "B" | "C";
  /** 1 = yes, 0 = no (numbers, so the CSV reads back the same). */
  mriPretreatment: 0 | 1;
  mriFollowUp: 0 | 1;
  lostToFollowUp: 0 | 1;
  lesionAdequate: 0 | 1;
}

export interface ClinicalRow {
  id: string;
  age: number;
  sex: "M" | "F";
  hbv: "yes" | "no";
  childPugh: "A" | "B";
  bclc: "B" | "C";
  afp: number;
  afpHigh: 0 | 1;
  tumourSize: number;
  lesions: number;
  intervalDays: number;
  intervalShort: 0 | 1;
  pfsMonths: number;
  progression: 0 | 1;
  split: "training" | "validation";
}

/** The truth behind the data (never read by the pipeline; for the reviewer and the image generator). */
export interface LatentRow {
  id: string;
  phenotype: number;
  radiomicHigh: 0 | 1;
  eventMonths: number;
  censorMonths: number;
}

export interface TwinTables {
  seed: number;
  screening: ScreeningRow[];
  clinical: ClinicalRow[];
  latent: LatentRow[];
}

/** The paper's criteria I–VI as rules on screening.csv's columns. */
export function paperCriteria(): Criterion[] {
  const [c1, c2, c3, c4, c5, c6] = design.exclusions;
  return [
    rule(c1.id, c1.label, "intervalDays", ">", 60),
    rule(c2.id, c2.label, "bclc", "in", ["A", "D"]),
    rule(c3.id, c3.label, "childPugh", "==", "C"),
    {
      id: c4.id,
      label: c4.label,
      columns: ["mriPretreatment", "mriFollowUp"],
      exclude: (r) => r.mriPretreatment !== 1 || r.mriFollowUp !== 1,
    },
    rule(c5.id, c5.label, "lostToFollowUp", "==", 1),
    rule(c6.id, c6.label, "lesionAdequate", "==", 0),
  ];
}

const bern = (rng: Rng, p: number) => rng.uniform() < p;
const between = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
const pad = (i: number) => `P${String(i + 1).padStart(3, "0")}`;

/**
 * Screening attributes. Each patient gets the criterion that first excludes them (a shuffled list
 * with the paper's counts); earlier criteria are passed, that one is failed, later ones are drawn
 * freely (they are never reached, as in a real flow).
 */
function screening(rng: Rng): ScreeningRow[] {
  const fate: number[] = [];
  design.exclusions.forEach((c, k) => fate.push(...new Array(c.n).fill(k)));
  fate.push(...new Array(design.analysed).fill(design.exclusions.length));
  rng.shuffle(fate);
  const p = design.prevalence;
  return fate.map((f, i) => {
    const pass = (k: number) => (k < f ? true : k === f ? false : bern(rng, 0.8));
    const intervalDays = pass(0)
      ? bern(rng, p.intervalShort) ? between(rng, 3, design.intervalShortDays) : between(rng, design.intervalShortDays + 1, 60)
      : between(rng, 61, 200);
    const bclc = pass(1) ? (bern(rng, p.bclcC) ? "C" : "B") : bern(rng, 0.8) ? "A" : "D";
    const childPugh = pass(2) ? (bern(rng, p.childPughB) ? "B" : "A") : "C";
    let mriPretreatment: 0 | 1 = 1;
    let mriFollowUp: 0 | 1 = 1;
    if (!pass(3)) {
      if (bern(rng, 0.6)) mriPretreatment = 0;
      else mriFollowUp = 0;
    }
    return {
      id: pad(i),
      intervalDays,
      bclc,
      childPugh,
      mriPretreatment,
      mriFollowUp,
      lostToFollowUp: pass(4) ? 0 : 1,
      lesionAdequate: pass(5) ? 1 : 0,
    } as ScreeningRow;
  });
}

/**
 * Weibull scale λ such that the low-risk group's marginal median PFS equals the design's, over the
 * design's prevalences of BCLC C, high AFP and short interval (bisection on the marginal survival).
 */
export function baselineScale(): number {
  const { hazardRatios: hr, prevalence: p, weibullShape: k, medianLowRisk: m } = design;
  const combos: { w: number; rr: number }[] = [];
  for (const c of [0, 1]) for (const a of [0, 1]) for (const s of [0, 1]) {
    const w = (c ? p.bclcC : 1 - p.bclcC) * (a ? p.afpHigh : 1 - p.afpHigh) * (s ? p.intervalShort : 1 - p.intervalShort);
    combos.push({ w, rr: hr.bclcC ** c * hr.afpHigh ** a * hr.intervalShort ** s });
  }
  const survAtMedian = (lambda: number) => combos.reduce((acc, { w, rr }) => acc + w * Math.exp(-lambda * rr * m ** k), 0);
  let lo = 1e-6, hi = 10;
  for (let it = 0; it < 200; it++) {
    const mid = Math.sqrt(lo * hi);
    if (survAtMedian(mid) > 0.5) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Generates the twin cohort's tables for a seed. */
export function twinTables(seed: number): TwinTables {
  const root = createRng(seed);
  // Separate streams, so that changing one part of the generator leaves the others' draws intact.
  const rScreen = root.fork();
  const rClin = root.fork();
  const rSplit = root.fork();
  const screen = screening(rScreen);
  const analysedIds = new Set(screen.filter((r) => isAnalysed(r)).map((r) => r.id));
  const p = design.prevalence;
  const hr = design.hazardRatios;
  const lambda = baselineScale();
  const zCut = qnorm(1 - p.radiomicHigh);
  const clinical: Omit<ClinicalRow, "split">[] = [];
  const latent: LatentRow[] = [];
  for (const s of screen) {
    if (!analysedIds.has(s.id)) continue;
    const phenotype = rClin.normal();
    const radiomicHigh = phenotype > zCut ? 1 : 0;
    const afpHigh = bern(rClin, p.afpHigh) ? 1 : 0;
    // AFP log-normal within its class (ng/mL), whole numbers as labs report them.
    const afp = afpHigh
      ? Math.max(design.afpHighCutoff, Math.round(Math.exp(Math.log(1500) + 0.9 * rClin.normal())))
      : Math.min(design.afpHighCutoff - 1, Math.max(1, Math.round(Math.exp(Math.log(25) + 1.3 * rClin.normal()))));
    const intervalShort = s.intervalDays <= design.intervalShortDays ? 1 : 0;
    const bclcC = s.bclc === "C" ? 1 : 0;
    // Larger, more multifocal tumours with the aggressive phenotype (size is not in the hazard: the paper did not retain it).
    const tumourSize = round1(Math.min(12, Math.max(1, Math.exp(Math.log(3.4) + 0.12 * phenotype + 0.35 * rClin.normal()))));
    const lesions = 1 + (bern(rClin, 0.45) ? 1 : 0) + (bern(rClin, 0.2) ? 1 : 0);
    const lp =
      bclcC * Math.log(hr.bclcC) + afpHigh * Math.log(hr.afpHigh) + intervalShort * Math.log(hr.intervalShort) + radiomicHigh * Math.log(hr.radiomicHigh);
    const eventMonths = (rClin.exponential() / (lambda * Math.exp(lp))) ** (1 / design.weibullShape);
    const enrolled = rClin.uniform() * design.enrolmentMonths;
    const administrative = design.enrolmentMonths + design.extraFollowUpMonths - enrolled;
    const dropout = rClin.exponential() / design.dropoutRate;
    const censorMonths = Math.min(administrative, dropout);
    const progression = eventMonths <= censorMonths ? 1 : 0;
    clinical.push({
      id: s.id,
      age: Math.round(Math.min(85, Math.max(28, 56 + 10 * rClin.normal()))),
      sex: bern(rClin, p.male) ? "M" : "F",
      hbv: bern(rClin, p.hbv) ? "yes" : "no",
      childPugh: s.childPugh as "A" | "B",
      bclc: s.bclc as "B" | "C",
      afp,
      afpHigh,
      tumourSize,
      lesions,
      intervalDays: s.intervalDays,
      intervalShort,
      pfsMonths: Math.max(0.1, round1(Math.min(eventMonths, censorMonths))),
      progression,
    });
    latent.push({ id: s.id, phenotype, radiomicHigh, eventMonths, censorMonths });
  }
  const split = splitCohort(
    clinical.map((c) => c.id),
    { sizes: [design.training, design.validation], seed: rSplit.int(2 ** 31), stratify: clinical.map((c) => c.progression) },
  );
  return {
    seed,
    screening: screen,
    clinical: clinical.map((c, i) => ({ ...c, split: split.assignment[i] })),
    latent,
  };
}

function isAnalysed(r: ScreeningRow): boolean {
  return paperCriteria().every((c) => !c.exclude(r));
}
