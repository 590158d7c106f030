/**
 * Executes a tslab (TypeScript) notebook headless, from Node, with tslab's own converter and
 * executor — the same code the Jupyter kernel runs, without Python or ZeroMQ. Outputs are
 * collected as Jupyter would store them (stream, display_data with every mime type, error),
 * and the executed notebook is written next to the others under out/notebooks/.
 *
 * tslab hijacks process.stdout while a cell runs (as its kernel does), so run this in its own
 * process (`radsurv notebook FILE`), never inside a test runner's process.
 */
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { format } from "node:util";
import { InputError } from "../errors.js";

const require = createRequire(import.meta.url);

interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
}
type Output = Record<string, unknown> & { output_type: string };
interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export interface NotebookRun {
  path: string;
  outPath: string;
  ok: boolean;
  cellsRun: number;
  /** Index (0-based, among all cells) and text of the failing cell, when one failed. */
  error?: { cell: number; source: string; message: string };
  seconds: number;
}

const sourceOf = (c: Cell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);
/** Jupyter stores multi-line text as a list of lines that keep their "\n". */
const lines = (s: string): string[] => s.split(/(?<=\n)/);

export async function runNotebook(path: string, outDir: string): Promise<NotebookRun> {
  const started = performance.now();
  const abs = resolve(path);
  let nb: Notebook;
  try {
    nb = JSON.parse(readFileSync(abs, "utf8")) as Notebook;
  } catch (e) {
    throw new InputError(`notebook ${path}: cannot read or parse it (${(e as Error).message})`);
  }
  const { createConverter } = require("tslab/dist/converter.js");
  const { createExecutor } = require("tslab/dist/executor.js");
  const jupyter = require("tslab/dist/jupyter.js");

  // Cells resolve relative imports (../dist/index.js) from the notebook's folder, as in Jupyter.
  const cwd = process.cwd();
  process.chdir(dirname(abs));
  let outputs: Output[] = [];
  const stream = (name: "stdout" | "stderr", text: string) => {
    const last = outputs[outputs.length - 1];
    if (last && last.output_type === "stream" && last.name === name) last.text = (last.text as string) + text;
    else outputs.push({ output_type: "stream", name, text });
  };
  let node: { close(): void } | undefined;
  const convs = {
    get node() {
      return (node ??= createConverter({ isJS: false, isBrowser: false }));
    },
    get browser() {
      return createConverter({ isJS: false, isBrowser: true });
    },
    close() {
      node?.close();
    },
  };
  const errors: string[] = [];
  const executor = createExecutor(dirname(abs), convs, {
    log: (...a: unknown[]) => stream("stdout", format(...a) + "\n"),
    error: (...a: unknown[]) => {
      const text = format(...a) + "\n";
      errors.push(text);
      stream("stderr", text);
    },
  });
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  const toText = (b: unknown) => (typeof b === "string" ? b : Buffer.from(b as Uint8Array).toString("utf8"));

  let count = 0;
  let failure: NotebookRun["error"];
  try {
    for (let i = 0; i < nb.cells.length; i++) {
      const cell = nb.cells[i];
      if (cell.cell_type !== "code") continue;
      outputs = [];
      errors.length = 0;
      jupyter.lastWriteDisplayData = (data: { data: Record<string, unknown>; metadata?: object }) => {
        outputs.push({ output_type: "display_data", data: data.data, metadata: data.metadata ?? {} });
      };
      process.stdout.write = ((b: unknown) => (stream("stdout", toText(b)), true)) as typeof process.stdout.write;
      process.stderr.write = ((b: unknown) => (stream("stderr", toText(b)), true)) as typeof process.stderr.write;
      let ok: boolean;
      try {
        ok = await executor.execute(sourceOf(cell));
      } finally {
        process.stdout.write = realOut;
        process.stderr.write = realErr;
      }
      cell.execution_count = ++count;
      if (!ok) {
        const message = errors.join("").trim() || "cell failed without an error message";
        outputs = outputs.filter((o) => !(o.output_type === "stream" && o.name === "stderr"));
        outputs.push({ output_type: "error", ename: "Error", evalue: message.split("\n")[0], traceback: message.split("\n") });
        failure = { cell: i, source: sourceOf(cell), message };
      }
      cell.outputs = outputs.map((o) => (o.output_type === "stream" ? { ...o, text: lines(o.text as string) } : o));
      if (failure) break;
    }
  } finally {
    executor.close();
    convs.close();
    process.chdir(cwd);
  }
  nb.metadata = {
    ...nb.metadata,
    kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" },
    language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
  };
  mkdirSync(outDir, { recursive: true });
  const outPath = join(outDir, basename(abs));
  writeFileSync(outPath, JSON.stringify(nb, null, 1) + "\n");
  return { path, outPath, ok: !failure, cellsRun: count, error: failure, seconds: (performance.now() - started) / 1000 };
}
