// The flow diagram shows every step's count and label from the exclusionFlow result (structure only).
import { test } from "node:test";
import assert from "node:assert/strict";
import { exclusionFlow, rule } from "../lib/cohort/index.js";
import { flowDiagram } from "../lib/plot/index.js";

test("flow diagram: one box per stage, exclusion boxes with counts, escaped labels, split boxes", () => {
  const rows = [{ id: "a", x: 1 }, { id: "b", x: 5 }, { id: "c", x: 9 }];
  const flow = exclusionFlow(rows, [rule("I", "x > 8 <b>bold</b>", "x", ">", 8), rule("II", "x > 4", "x", ">", 4)]);
  const fig = flowDiagram(flow, { split: { Training: 1, Validation: 0 } });
  const texts = (fig.layout.annotations as { text: string }[]).map((a) => a.text).filter(Boolean);
  assert.ok(texts.some((t) => t.includes("Screened") && t.includes("n = 3")));
  assert.ok(texts.some((t) => t.includes("Excluded (I)") && t.includes("n = 1") && t.includes("&lt;b&gt;bold&lt;/b&gt;")));
  assert.ok(texts.some((t) => t.includes("Excluded (II)") && t.includes("n = 1")));
  assert.ok(texts.some((t) => t.includes("Analysed") && t.includes("n = 1")));
  assert.ok(texts.some((t) => t.includes("Training") && t.includes("n = 1")));
  const rects = (fig.layout.shapes as { type: string }[]).filter((s) => s.type === "rect");
  assert.equal(rects.length, 1 + 2 * 2 + 2, "screened + (exclusion, remaining) per step + 2 split boxes");
});
