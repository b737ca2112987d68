// RESuM on the toy LEGEND-1000 moderator: seed 000 Table 2 (MSE and 1/2/3σ
// coverage on held-out HF designs, Trials at (305, 5), (307, 7), (310, 10)
// LF/HF runs and 100 random re-splits as Trial 10), RESuM against the plain
// MFGP on raw metrics (Trial 6) and an HF-only GP; the cost against an all-HF
// search; and the optimum found by the active-learning pipeline (pipelines/resum.ts).
// Usage: npx tsx benchmarks/resum.ts [--quick] [--lf-source cryostat-log-uniform]
// (another LF source writes its own section, resum-lf-<source>)
import { initBackend, backendInfo } from '../lib/backend.ts';
import type { EventBatch } from '../lib/contracts.ts';
import { moderatorProblem } from '../pipelines/resum-problem.ts';
import { checkLowFidelitySource } from '../lib/simulators/moderator-sources.ts';
import { emptyLedger, runMetrics, simulateRun, summarizeCost, trainRunCnp } from '../pipelines/resum-runs.ts';
import { boxOf, runResum } from '../pipelines/resum.ts';
import { feasibleUniform } from '../pipelines/resum-design.ts';
import { Rng } from '../lib/random.ts';
import { RareEventSurrogate, RATE_SCALE, type DesignRecord, type RareEventModelKind } from '../surrogates/resum.ts';
import { averageMetrics, IDEAL_COVERAGE, validationMetrics, type ValidationMetrics } from '../surrogates/resum-metrics.ts';
import type { GpHyperparameters } from '../surrogates/gp/gp.ts';
import type { MfgpHyperparameters } from '../surrogates/gp/mfgp.ts';
import { benchmarkDesigns } from './resum-designs.ts';
import { pearson, spearman } from '../lib/stats.ts';
import { loadAtStart, loadLine, stageLogger, table, writeSection } from './results.ts';
import { RESUM_BENCHMARK_AL, TRUE_MINIMUM } from './resum-settings.ts';

const quick = process.argv.includes('--quick');
const lfArg = process.argv.indexOf('--lf-source');
const lfSource = checkLowFidelitySource(lfArg >= 0 ? (process.argv[lfArg + 1] ?? '') : 'argon-evaporation');
const isDefaultLf = lfSource === 'argon-evaporation';
const S = quick
  ? { lhsLf: 60, pool: 30, configs: [5, 7, 10], resplits: 10, cnpSteps: 100, al: { lfRuns: 60, hfRuns: 4, rounds: 2 } }
  : { lhsLf: 300, pool: 110, configs: [5, 7, 10], resplits: 100, cnpSteps: RESUM_BENCHMARK_AL.cnp.steps, al: { lfRuns: RESUM_BENCHMARK_AL.lfRuns, hfRuns: RESUM_BENCHMARK_AL.hfRuns, rounds: RESUM_BENCHMARK_AL.rounds } };
const KINDS: RareEventModelKind[] = ['resum', 'raw-mfgp', 'hf-gp'];
const LABEL: Record<RareEventModelKind, string> = { resum: 'RESuM (y_CNP LF → y_CNP HF → y_Raw HF)', 'raw-mfgp': 'MFGP on raw metrics (y_Raw LF → y_Raw HF)', 'hf-gp': 'GP on HF y_Raw only' };

const load0 = loadAtStart();
await initBackend(undefined, { quiet: true });
const t0 = performance.now();
const log = stageLogger();
const problem = moderatorProblem({ lfSource });
const { lhs: lhsThetas, pool: poolThetas, streams } = benchmarkDesigns(problem, S.lhsLf, S.pool);
const sim = streams.stream('simulate');
const ledger = emptyLedger();
const lfN = problem.nominalEvents.lf;
const hfN = problem.nominalEvents.hf;

