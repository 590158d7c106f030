// Tail probabilities against R 4.2.2 (pnorm/pchisq/qnorm). Values that R printed with
// 17 significant digits; tolerance 1e-13 relative (continued fractions converge to ~1e-15).
import { test } from "node:test";
import { pnorm, pchisq, qnorm } from "../lib/stats/distributions.js";
import { close } from "./helpers.js";

const tol = { rel: 1e-13 };

test("pnorm matches R, including far tails where 1 - cdf underflows", () => {
  close(pnorm(-2.034977556062953), 0.04185313134181076 / 2, tol, "pnorm(-2.03)");
  close(pnorm(-2.9), 0.0018658133003840378, tol, "pnorm(-2.9)");
  close(pnorm(-3.1), 0.0009676032132183561, tol, "pnorm(-3.1)");
  close(pnorm(-10), 7.619853024160527e-24, tol, "pnorm(-10)");
  close(pnorm(-30), 4.906713927148187e-198, { rel: 1e-12 }, "pnorm(-30)");
  close(pnorm(1.5), 0.9331927987311419, tol, "pnorm(1.5)");
  close(pnorm(3.1, false), 0.0009676032132183561, tol, "pnorm(3.1, lower=F)");
});

test("pchisq upper tail matches R for 1-4 df", () => {
  close(pchisq(10.326741954885632, 1, false), 0.0013111645203554882, tol, "df=1");
  close(pchisq(21.962131682476006, 3, false), 6.642535355800171e-05, tol, "df=3");
  close(pchisq(30.500668773156576, 3, false), 1.0828176991986987e-06, tol, "df=3 small");
  close(pchisq(31.020549575737505, 4, false), 3.031988490040624e-06, tol, "df=4");
  close(pchisq(0.5, 4, false), 0.9735009788392561, tol, "df=4 centre");
});

test("qnorm(0.975) is R's 1.959963984540054", () => {
  close(qnorm(0.975), 1.959963984540054, { rel: 1e-15 }, "qnorm");
});
