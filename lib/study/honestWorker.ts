/**
 * One resample of the honest validation in a worker thread (honestValidationParallel). The training
 * data arrive once per thread as workerData; each task names the resample's rows and folds.
 */
import { workerData } from "node:worker_threads";
import { honestResample, type HonestData, type HonestOutcome, type HonestTask } from "./honest.js";

const data = workerData as HonestData;

export default function run(task: HonestTask): HonestOutcome {
  return honestResample(data, task);
}
