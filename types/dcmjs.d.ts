// dcmjs ships no types: declare only what radsurv calls (the twin cohort's DICOM writer).
declare module "dcmjs" {
  /** A DICOM JSON-model data set: tag ("00280010") → { vr, Value }. */
  type DicomJsonDataset = Record<string, { vr: string; Value?: unknown[] }>;
  class DicomDict {
    constructor(meta: DicomJsonDataset);
    dict: DicomJsonDataset;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomDict: typeof DicomDict;
      DicomMetaDictionary: {
        /** Keyword-named attributes → DICOM JSON model (VRs from the dictionary, or `_vrMap`). */
        denaturalizeDataset(dataset: Record<string, unknown>): DicomJsonDataset;
      };
    };
  };
  export default dcmjs;
}