// ---- one pool of simulated runs ------------------------------------------------
log(`pool: ${S.lhsLf} LF runs on a Latin hypercube, ${S.pool} HF (+LF) designs`);
const lhsRecords: DesignRecord[] = [];
const lfBatches: EventBatch[] = [];
for (const theta of lhsThetas) {
  const b = simulateRun(problem, theta, 'lf', lfN, sim, ledger);
  lfBatches.push(b);
  lhsRecords.push({ theta, lf: runMetrics(b, null, ledger) });
}
const poolLf = poolThetas.map((theta) => simulateRun(problem, theta, 'lf', lfN, sim, ledger));
log('training the CNP on the Latin-hypercube LF runs');
const cnp = trainRunCnp(lfBatches, { ...problem.cnp, steps: S.cnpSteps }, streams.stream('cnp'), ledger);
lhsRecords.forEach((r, i) => (r.lf = runMetrics(lfBatches[i]!, cnp, ledger)));
lfBatches.length = 0;
const pool: DesignRecord[] = [];
for (let i = 0; i < S.pool; i++) {
  const hf = simulateRun(problem, poolThetas[i]!, 'hf', hfN, sim, ledger);
  pool.push({ theta: poolThetas[i]!, lf: runMetrics(poolLf[i]!, cnp, ledger), hf: runMetrics(hf, cnp, ledger) });
  if ((i + 1) % 10 === 0) log(`HF pool ${i + 1}/${S.pool}`);
}
cnp.dispose();
log('exact t̄ at the pool designs');
const exact = problem.exactRates(poolThetas);
const poolSeconds = (performance.now() - t0) / 1000;
// does a single run's metric rank the designs? (the CNP's job in RESuM, seed 000 §5.2)
const poolMetric = (label: string, values: number[]) => [label, spearman(values, exact).toFixed(3), pearson(values, exact).toFixed(3)];
const poolRanking = [
  poolMetric(`y_Raw = m/N of the HF run (${hfN} neutrons)`, pool.map((r) => r.hf!.signals / r.hf!.events)),
  poolMetric(`y_Raw = m/N of the LF run (${lfN} neutrons)`, pool.map((r) => r.lf!.signals / r.lf!.events)),
  poolMetric('y_CNP of the HF run', pool.map((r) => r.hf!.yCnp!)),
  poolMetric('y_CNP of the LF run', pool.map((r) => r.lf!.yCnp!)),
];

// ---- Table 2: fixed splits ---------------------------------------------------
interface Scored {
  sim: ValidationMetrics;
  exact: ValidationMetrics;
}
function evaluate(kind: RareEventModelKind, train: DesignRecord[], valid: number[], seed: string, fixed?: MfgpHyperparameters | GpHyperparameters): { s: Scored; model: RareEventSurrogate } {
  const model = new RareEventSurrogate(kind, problem.lower, problem.upper);
  model.fit(train, { rng: streams.stream(`fit-${seed}`), restarts: 2, ...(fixed ? { fixed } : {}) });
  const p = model.predict(valid.map((i) => pool[i]!.theta));
  const sc = (v: number) => v * RATE_SCALE;
  const mean = Array.from(p.mean, sc);
  const observed = valid.map((i) => sc(pool[i]!.hf!.signals / pool[i]!.hf!.events));
  return {
    s: {
      sim: validationMetrics(mean, Array.from(p.sdObserved, sc), observed),
      exact: validationMetrics(mean, Array.from(p.sd, sc), valid.map((i) => sc(exact[i]!))),
    },
    model,
  };
}
const trainSet = (hfIdx: number[]) => [...lhsRecords, ...hfIdx.map((i) => pool[i]!)];
const fixedRows: (string | number)[][] = [];
const fitted: Partial<Record<RareEventModelKind, MfgpHyperparameters | GpHyperparameters>> = {};
const byConfig: Record<number, Partial<Record<RareEventModelKind, Scored>>> = {};
for (const h of S.configs) {
  const hfIdx = Array.from({ length: h }, (_, i) => i);
  const valid = Array.from({ length: S.pool - h }, (_, i) => i + h);
  byConfig[h] = {};
  for (const kind of KINDS) {
    const { s, model } = evaluate(kind, trainSet(hfIdx), valid, `${kind}-${h}`);
    byConfig[h]![kind] = s;
    if (h === Math.max(...S.configs)) fitted[kind] = model.hyperparameters();
    const c = (m: ValidationMetrics) => m.coverage.map((v) => v.toFixed(1)).join(' / ');
    fixedRows.push([`(${S.lhsLf + h}, ${h})`, LABEL[kind], s.exact.mse, c(s.exact), s.sim.mse, c(s.sim), valid.length]);
  }
  log(`Table 2 config (${S.lhsLf + h}, ${h}) done`);
}

