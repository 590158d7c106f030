/**
 * `radsurv twin`: writes the twin cohort's files into a folder. Tables now; images and reader masks
 * are added by the image generator. Re-running with the same seed gives byte-identical files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toCsv } from "../table/writeCsv.js";
import { twinTables, type TwinTables } from "./cohort.js";

export interface TwinFiles {
  dir: string;
  seed: number;
  files: string[];
  tables: TwinTables;
}

export function writeTwin(dir: string, seed: number): TwinFiles {
  const tables = twinTables(seed);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(name);
  };
  put("screening.csv", toCsv(tables.screening));
  put("clinical.csv", toCsv(tables.clinical));
  put("latent.csv", toCsv(tables.latent));
  put("twin.json", JSON.stringify({ seed, generator: "radsurv twin", files }, null, 2) + "\n");
  return { dir, seed, files, tables };
}
