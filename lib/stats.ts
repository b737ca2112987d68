// Correlation measures for benchmarks and tests: Pearson on values, Spearman on
// ranks (ties broken by order, fine for continuous data).

/** Pearson correlation of two equally long samples. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length < 2) throw new Error(`pearson: needs two samples of equal length ≥ 2 (got ${a.length} and ${b.length})`);
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  a.forEach((v, i) => {
    sab += (v - ma) * (b[i]! - mb);
    saa += (v - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
}

/** 0-based ranks of the values (ties in order of appearance). */
export function ranks(v: readonly number[]): number[] {
  const r = new Array<number>(v.length);
  v.map((x, i) => [x, i] as const)
    .sort((p, q) => p[0] - q[0])
    .forEach(([, i], k) => (r[i] = k));
  return r;
}

/** Spearman rank correlation: Pearson on the ranks. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(ranks(a), ranks(b));
}
