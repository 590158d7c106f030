/**
 * Settings of extractFeatures (API.md "imaging and features") and their validation. Every check throws
 * an InputError that names the parameter (e.g. `settings.discretisation.bins`), so a user with a typo in a
 * JSON settings file sees where it is.
 *
 * Defaults (documented choices):
 * - discretisation: FBN with 32 bins (IBSI configurations B, D, E; a safe choice for any modality,
 *   because FBS needs a bin width that makes sense for the image's units). The "ak396" and "pyradiomics"
 *   profiles have their own defaults when it is absent (FBN 256; pyradiomics' bin width 25).
 * - ivhDiscretisation: "none" (IBSI's "calibrated, discrete" case: the intensities themselves, which must be
 *   integers, e.g. HU after rounding), as in IBSI configurations A, B and D. When it is not given and the
 *   ROI intensities are not integers (MR, unrounded interpolation), extractFeatures uses FBN 1000 bins
 *   (IBSI's arbitrary-units case) and says so in `warnings`.
 * - distance: 1 (Chebyshev distance for GLCM, NGTDM and NGLDM).
 * - textureDimensions: "all" (2-D, 2.5-D and 3-D aggregations). IBSI's 2-D extraction (configurations A, B)
 *   corresponds to "2D" (keys `_2D_avg`, `_2D_comb`, `_2_5D_avg`, `_2_5D_comb`, `_2D`, `_2_5D`); its 3-D
 *   extraction (C–E) to "3D" (`_3D_avg`, `_3D_comb`, `_3D`).
 * - profile: "ibsi" (MIRP tags as keys).
 * - resample: none. When given, `interpolation` is required; `maskInterpolation` defaults to "linear",
 *   `maskThreshold` to 0.5, `roundIntensities` to false.
 * - resegment: none.
 */
import { InputError } from "../errors.js";

export type DiscretisationMethod = "none" | "FBN" | "FBS";

export interface DiscretisationSettings {
  method: DiscretisationMethod;
  /** FBN: number of bins (integer >= 1). */
  bins?: number;
  /** FBS: bin width in intensity units (> 0). */
  binWidth?: number;
  /** FBS: lower bound of the first bin; default the re-segmentation range's lower end, else the ROI minimum. */
  lowerBound?: number;
}

export type InterpolationMethod = "nearest" | "linear" | "cubic";

export interface ResampleSettings {
  /** New voxel spacing in mm: [x, y] resamples in-plane only (slice spacing kept, IBSI 2-D), [x, y, z] in 3-D. */
  spacing: number[];
  interpolation: InterpolationMethod;
  /** Round interpolated intensities to the nearest integer (IBSI, for CT in HU). Default false. */
  roundIntensities?: boolean;
  /** Mask interpolator; default "linear". */
  maskInterpolation?: InterpolationMethod;
  /** Partial-volume threshold in (0, 1]; default 0.5. */
  maskThreshold?: number;
}

export interface ResegmentSettings {
  /** Keep ROI voxels with low <= intensity <= high; null leaves that side open. */
  range?: [number | null, number | null];
  /** Keep ROI voxels within mean ± outlierSigma × SD (combined with `range`: the intersection). */
  outlierSigma?: number;
}

/** Which texture aggregations to compute: "2D" = IBSI 2-D and 2.5-D, "3D" = IBSI 3-D, "all" = both. */
export type TextureDimensions = "2D" | "3D" | "all";

export type FeatureProfile = "ibsi" | "ak396" | "pyradiomics";

export interface ExtractSettings {
  discretisation?: DiscretisationSettings;
  ivhDiscretisation?: DiscretisationSettings;
  resample?: ResampleSettings;
  resegment?: ResegmentSettings;
  /** Chebyshev distance of GLCM, NGTDM and NGLDM (integer >= 1). Default 1. */
  distance?: number;
  textureDimensions?: TextureDimensions;
  profile?: FeatureProfile;
}

/**
 * Settings after defaults are filled in (what extractFeatures actually used, returned as `settings`).
 * A ResolvedSettings is also a valid ExtractSettings (the profiles receive it as such).
 */
