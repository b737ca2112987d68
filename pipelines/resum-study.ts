// A RESuM study: the same search with several seeds, and how much its recommendation varies.
// Per seed the recommended design and its exact rate (where the problem knows it); over seeds
// mean ± std of each design parameter, of the exact rate and of the improvement on the baseline.
import { meanStd, type MeanStd } from './studies/aggregate.ts';

/** What one seed's summary.json holds that the study needs. */
export interface ResumSeedResult {
  seed: number;
  best: { theta: number[]; predicted: number; sd: number; exact: number | null };
  baseline: { exact: number | null };
  improvement: number | null;
  cost: { percentEvents: number };
}

export interface ResumStudySummary {
  problem: string;
  names: string[];
  seeds: number[];
  /** the recommended design over seeds */
  best: Record<string, MeanStd>;
  /** exact t̄ at the recommended design; null when the problem has no exact rates */
  bestExact: MeanStd | null;
  /** 1 − exact(best) / exact(baseline) */
  improvement: MeanStd | null;
  /** simulated events as a per cent of an all-HF search with as many runs */
  percentEvents: MeanStd;
  perSeed: ResumSeedResult[];
}

export function aggregateResumStudy(problem: string, names: readonly string[], results: readonly ResumSeedResult[]): ResumStudySummary {
  if (results.length === 0) throw new Error('resum study: no finished seed to aggregate');
  results.forEach((r) => {
    if (r.best.theta.length !== names.length) throw new Error(`resum study: seed ${r.seed} has ${r.best.theta.length} parameters, the problem ${names.length} (${names.join(', ')})`);
  });
  const exact = results.map((r) => r.best.exact);
  const improvement = results.map((r) => r.improvement);
  const known = <T>(v: (T | null)[]): v is T[] => v.every((x) => x !== null);
  return {
    problem,
    names: [...names],
    seeds: results.map((r) => r.seed),
    best: Object.fromEntries(names.map((n, i) => [n, meanStd(results.map((r) => r.best.theta[i]!), `best ${n}`)])),
    bestExact: known(exact) ? meanStd(exact, 'best exact') : null,
    improvement: known(improvement) ? meanStd(improvement, 'improvement') : null,
    percentEvents: meanStd(results.map((r) => r.cost.percentEvents), 'percentEvents'),
    perSeed: [...results],
  };
}
