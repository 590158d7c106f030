/** Fenwick (binary indexed) tree over ranks 1..m holding weights: O(log m) add and prefix sum (the concordance counts). */
export class Fenwick {
  private readonly tree: Float64Array;
  /** Weight at each rank alone, for the tied-on-risk count. */
  readonly at: Float64Array;
  total = 0;
  constructor(private readonly m: number) {
    this.tree = new Float64Array(m + 1);
    this.at = new Float64Array(m + 1);
  }
  add(rank: number, w: number): void {
    this.at[rank] += w;
    this.total += w;
    for (let r = rank; r <= this.m; r += r & -r) this.tree[r] += w;
  }
  /** Sum of weights at ranks < rank. */
  below(rank: number): number {
    let s = 0;
    for (let r = rank - 1; r > 0; r -= r & -r) s += this.tree[r];
    return s;
  }
}