export interface ResolvedSettings {
  discretisation: DiscretisationSettings;
  ivhDiscretisation: DiscretisationSettings;
  /** Absent: no resampling. */
  resample?: Required<ResampleSettings>;
  /** Absent: no re-segmentation. */
  resegment?: ResegmentSettings;
  distance: number;
  textureDimensions: TextureDimensions;
  profile: FeatureProfile;
}

export const DEFAULT_DISCRETISATION: DiscretisationSettings = { method: "FBN", bins: 32 };

const KNOWN_KEYS = ["discretisation", "ivhDiscretisation", "resample", "resegment", "distance", "textureDimensions", "profile"];

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const show = (x: unknown): string => (typeof x === "string" ? `"${x}"` : JSON.stringify(x) ?? String(x));

function unknownKeys(obj: Record<string, unknown>, known: string[], where: string): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k) && obj[k] !== undefined) {
      throw new InputError(`${where}: unknown setting "${k}" (known: ${known.join(", ")})`);
    }
  }
}

function discretisationOf(x: unknown, where: string): DiscretisationSettings {
  if (!isObject(x)) throw new InputError(`${where} must be an object { method, bins?, binWidth?, lowerBound? }, got ${show(x)}`);
  unknownKeys(x, ["method", "bins", "binWidth", "lowerBound"], where);
  const method = x.method;
  if (method !== "none" && method !== "FBN" && method !== "FBS") {
    throw new InputError(`${where}.method must be "none", "FBN" or "FBS", got ${show(method)}`);
  }
  const out: DiscretisationSettings = { method };
  if (method === "FBN") {
    const bins = x.bins;
    if (bins === undefined) throw new InputError(`${where}.bins is required for FBN`);
    if (typeof bins !== "number" || !Number.isInteger(bins) || bins < 1) {
      throw new InputError(`${where}.bins must be an integer >= 1, got ${show(bins)}`);
    }
    out.bins = bins;
  }
  if (method === "FBS") {
    const w = x.binWidth;
    if (w === undefined) throw new InputError(`${where}.binWidth is required for FBS`);
    if (typeof w !== "number" || !Number.isFinite(w) || w <= 0) {
      throw new InputError(`${where}.binWidth must be a positive number, got ${show(w)}`);
    }
    out.binWidth = w;
    if (x.lowerBound !== undefined) {
      if (typeof x.lowerBound !== "number" || !Number.isFinite(x.lowerBound)) {
        throw new InputError(`${where}.lowerBound must be a finite number, got ${show(x.lowerBound)}`);
      }
      out.lowerBound = x.lowerBound;
    }
  }
  return out;
}

function interpolationOf(x: unknown, where: string): InterpolationMethod {
  if (x !== "nearest" && x !== "linear" && x !== "cubic") {
    throw new InputError(`${where} must be "nearest", "linear" or "cubic", got ${show(x)}`);
  }
  return x;
}

