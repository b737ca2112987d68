// How far does the design walk along a parameter the objective does not depend on?
// A quadratic bowl in x1 (optimum 1, start −3) that ignores x2: every x2 move is the
// surrogate's noise. Compares the fixed trust radius (seed 002), the one adaptive radius,
// the per-parameter trust region and the step gate, on the same seeds: the x2 path over
// the last 12 of 24 iterations (Σ |Δx2|, σ = 1) and the final x1.
// Usage: npx tsx benchmarks/flat-walk.ts
import { initBackend, backendInfo } from '../lib/backend.ts';
import type { Simulator } from '../lib/contracts.ts';
import { DEFAULT_LOOP, runLoop, type IterationRecord, type LoopConfig } from '../lib/loop.ts';
import { quadraticBowl } from '../lib/simulators/analytic.ts';
import { DesignSpace } from '../lib/space.ts';
import { eventValueObjective } from '../objectives/event-value.ts';
import { MlpSurrogate } from '../surrogates/mlp.ts';
import { table, writeSection } from './results.ts';

await initBackend();
const t0 = performance.now();
const bowl = quadraticBowl(2);
const flatInX2: Simulator = { ...bowl.simulator, simulate: (theta, n, rng) => bowl.simulator.simulate([theta[0]!, 0.5], n, rng) };

async function run(overrides: Partial<LoopConfig>, seed: number): Promise<IterationRecord[]> {
  const space = new DesignSpace(bowl.space);
  const surrogate = new MlpSurrogate({ center: space.start, scale: space.sigma.map((s) => 3 * s), epochs: 200, seed: `flat-walk/${seed}` });
  const records: IterationRecord[] = [];
  await runLoop(
    { space, simulator: flatInX2, objective: eventValueObjective(), surrogate, backend: backendInfo().name },
    { ...DEFAULT_LOOP, iterations: 24, candidates: 30, events: 100, trustRegion: 1, seed, direction: 'minimize', ...overrides },
    { onIteration: (r) => void records.push(r) },
  );
  surrogate.dispose();
  return records;
}

const modes: [string, Partial<LoopConfig>][] = [
  ['fixed radius ε = 1 (seed 002)', {}],
  ['adaptiveTrustRegion: true (one radius)', { adaptiveTrustRegion: true }],
  ['adaptiveTrustRegion: "per-parameter"', { adaptiveTrustRegion: 'per-parameter' }],
  ['stepGate: 2', { stepGate: 2 }],
];
const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
const x2Path = (rs: IterationRecord[]) => rs.slice(-12).reduce((s, r) => s + Math.abs(r.thetaNext[1]! - r.theta[1]!), 0);
const results: { path: number[]; x1: number[] }[] = [];
for (const [, o] of modes) {
  const path: number[] = [];
  const x1: number[] = [];
  for (const seed of seeds) {
    const rs = await run(o, seed);
    path.push(x2Path(rs));
    x1.push(rs[rs.length - 1]!.thetaNext[0]!);
  }
  results.push({ path, x1 });
}
const mean = (v: number[]) => v.reduce((a, x) => a + x, 0) / v.length;
const fixed = results[0]!.path;
const body = [
  `Quadratic bowl (x1 − 1)² that ignores x2, start (−3, −3), σ = 1, ε = 1, K = 30 candidates × M = 100 events, MLP surrogate (200 epochs), 24 iterations, seeds ${seeds[0]}–${seeds[seeds.length - 1]}. x2 path: Σ |Δx2| over the last 12 iterations (a pure walk: x2 does not change the objective); ratio: per seed against the fixed radius.`,
  '',
  table(
    ['mode', 'x2 path, mean (min–max)', 'ratio to fixed, mean (min–max)', 'final x1, mean (min–max)'],
    modes.map(([name], i) => {
      const r = results[i]!;
      const ratio = r.path.map((p, k) => p / fixed[k]!);
      const span = (v: number[], d: number) => `${mean(v).toFixed(d)} (${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)})`;
      return [name, span(r.path, 2), span(ratio, 2), span(r.x1, 2)];
    }),
  ),
  '',
  `Took ${((performance.now() - t0) / 1000).toFixed(0)} s (${backendInfo().name}).`,
].join('\n');
writeSection('flat-walk', 'Walking along a parameter the objective ignores: trust-region modes and the step gate', 'npx tsx benchmarks/flat-walk.ts', body, backendInfo().name);
console.log(body);
