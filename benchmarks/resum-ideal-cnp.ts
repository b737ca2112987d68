// How good must the CNP be for RESuM to pay off on the moderator toy? The
// multi-fidelity machinery of RESuM (surrogates/resum.ts) is run with an
// *oracle* CNP: y_CNP of a run = its design's exact t̄ times (1 + ε·z), z ~ N(0, 1),
// for a few per-run errors ε, against the plain MFGP on raw metrics and the
// HF-only GP, on the same designs as benchmarks/resum.ts (300 LF runs on a
// Latin hypercube, 110 HF designs, (310, 10) splits). The counts m are drawn
// from the exact rates with the run's binomial and φ-sampling variance, so no
// neutron is simulated: this isolates the surrogate from the CNP.
// Usage: npx tsx benchmarks/resum-ideal-cnp.ts [--quick]
import { initBackend, backendInfo } from '../lib/backend.ts';
import { RandomStreams, type Rng } from '../lib/random.ts';
import { exactRates } from '../lib/simulators/moderator.ts';
import { moderatorProblem } from '../pipelines/resum-problem.ts';
import { RareEventSurrogate, RATE_SCALE, type DesignRecord, type RareEventModelKind, type RunMetrics } from '../surrogates/resum.ts';
import { averageMetrics, validationMetrics, type ValidationMetrics } from '../surrogates/resum-metrics.ts';
import { benchmarkDesigns } from './resum-designs.ts';
import { stageLogger, table, writeSection } from './results.ts';

const quick = process.argv.includes('--quick');
const S = quick ? { lhs: 60, pool: 30, splits: 3, quad: 10_000 } : { lhs: 300, pool: 110, splits: 10, quad: 50_000 };
const H = 10;
const ERRORS = [0, 0.05, 0.1, 0.2];
const HF_EVENTS = [1_000_000, 10_000_000];

await initBackend(undefined, { quiet: true });
const t0 = performance.now();
const log = stageLogger();
const problem = moderatorProblem();
const { lhs, pool } = benchmarkDesigns(problem, S.lhs, S.pool);
log(`exact rates at ${S.lhs + S.pool} designs (${S.quad} φ each)`);
const lfLhs = exactRates(lhs, 'lf', { nQuad: S.quad });
const lfPool = exactRates(pool, 'lf', { nQuad: S.quad });
const hfPool = exactRates(pool, 'hf', { nQuad: S.quad });
const lfEvents = problem.nominalEvents.lf;

const own = new RandomStreams('resum-ideal-cnp');
/**
 * Signal count of a run of n events at a design with exact rate t̄ and φ-sampling
 * standard error se (from q φ): given the φ of the run, m is a sum of independent
 * Bernoulli trials (variance ≈ n t̄); the run's own φ add n² se² q / n (muon bunches for HF).
 */
function drawSignals(rate: { rate: number; stdError: number; nQuad: number }, n: number, rng: Rng): number {
  const mean = n * rate.rate;
  const variance = mean + n * rate.stdError ** 2 * rate.nQuad;
  if (mean < 30) {
    // small counts: Poisson (the φ term is negligible here)
    let k = 0;
    let p = Math.exp(-mean);
    let s = p;
    const u = rng.uniform();
    while (u > s && k < 10_000) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  }
  return Math.max(0, Math.round(rng.normal(mean, Math.sqrt(variance))));
}

interface Cell {
  label: string;
  kind: RareEventModelKind;
  hfEvents: number;
  error: number;
  scores: ValidationMetrics[];
}
const cells: Cell[] = [];
for (const hfEvents of HF_EVENTS) {
  cells.push({ label: 'GP on HF y_Raw only', kind: 'hf-gp', hfEvents, error: NaN, scores: [] });
  cells.push({ label: 'MFGP on raw metrics', kind: 'raw-mfgp', hfEvents, error: NaN, scores: [] });
  for (const error of ERRORS) cells.push({ label: `RESuM, oracle CNP, ε = ${(100 * error).toFixed(0)} %`, kind: 'resum', hfEvents, error, scores: [] });
}

