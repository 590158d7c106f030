// tslab compiles notebook cells with its own TypeScript 5.0, which must read radsurv's .d.ts files
// (built by a newer tsc). Newer syntax in a declaration — e.g. `Float64Array<ArrayBuffer>` generics
// (TS >= 5.7) — would break type-checking in every notebook cell, so this test type-checks a cell-like
// file against dist/index.d.ts with tslab's compiler and its module resolution (Node10) and fails on
// any diagnostic in dist/ — with one known exception: danfojs declares its types only under package
// "exports", which Node10 resolution does not read, so in cells DataFrame types degrade to `any`
// (TS2307 for "danfojs" is tolerated; nothing else is).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./helpers.js";

const require = createRequire(import.meta.url);

test("dist/*.d.ts type-check under tslab's TypeScript 5.0", () => {
  const ts = require("@tslab/typescript-for-tslab");
  assert.match(ts.version, /^5\.0\./);
  const dir = mkdtempSync(join(tmpdir(), "radsurv-dts-"));
  const cell = join(dir, "cell.ts");
  writeFileSync(cell, `import * as rs from ${JSON.stringify(join(root, "dist", "index.js"))};\nconst km: number = rs.kaplanMeier([1, 2], [1, 0]).strata[0].surv[0];\nexport { km };\n`);
  const program = ts.createProgram([cell], {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2019,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
    typeRoots: [join(root, "node_modules", "@types")],
  });
  const diags = ts
    .getPreEmitDiagnostics(program)
    .filter((d: { file?: { fileName: string } }) => !d.file || d.file.fileName.includes("/dist/") || d.file.fileName === cell)
    .filter((d: { code: number; messageText: unknown }) => !(d.code === 2307 && String(d.messageText).includes("'danfojs'")));
  const text = diags.map((d: { file?: { fileName: string }; messageText: unknown }) =>
    `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  assert.deepEqual(text, []);
});
