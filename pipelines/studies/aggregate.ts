// Mean ± std over seeds, per iteration, of one study configuration: what the
// bands of seed 002's Figures 3–9 show ("mean evolution with standard
// deviation, computed from three experimental runs per setting", Section V).
import type { IterationRecord } from '../../lib/loop.ts';

/** Sample mean and standard deviation (Bessel's n − 1; 0 for a single seed) of n values. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

export function meanStd(values: readonly number[], what = 'values'): MeanStd {
  const n = values.length;
  if (n === 0) throw new Error(`${what}: cannot average zero values`);
  for (const v of values) if (!Number.isFinite(v)) throw new Error(`${what}: value ${v} is not finite`);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

export type SumName = 'scintillator' | 'absorber' | 'total';

/** One seed's run: its parameter names (space order) and its history. */
export interface SeedRun {
  seed: number;
  parameters: string[];
  records: IterationRecord[];
}

/** The design θ at the start of `iteration` (iteration = number of records: the final θ). */
export interface IterationAggregate {
  iteration: number;
  /** seeds that reached this iteration */
  seeds: number;
  theta: Record<string, MeanStd>;
  /** Σ scintillator, Σ absorber, total thickness (calorimeter names abs*, scint* only) */
  sums: Partial<Record<SumName, MeanStd>>;
  /** measured objective δ̄ averaged over the K candidates around θ (none at the final θ) */
  objective: MeanStd | null;
  /** the surrogate's prediction at θ (after that iteration's fit; at the final θ: the last fit) */
  prediction: MeanStd | null;
  /** the exact expected objective at θ, where the problem knows it */
  truth: MeanStd | null;
}

export interface FinalAggregate {
  parameters: Record<string, MeanStd>;
  sums: Partial<Record<SumName, MeanStd>>;
  /** δ̄ of the last iteration */
  objective: MeanStd | null;
  prediction: MeanStd | null;
  truth: MeanStd | null;
}

export interface Aggregate {
  seeds: number[];
  parameters: string[];
  iterations: IterationAggregate[];
  final: FinalAggregate;
}

const ABSORBER = /^abs\d+$/;
const SCINTILLATOR = /^scint\d+$/;

/** Which parameter indices each sum adds up; empty when the names are not all absN / scintN. */
export function sumIndices(names: readonly string[]): Partial<Record<SumName, number[]>> {
  if (names.length === 0 || !names.every((n) => ABSORBER.test(n) || SCINTILLATOR.test(n))) return {};
  const idx = names.map((_, i) => i);
  return {
    scintillator: idx.filter((i) => SCINTILLATOR.test(names[i]!)),
    absorber: idx.filter((i) => ABSORBER.test(names[i]!)),
    total: idx,
  };
}

function sumsOf(thetas: number[][], groups: Partial<Record<SumName, number[]>>, what: string): Partial<Record<SumName, MeanStd>> {
  const out: Partial<Record<SumName, MeanStd>> = {};
  for (const [name, indices] of Object.entries(groups) as [SumName, number[]][]) {
    // Sum per seed first: the spread of a sum is not the sum of the spreads.
    out[name] = meanStd(thetas.map((t) => indices.reduce((s, i) => s + t[i]!, 0)), `${what} Σ ${name}`);
  }
  return out;
}

function thetaStats(names: readonly string[], thetas: number[][], what: string): Record<string, MeanStd> {
  return Object.fromEntries(names.map((n, i) => [n, meanStd(thetas.map((t) => t[i]!), `${what} ${n}`)]));
}

function optional(values: (number | undefined)[], what: string): MeanStd | null {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? meanStd(present, what) : null;
}

/** θ of a run at `iteration`: the record's start θ, or the last record's θ_next for the final point. */
function thetaAt(records: IterationRecord[], iteration: number): number[] | undefined {
  if (iteration < records.length) return records[iteration]!.theta;
  if (iteration === records.length && records.length > 0) return records[records.length - 1]!.thetaNext;
  return undefined;
}

/** Per-iteration and final mean ± std over the seeds' runs. */
export function aggregateRuns(runs: readonly SeedRun[]): Aggregate {
  if (runs.length === 0) throw new Error('aggregate: no runs to aggregate');
  const names = runs[0]!.parameters;
  for (const r of runs) {
    if (r.records.length === 0) throw new Error(`aggregate: seed ${r.seed} has no completed iteration`);
    if (r.parameters.join(',') !== names.join(',')) throw new Error(`aggregate: seed ${r.seed} has parameters ${r.parameters.join(',')}, seed ${runs[0]!.seed} has ${names.join(',')}`);
    r.records.forEach((rec, i) => {
      if (rec.theta.length !== names.length) throw new Error(`aggregate: seed ${r.seed} iteration ${i} has ${rec.theta.length} parameters, expected ${names.length}`);
    });
  }
  const groups = sumIndices(names);
  const longest = Math.max(...runs.map((r) => r.records.length));
  const iterations: IterationAggregate[] = [];
  for (let it = 0; it <= longest; it++) {
    const at = runs.filter((r) => thetaAt(r.records, it) !== undefined);
    const thetas = at.map((r) => thetaAt(r.records, it)!);
    const what = `aggregate: iteration ${it}`;
    // Before the last record: values measured at θ_it; at the end: the last record's values at θ_next.
    const rec = (r: SeedRun): IterationRecord | undefined => r.records[it];
    const last = (r: SeedRun): IterationRecord | undefined => (it === r.records.length ? r.records[it - 1] : undefined);
    iterations.push({
      iteration: it,
      seeds: at.length,
      theta: thetaStats(names, thetas, what),
      sums: sumsOf(thetas, groups, what),
      objective: optional(at.map((r) => rec(r)?.delta.mean), `${what} objective`),
      prediction: optional(at.map((r) => rec(r)?.prediction.atTheta ?? last(r)?.prediction.atNext), `${what} prediction`),
      truth: optional(at.map((r) => rec(r)?.truth?.atTheta ?? last(r)?.truth?.atNext), `${what} truth`),
    });
  }
  const finals = runs.map((r) => r.records[r.records.length - 1]!);
  const finalThetas = finals.map((f) => f.thetaNext);
  const final: FinalAggregate = {
    parameters: thetaStats(names, finalThetas, 'aggregate: final'),
    sums: sumsOf(finalThetas, groups, 'aggregate: final'),
    objective: optional(finals.map((f) => f.delta.mean), 'aggregate: final objective'),
    prediction: optional(finals.map((f) => f.prediction.atNext), 'aggregate: final prediction'),
    truth: optional(finals.map((f) => f.truth?.atNext), 'aggregate: final truth'),
  };
  return { seeds: runs.map((r) => r.seed), parameters: names.slice(), iterations, final };
}