// ---- Trial 10: random re-splits of the HF pool -------------------------------
const H = Math.max(...S.configs);
const splitRng = streams.stream('resplit');
const re: Record<RareEventModelKind, Scored[]> = { resum: [], 'raw-mfgp': [], 'hf-gp': [] };
for (let k = 0; k < S.resplits; k++) {
  const perm = Array.from(splitRng.permutation(S.pool));
  for (const kind of KINDS) re[kind].push(evaluate(kind, trainSet(perm.slice(0, H)), perm.slice(H), `re-${kind}-${k}`, fitted[kind]).s);
}
log(`${S.resplits} re-splits done`);
const reRows = KINDS.map((kind) => {
  const e = averageMetrics(re[kind].map((s) => s.exact));
  const s = averageMetrics(re[kind].map((x) => x.sim));
  const c = (m: ValidationMetrics) => m.coverage.map((v) => v.toFixed(1)).join(' / ');
  return [LABEL[kind], e.mse, c(e), s.mse, c(s)];
});

// ---- cost of the (310, 10) design against an all-HF search -------------------
const lfSecPerRun = ledger.seconds.lf / ledger.runs.lf;
const hfSecPerRun = ledger.seconds.hf / ledger.runs.hf;
const nLf = S.lhsLf + H;
const costEvents = (100 * (nLf * lfN + H * hfN)) / ((nLf + H) * hfN);
const costSeconds = (100 * (nLf * lfSecPerRun + H * hfSecPerRun)) / ((nLf + H) * hfSecPerRun);

// ---- the active-learning pipeline ----------------------------------------------
log(`active learning: ${S.al.lfRuns} LF + ${S.al.hfRuns} HF runs, ${S.al.rounds} rounds`);
// exact t̄ of the AL designs from 10⁶ φ, as the scan's true minimum
const alSeeds = quick ? [1] : [1, 2, 3];
const als = alSeeds.map((seed) => runResum(moderatorProblem({ exactQuad: 1_000_000, lfSource }), { ...S.al, seed, cnp: { steps: S.cnpSteps }, onStage: (s) => log(`AL seed ${seed}: ${s}`) }));
const al = als[0]!;
// does each seed's final model rank designs? its ŷ on random feasible designs against the exact t̄ (the
// model is conditioned on the seed's records with its final hyperparameters, i.e. the same model)
const checkDesigns = feasibleUniform(boxOf(problem), quick ? 60 : 300, new Rng('resum-al-check'));
const checkExact = problem.exactRates(checkDesigns);
const alRanking = als.map((r) => {
  const m = new RareEventSurrogate('resum', problem.lower, problem.upper);
  m.fit(r.records, { rng: new Rng('resum-al-check-fit'), fixed: r.hyperparameters });
  return spearman(Array.from(m.predict(checkDesigns).mean), checkExact);
});
const meetsTarget = (r: typeof al) => r.best.exact! <= 1.1 * TRUE_MINIMUM && r.cost.percentEvents <= 5;
const alCost = al.cost;
const totalSeconds = (performance.now() - t0) / 1000;