/** Validates `settings` and fills in the defaults. Throws InputError naming the offending parameter. */
export function resolveSettings(settings: ExtractSettings | undefined): ResolvedSettings {
  const s: unknown = settings ?? {};
  if (!isObject(s)) throw new InputError(`settings must be an object, got ${show(s)}`);
  unknownKeys(s, KNOWN_KEYS, "settings");

  const discretisation =
    s.discretisation === undefined ? { ...DEFAULT_DISCRETISATION } : discretisationOf(s.discretisation, "settings.discretisation");
  const ivhDiscretisation =
    s.ivhDiscretisation === undefined ? { method: "none" as const } : discretisationOf(s.ivhDiscretisation, "settings.ivhDiscretisation");

  let resample: Required<ResampleSettings> | undefined;
  if (s.resample !== undefined && s.resample !== null) {
    const r = s.resample;
    const w = "settings.resample";
    if (!isObject(r)) throw new InputError(`${w} must be an object { spacing, interpolation, ... }, got ${show(r)}`);
    unknownKeys(r, ["spacing", "interpolation", "roundIntensities", "maskInterpolation", "maskThreshold"], w);
    const sp = r.spacing;
    if (!Array.isArray(sp) || (sp.length !== 2 && sp.length !== 3)) {
      throw new InputError(`${w}.spacing must have 2 entries (in-plane [x, y]) or 3 ([x, y, z]), got ${show(sp)}`);
    }
    for (const v of sp) {
      if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new InputError(`${w}.spacing entries must be positive numbers (mm), got ${show(sp)}`);
    }
    if (r.interpolation === undefined) throw new InputError(`${w}.interpolation is required ("nearest", "linear" or "cubic")`);
    const interpolation = interpolationOf(r.interpolation, `${w}.interpolation`);
    const maskInterpolation = r.maskInterpolation === undefined ? "linear" : interpolationOf(r.maskInterpolation, `${w}.maskInterpolation`);
    const maskThreshold = r.maskThreshold ?? 0.5;
    if (typeof maskThreshold !== "number" || !(maskThreshold > 0 && maskThreshold <= 1)) {
      throw new InputError(`${w}.maskThreshold must be in (0, 1], got ${show(maskThreshold)}`);
    }
    if (r.roundIntensities !== undefined && typeof r.roundIntensities !== "boolean") {
      throw new InputError(`${w}.roundIntensities must be true or false, got ${show(r.roundIntensities)}`);
    }
    resample = {
      spacing: [...(sp as number[])],
      interpolation,
      roundIntensities: r.roundIntensities === true,
      maskInterpolation,
      maskThreshold,
    };
  }

  let resegment: ResegmentSettings | undefined;
  if (s.resegment !== undefined && s.resegment !== null) {
    const r = s.resegment;
    const w = "settings.resegment";
    if (!isObject(r)) throw new InputError(`${w} must be an object { range?, outlierSigma? }, got ${show(r)}`);
    unknownKeys(r, ["range", "outlierSigma"], w);
    resegment = {};
    if (r.range !== undefined && r.range !== null) {
      const range = r.range;
      const okEnd = (v: unknown) => v === null || (typeof v === "number" && !Number.isNaN(v));
      if (!Array.isArray(range) || range.length !== 2 || !okEnd(range[0]) || !okEnd(range[1])) {
        throw new InputError(`${w}.range must be [low | null, high | null], got ${show(range)}`);
      }
      const lo = range[0] as number | null;
      const hi = range[1] as number | null;
      if (lo !== null && hi !== null && lo > hi) throw new InputError(`${w}.range: low ${lo} is above high ${hi}`);
      resegment.range = [lo === -Infinity ? null : lo, hi === Infinity ? null : hi];
    }
    if (r.outlierSigma !== undefined && r.outlierSigma !== null) {
      const o = r.outlierSigma;
      if (typeof o !== "number" || !Number.isFinite(o) || o <= 0) throw new InputError(`${w}.outlierSigma must be a positive number, got ${show(o)}`);
      resegment.outlierSigma = o;
    }
  }

  const distance = s.distance ?? 1;
  if (typeof distance !== "number" || !Number.isInteger(distance) || distance < 1) {
    throw new InputError(`settings.distance must be an integer >= 1, got ${show(distance)}`);
  }
  const textureDimensions = s.textureDimensions ?? "all";
  if (textureDimensions !== "2D" && textureDimensions !== "3D" && textureDimensions !== "all") {
    throw new InputError(`settings.textureDimensions must be "2D", "3D" or "all", got ${show(textureDimensions)}`);
  }
  const profile = s.profile ?? "ibsi";
  if (profile !== "ibsi" && profile !== "ak396" && profile !== "pyradiomics") {
    throw new InputError(`settings.profile must be "ibsi", "ak396" or "pyradiomics", got ${show(profile)}`);
  }
  const out: ResolvedSettings = { discretisation, ivhDiscretisation, distance, textureDimensions, profile };
  if (resample) out.resample = resample;
  if (resegment) out.resegment = resegment;
  return out;
}
