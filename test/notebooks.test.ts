// Every notebook in notebooks/ runs headless through tslab's converter/executor (`radsurv notebook`,
// one process per notebook, on the compiled dist/ that `npm test` builds first) and no cell may error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./helpers.js";

interface Run {
  ok: boolean;
  cellsRun: number;
  outPath: string;
  error?: { cell: number; message: string };
}

function run(file: string, outDir: string): Run {
  const args = [join(root, "dist", "cli.js"), "notebook", file, "--out", outDir, "--json"];
  try {
    return JSON.parse(execFileSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] }).toString().trim().split("\n").pop()!);
  } catch (e) {
    const out = (e as { stdout?: Buffer }).stdout?.toString().trim().split("\n").pop() ?? "";
    if (out.startsWith("{")) return JSON.parse(out);
    throw new Error(`radsurv notebook ${file} crashed: ${(e as { stderr?: Buffer }).stderr?.toString()}`);
  }
}

const code = (source: string) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: [source] });

test("the runner reports a failing cell with its error text", () => {
  const dir = mkdtempSync(join(tmpdir(), "radsurv-nb-"));
  const file = join(dir, "bad.ipynb");
  writeFileSync(file, JSON.stringify({ cells: [code("1 + 1"), code("throw new Error('deliberate failure')"), code("2")], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  const r = run(file, join(dir, "out"));
  assert.equal(r.ok, false);
  assert.equal(r.error?.cell, 1);
  assert.match(r.error!.message, /deliberate failure/);
  assert.equal(r.cellsRun, 2, "execution stops at the failing cell, as nbconvert does");
});

const notebooksDir = join(root, "notebooks");
for (const name of readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort()) {
  test(`notebook ${name} runs headless without errors`, () => {
    const r = run(join(notebooksDir, name), join(root, "out", "notebooks"));
    assert.ok(r.ok, `${name}: cell ${r.error?.cell} failed:\n${r.error?.message}`);
    const nb = JSON.parse(readFileSync(r.outPath, "utf8"));
    const codeCells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    assert.equal(r.cellsRun, codeCells.length);
    assert.ok(codeCells.every((c: { outputs: { output_type: string }[] }) => c.outputs.every((o) => o.output_type !== "error")));
  });
}