const truth = hfPool.map((r) => r.rate * RATE_SCALE);
for (let split = 0; split < S.splits; split++) {
  const perm = Array.from(own.stream(`split-${split}`).permutation(S.pool));
  const train = perm.slice(0, H);
  const valid = perm.slice(H);
  for (const c of cells) {
    // every cell of a split sees the same counts; the oracle's errors differ only by ε
    const rng = own.stream(`counts-${split}-${c.hfEvents}`);
    const z = own.stream(`oracle-${split}-${c.hfEvents}`);
    const oracle = (t: number): number => t * Math.max(0.05, 1 + c.error * z.normal());
    const lfRun = (r: { rate: number; stdError: number; nQuad: number }): RunMetrics => ({ events: lfEvents, signals: drawSignals(r, lfEvents, rng), yCnp: oracle(r.rate) });
    const records: DesignRecord[] = lhs.map((theta, i) => ({ theta, lf: lfRun(lfLhs[i]!) }));
    for (const i of train) {
      const hf: RunMetrics = { events: c.hfEvents, signals: drawSignals(hfPool[i]!, c.hfEvents, rng), yCnp: oracle(hfPool[i]!.rate) };
      records.push({ theta: pool[i]!, lf: lfRun(lfPool[i]!), hf });
    }
    const model = new RareEventSurrogate(c.kind, problem.lower, problem.upper);
    model.fit(records, { rng: own.stream(`fit-${split}-${c.label}-${c.hfEvents}`), restarts: 2 });
    const p = model.predict(valid.map((i) => pool[i]!));
    c.scores.push(
      validationMetrics(
        Array.from(p.mean, (v) => v * RATE_SCALE),
        Array.from(p.sd, (v) => v * RATE_SCALE),
        valid.map((i) => truth[i]!),
      ),
    );
  }
  log(`split ${split + 1}/${S.splits}`);
}

const spread = (() => {
  const m = truth.reduce((a, b) => a + b, 0) / truth.length;
  return truth.reduce((a, b) => a + (b - m) ** 2, 0) / truth.length;
})();
const meanMse = (c: Cell) => averageMetrics(c.scores).mse;
const rawOf = (c: Cell) => cells.find((d) => d.kind === 'raw-mfgp' && d.hfEvents === c.hfEvents)!;
/** Per HF size: the largest oracle error ε at which RESuM's MSE is ≤ half the plain MFGP's. */
function reading(): string {
  const lines = HF_EVENTS.map((n) => {
    const ok = cells.filter((c) => c.kind === 'resum' && c.hfEvents === n && meanMse(c) <= 0.5 * meanMse(rawOf(c))).map((c) => c.error);
    const exact = cells.find((c) => c.kind === 'resum' && c.hfEvents === n && c.error === 0)!;
    return `- HF runs of ${n.toExponential(0)} neutrons: ${
      ok.length ? `RESuM meets MSE ≤ ½ MFGP's with an oracle error ε up to ${(100 * Math.max(...ok)).toFixed(0)} %` : 'RESuM does not reach MSE ≤ ½ MFGP\'s even with a perfect oracle'
    } (ε = 0: ratio ${(meanMse(exact) / meanMse(rawOf(exact))).toFixed(2)}).`;
  });
  return `Reading:\n${lines.join('\n')}\nHow close the trained CNP comes to these oracles: section \`resum\` (\`benchmarks/resum.ts\`) gives how well one run's y_CNP
ranks the pool designs, and RESuM's MSE with it.`;
}
const rows = cells.map((c) => {
  const a = averageMetrics(c.scores);
  const mses = c.scores.map((s) => s.mse).sort((x, y) => x - y);
  const raw = cells.find((d) => d.kind === 'raw-mfgp' && d.hfEvents === c.hfEvents)!;
  const rawMse = averageMetrics(raw.scores).mse;
  return [c.hfEvents.toExponential(0), c.label, a.mse, `${mses[0]!.toFixed(3)} – ${mses[mses.length - 1]!.toFixed(3)}`, (a.mse / rawMse).toFixed(2), a.coverage.map((v) => v.toFixed(1)).join(' / ')];
});
const body = `
The RESuM surrogate with an oracle in place of the CNP: y_CNP of every run = the design's exact t̄ (LF or HF) × (1 + ε z), z ~ N(0, 1).
Designs as in \`benchmarks/resum.ts\` (${S.lhs} LF runs of ${lfEvents} neutrons on a feasible Latin hypercube, ${S.pool} HF designs; train on ${H}, validate
on ${S.pool - H}), ${S.splits} random splits. Counts m drawn from the exact rates (${S.quad} φ per design) with binomial and φ-sampling variance, so no
neutron is simulated. MSE in (1e-5 per neutron)² against the exact t̄; the spread of t̄ over the pool is ${spread.toFixed(3)} (the MSE of predicting
the mean). "ratio" = MSE / the plain MFGP's at the same HF size (target ≤ 0.5). Took ${((performance.now() - t0) / 1000).toFixed(0)} s.

${table(['HF neutrons per run', 'model', 'mean MSE vs exact t̄', 'MSE range over splits', 'ratio to MFGP on raw', 'coverage vs exact (1/2/3σ %)'], rows)}

${reading()}
`;
writeSection('resum-ideal-cnp', 'RESuM with an oracle CNP: how accurate must y_CNP be?', `npx tsx benchmarks/resum-ideal-cnp.ts${quick ? ' --quick' : ''}`, body, backendInfo().name);
console.log(body);
