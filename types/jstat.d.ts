// jstat ships no types: declare only what radsurv calls.
declare module "jstat" {
  export const jStat: {
    gammaln(x: number): number;
    erfc(x: number): number;
    lowRegGamma(a: number, x: number): number;
    normal: { inv(p: number, mean: number, sd: number): number; cdf(x: number, mean: number, sd: number): number };
    studentt: { cdf(x: number, df: number): number; inv(p: number, df: number): number };
    centralF: { cdf(x: number, df1: number, df2: number): number; inv(p: number, df1: number, df2: number): number };
    chisquare: { cdf(x: number, df: number): number; inv(p: number, df: number): number };
    ibeta(x: number, a: number, b: number): number;
  };
}