// ---- write ---------------------------------------------------------------------
const tgt = IDEAL_COVERAGE.map((v) => v.toFixed(1)).join(' / ');
const r10 = byConfig[H]!;
const fmt = (v: number) => v.toExponential(3);
const theta = (t: number[]) => `r ${t[0]!.toFixed(1)}, d ${t[1]!.toFixed(2)}, n ${t[2]}, φ ${t[3]!.toFixed(1)}°, L ${t[4]!.toFixed(2)}`;
const body = `
Toy moderator (lib/simulators/moderator*.ts), LF runs of ${lfN} neutrons (LF source ${lfSource}), HF runs of ${hfN}. One pool of runs: ${S.lhsLf} LF runs on a feasible Latin hypercube
(pipelines/resum-design.ts; the constraints make a strict hypercube impossible, so most points come from rejection), and ${S.pool} HF designs drawn
uniformly from the feasible space, each with an HF and an LF run. The CNP (surrogates/cnp.ts, ${S.cnpSteps} steps) is trained on the ${S.lhsLf} LF runs only
and scores every run (y_CNP = Cnp.rate: with the moderator problem's settings, random Fourier features of the final state and the rate read from the prior-shifted odds, times one constant from the training events; HF runs on their first 50 000 neutrons). Configuration (${S.lhsLf}+h, h): the ${S.lhsLf} LF runs plus the
LF runs at h training HF designs; the other ${S.pool}−h HF designs validate. MSE in (rate × 1e5)², i.e. (1e-5 per neutron)²; coverage = % of validation designs
within ±1/2/3σ̂ (ideal ${tgt}). "vs exact t̄": latent σ̂ against t̄ from 200 000 φ (ground truth); "vs simulated y_Raw": σ̂ ⊕ binomial noise against the
validation run's m/N, as the paper does. σ̂ includes the generalised-least-squares variance of ρ̂ and the HF mean (surrogates/resum.ts).

How well each per-run metric of the ${S.pool} pool designs follows the exact t̄_HF (all designs, before any GP):

${table(['metric of the run at the design', 'Spearman with t̄_HF', 'Pearson with t̄_HF'], poolRanking)}

${table(['LF, HF runs', 'model', 'MSE vs exact t̄', 'coverage vs exact (1/2/3σ %)', 'MSE vs simulated y_Raw', 'coverage vs simulated (%)', 'validation designs'], fixedRows)}

Trial 10: ${S.resplits} random re-splits of the ${S.pool} HF designs (${H} train, ${S.pool - H} validate, the LF runs fixed), each model conditioned with the
hyperparameters fitted on the (${S.lhsLf + H}, ${H}) split (no refit per re-split, to bound the time); mean over re-splits:

${table(['model', 'MSE vs exact t̄', 'coverage vs exact (%)', 'MSE vs simulated y_Raw', 'coverage vs simulated (%)'], reRows)}

Acceptance at (${S.lhsLf + H}, ${H}) against exact t̄: RESuM coverage ${r10.resum!.exact.coverage.map((v) => v.toFixed(1)).join(' / ')} (target within ±7 of ${tgt}):
${r10.resum!.exact.coverage.every((v, i) => Math.abs(v - IDEAL_COVERAGE[i]!) <= 7) ? 'met' : 'NOT met'}; MSE RESuM / plain MFGP = ${(r10.resum!.exact.mse / r10['raw-mfgp']!.exact.mse).toFixed(2)} (target ≤ 0.5):
${r10.resum!.exact.mse <= 0.5 * r10['raw-mfgp']!.exact.mse ? 'met' : 'NOT met'}. Spread of exact t̄ over the validation designs: variance ${(() => { const v = exact.slice(H).map((x) => x * RATE_SCALE); const m = v.reduce((a, b) => a + b, 0) / v.length; return (v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length).toFixed(3); })()} (the MSE of predicting the mean).

Cost of (${nLf}, ${H}) against ${nLf + H} HF runs: ${costEvents.toFixed(2)} % in neutrons, ${costSeconds.toFixed(2)} % in simulation seconds (measured: LF run ${lfSecPerRun.toFixed(3)} s, HF run ${hfSecPerRun.toFixed(2)} s);
the paper reports 3.3 %. CNP training took ${ledger.cnpSeconds.toFixed(0)} s here (scoring included), not counted in these percentages.

Active-learning pipeline (\`detopt resum\`, pipelines/resum.ts): ${S.al.lfRuns} LF + ${S.al.hfRuns} HF runs, ${S.al.rounds} IVR rounds (one HF + one LF run each), seed 1:

${table(['design', 'θ', 'exact t̄_HF', 'predicted ± σ̂', 'vs baseline', 'vs true minimum'], [
  ['baseline (closed tube r 240, d 3)', theta(al.baseline.theta), fmt(al.baseline.exact!), `${fmt(al.baseline.predicted)} ± ${al.baseline.sd.toExponential(1)}`, '1.000', (al.baseline.exact! / TRUE_MINIMUM).toFixed(3)],
  ['best found by RESuM (recommended: the HF-simulated design with the lowest ŷ + σ̂)', theta(al.best.theta), fmt(al.best.exact!), `${fmt(al.best.predicted)} ± ${al.best.sd.toExponential(1)}`, (al.best.exact! / al.baseline.exact!).toFixed(3), (al.best.exact! / TRUE_MINIMUM).toFixed(3)],
  ['minimum of ŷ + σ̂ anywhere in the feasible space (--recommend anywhere; not simulated)', theta(al.predictedOptimum.theta), fmt(al.predictedOptimum.exact!), `${fmt(al.predictedOptimum.predicted)} ± ${al.predictedOptimum.sd.toExponential(1)}`, (al.predictedOptimum.exact! / al.baseline.exact!).toFixed(3), (al.predictedOptimum.exact! / TRUE_MINIMUM).toFixed(3)],
  ['true minimum (dense exact scan, benchmarks/moderator-scan.ts)', '—', fmt(TRUE_MINIMUM), '—', (TRUE_MINIMUM / al.baseline.exact!).toFixed(3), '1.000'],
])}

Per round (chosen design's exact t̄): ${al.rounds.map((r) => fmt(r.exact!)).join(', ')}. Cost: ${alCost.lfRuns} LF + ${alCost.hfRuns} HF runs = ${alCost.percentEvents.toFixed(2)} % of an all-HF search in neutrons,
${alCost.percentSeconds.toFixed(2)} % in simulation seconds (CNP ${alCost.cnpSeconds.toFixed(0)} s extra); pipeline wall time ${al.seconds.toFixed(0)} s.
Target: within 10 % of the true minimum at ≤ 5 % of the all-HF cost: ${meetsTarget(al) ? 'met' : 'NOT met'}.

The same pipeline with other seeds (each seed draws its own LF/HF designs, CNP and rounds):

${table(['seed', 'recommended design', 'exact t̄_HF', 'vs true minimum', 'minimum anywhere: exact t̄_HF (vs true minimum)', 'ρ̂ (y_CNP LF → y_CNP HF, → y_Raw HF)', `final ŷ vs exact t̄: Spearman over ${checkDesigns.length} random designs`, 'cost (% of all-HF neutrons)', 'within 10 % at ≤ 5 %'], als.map((r, k) => [
  `${r.options.seed}`, theta(r.best.theta), fmt(r.best.exact!), (r.best.exact! / TRUE_MINIMUM).toFixed(3),
  `${fmt(r.predictedOptimum.exact!)} (${(r.predictedOptimum.exact! / TRUE_MINIMUM).toFixed(3)})`, r.hyperparameters.rho.map((v) => v.toFixed(2)).join(', '), alRanking[k]!.toFixed(2), r.cost.percentEvents.toFixed(2), meetsTarget(r) ? 'yes' : 'no',
]))}

${als.filter(meetsTarget).length} of ${als.length} seeds meet the target. ρ̂ near 0 on the last link means the model has stopped using the CNP levels: the few HF
runs disagree with y_CNP (the design-dependent bias of y_CNP, section moderator-cnp, against HF noise of ≈ 1/√m with m ≈ 30 signals per run),
and ŷ is then a GP on ~10 noisy HF rates.

Pool simulation + CNP took ${poolSeconds.toFixed(0)} s; total ${totalSeconds.toFixed(0)} s. ${loadLine(load0)}
`;
writeSection(
  isDefaultLf ? 'resum' : `resum-lf-${lfSource}`,
  `RESuM on the moderator toy: Table 2 (MSE, coverage), cost and optimum (seed 000)${isDefaultLf ? '' : `, LF source ${lfSource}`}`,
  `npx tsx benchmarks/resum.ts${quick ? ' --quick' : ''}${isDefaultLf ? '' : ` --lf-source ${lfSource}`}`,
  body,
  backendInfo().name,
);
console.log(body);
