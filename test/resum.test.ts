import { test } from 'uvu';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { tf } from '../lib/tf.ts';
import { Rng } from '../lib/random.ts';
import { feasibleLatinHypercube, type BoxSpec } from '../pipelines/resum-design.ts';
import { moderatorProblem, probitProblem } from '../pipelines/resum-problem.ts';
import { runResum } from '../pipelines/resum.ts';
import { RareEventSurrogate, type DesignRecord } from '../surrogates/resum.ts';
import { validationMetrics } from '../surrogates/resum-metrics.ts';
import { resumPlanFromFlags } from '../lib/cli/resum-command.ts';

await initBackend(undefined, { quiet: true });

test('the Latin hypercube is feasible, integer in n and stratified in every dimension', () => {
  // x ∈ [0, 1], n ∈ [4, 360] integer, constraint x + n/360 ≤ 1.6
  const box: BoxSpec = { lower: [0, 4], upper: [1, 360], integer: [false, true], feasible: (t) => t[0]! + t[1]! / 360 <= 1.6 };
  const N = 40;
  const stats = { replaced: -1 };
  const pts = feasibleLatinHypercube(box, N, new Rng('lhs'), stats);
  assert.is(pts.length, N);
  assert.is(stats.replaced, 0, 'a strict hypercube exists here');
  assert.ok(pts.every((p) => box.feasible(p)));
  assert.ok(pts.every((p) => Number.isInteger(p[1])));
  for (let d = 0; d < 2; d++) {
    const w = (box.upper[d]! - box.lower[d]!) / N;
    // every stratum holds exactly one point (n: up to ±0.5 from rounding)
    const slack = box.integer[d] ? 0.5 : 0;
    const counts = new Array<number>(N).fill(0);
    for (const p of pts) {
      const s = Math.min(N - 1, Math.floor((p[d]! - box.lower[d]!) / w));
      const lo = box.lower[d]! + s * w;
      const near = p[d]! - lo < slack && s > 0 && counts[s] === 1 ? s - 1 : s;
      counts[near]! += 1;
    }
    assert.ok(counts.filter((c) => c === 1).length >= N - (box.integer[d] ? 2 : 0), `dimension ${d}: strata counts ${counts.join(',')}`);
  }
  // the moderator: constraints make a strict hypercube impossible; all points still feasible and integer
  const mod = moderatorProblem();
  const mp = feasibleLatinHypercube(mod, 30, new Rng('lhs-mod'));
  assert.ok(mp.every((p) => mod.feasible(p) && Number.isInteger(p[2])));
  assert.ok(new Set(mp.map((p) => p.join())).size === 30);
});

test('validationMetrics: MSE and 1/2/3σ coverage of a hand-made example', () => {
  // errors 0.5, 1.5, 2.5, 3.5 with σ = 1
  const m = validationMetrics([0, 0, 0, 0], [1, 1, 1, 1], [0.5, -1.5, 2.5, -3.5]);
  assert.is(m.mse, (0.25 + 2.25 + 6.25 + 12.25) / 4);
  assert.equal(m.coverage, [25, 50, 75]);
  assert.throws(() => validationMetrics([0], [-1], [0]), /sd\[0\]/);
});

test('RESuM with ρ-structured synthetic levels recovers the HF function better than an HF-only GP', () => {
  // t(x) per event; the CNP levels are 1.3·t (+ a small wiggle at LF), as an LF bias the MFGP's ρ absorbs
  const t = (x: number[]) => (3 + Math.sin(6 * x[0]!) + 0.5 * Math.cos(4 * x[1]!)) * 1e-5;
  const rng = new Rng('synthetic');
  const N = 1e6;
  const records: DesignRecord[] = [];
  for (const x of rng.latinHypercube(60, 2)) {
    records.push({ theta: x, lf: { events: 1e4, signals: rng.poisson(t(x) * 1e4), yCnp: 1.3 * t(x) + 0.02e-5 * rng.normal() } });
  }
  for (const x of rng.latinHypercube(6, 2)) {
    records.push({
      theta: x,
      lf: { events: 1e4, signals: rng.poisson(t(x) * 1e4), yCnp: 1.3 * t(x) + 0.02e-5 * rng.normal() },
      hf: { events: N, signals: rng.poisson(t(x) * N), yCnp: 1.3 * t(x) + 0.02e-5 * rng.normal() },
    });
  }
  const grid = rng.latinHypercube(200, 2);
  const truth = grid.map(t);
  const score = (kind: 'resum' | 'hf-gp') => {
    const m = new RareEventSurrogate(kind, [0, 0], [1, 1]);
    m.fit(records, { rng: new Rng(kind), restarts: 2 });
    const p = m.predict(grid);
    return validationMetrics(p.mean, p.sd, truth);
  };
  const resum = score('resum');
  const hfOnly = score('hf-gp');
  assert.ok(resum.mse < 0.25 * hfOnly.mse, `MSE RESuM ${resum.mse} vs HF-only ${hfOnly.mse}`);
  // the HF runs' Poisson noise (≈ 0.55e-5 each, 6 runs) limits how well ρ and the offset are known
  assert.ok(Math.sqrt(resum.mse) < 0.3e-5, `RESuM rms error ${Math.sqrt(resum.mse)} (t̄ varies by 3e-5)`);
  // with the GLS term for ρ̂ and β̂ the ±2σ band covers the truth
  assert.ok(resum.coverage[1] > 85, `RESuM 2σ coverage ${resum.coverage[1]}`);
});

test('a small end-to-end RESuM run on the probit toy beats the baseline; tensors stay constant across rounds', () => {
  const problem = probitProblem({ b0: -3, kappa: 0.1 });
  const counts: number[] = [];
  const before = tf.memory().numTensors;
  const r = runResum(problem, {
    lfRuns: 30,
    hfRuns: 4,
    rounds: 3,
    seed: 7,
    cnp: { steps: 80, hidden: 32, representation: 8 },
    mcPoints: 100,
    acquisitionCandidates: 100,
    searchPoints: 500,
    onRound: () => counts.push(tf.memory().numTensors),
  });
  assert.is(r.rounds.length, 3);
  // by default the last 2 rounds simulate the model's optimum, the first one the IVR choice
  assert.equal(r.rounds.map((rec) => rec.kind), ['ivr', 'exploit', 'exploit']);
  // the result records the CNP options used: the user's over the pipeline's defaults
  assert.equal(r.options.cnp, { steps: 80, hidden: 32, representation: 8 });
  assert.is(new Set(counts).size, 1, `tensors per round: ${counts.join(',')}`);
  assert.is(tf.memory().numTensors, before);
  assert.ok(r.best.exact! < r.baseline.exact!, `best exact ${r.best.exact} vs baseline ${r.baseline.exact}`);
  // the recommended design is one of the HF-simulated ones; the space-wide minimum is reported beside it
  assert.ok(r.records.some((rec) => rec.hf && rec.theta.every((v, d) => v === r.best.theta[d])), 'best design not among the HF runs');
  assert.ok(problem.feasible(r.predictedOptimum.theta) && r.predictedOptimum.exact! > 0);
  // t̄ ranges 0.017 (minimum, Φ(−3/√2)) – 0.1 over the box; the baseline has 0.0375
  assert.ok(r.best.exact! < 0.8 * r.baseline.exact!, `best exact ${r.best.exact}`);
  assert.is(r.cost.lfRuns, 30 + 4 + 3);
  assert.is(r.cost.hfRuns, 4 + 3);
  assert.ok(Math.abs(r.cost.percentEvents - (100 * (37 * 2000 + 7 * 20000)) / (44 * 20000)) < 1e-9);
  for (const rec of r.rounds) {
    assert.ok(problem.feasible(rec.theta));
    // IVR rounds: a variance reduction (> 0); exploit rounds: the model's ŷ + σ̂ there (finite, a GP may dip below 0)
    assert.ok(rec.kind === 'ivr' ? rec.acquisition > 0 : Number.isFinite(rec.acquisition), `acquisition ${rec.acquisition} (${rec.kind})`);
    assert.ok(Math.abs(rec.observed - rec.exact!) < 5 * Math.sqrt(rec.exact! / 20000), 'the HF run measures the exact rate');
  }
});

test("recommend 'observed' picks the HF-simulated design with the lowest m/N; the rounds do not depend on the rule", () => {
  const problem = probitProblem({ b0: -3, kappa: 0.1 });
  const opts = { lfRuns: 30, hfRuns: 4, rounds: 2, seed: 8, cnp: { steps: 40, hidden: 16, representation: 8 }, mcPoints: 60, acquisitionCandidates: 60, searchPoints: 300 };
  const model = runResum(problem, opts);
  const observed = runResum(problem, { ...opts, recommend: 'observed' });
  assert.equal(observed.rounds.map((r) => r.theta), model.rounds.map((r) => r.theta));
  assert.is(observed.simulated.length, 6);
  const lowest = observed.simulated.reduce((a, d) => (d.observed < a.observed ? d : a));
  assert.equal(observed.best.theta, lowest.theta);
  // the simulated list holds the final model's ŷ, which is what 'simulated' minimised (with + σ̂)
  const byModel = model.simulated.reduce((a, d) => (d.predicted + d.sd < a.predicted + a.sd ? d : a));
  assert.equal(model.best.theta, byModel.theta);
  assert.equal(model.simulated.map((d) => d.source), ['initial', 'initial', 'initial', 'initial', 'exploit', 'exploit']);
});

test('exploit rounds simulate the minimum of ŷ + exploitCaution·σ̂ (default: caution); bad values name the field', () => {
  const problem = probitProblem({ b0: -3, kappa: 0.1 });
  const opts = { lfRuns: 24, hfRuns: 3, rounds: 2, exploitRounds: 2, seed: 9, cnp: { steps: 30, hidden: 16, representation: 8 }, mcPoints: 40, acquisitionCandidates: 40, searchPoints: 200 };
  for (const kappa of [-1, 0]) {
    const r = runResum(problem, { ...opts, exploitCaution: kappa });
    assert.is(r.options.exploitCaution, kappa);
    assert.is(r.options.caution, 1);
    for (const rec of r.rounds) {
      // the recorded acquisition is the model's ŷ + κσ̂ at the chosen design, before its run
      const expected = rec.predicted.mean + kappa * rec.predicted.sd;
      assert.ok(Math.abs(rec.acquisition - expected) <= 1e-9 * Math.abs(expected) + 1e-15, `round ${rec.round}: ${rec.acquisition} vs ${expected}`);
    }
  }
  assert.is(runResum(problem, { ...opts, rounds: 0, exploitRounds: 0 }).options.exploitCaution, 1);
  assert.throws(() => runResum(problem, { ...opts, exploitCaution: Number.NaN }), /resum exploitCaution: must be a finite number/);
});

test('the pipeline is deterministic for a seed', () => {
  const problem = probitProblem({ b0: -3, kappa: 0.1 });
  const run = () =>
    runResum(problem, { lfRuns: 12, hfRuns: 3, rounds: 1, seed: 'det', cnp: { steps: 20, hidden: 16, representation: 4 }, mcPoints: 40, acquisitionCandidates: 40, searchPoints: 100, exact: false });
  const a = run();
  const b = run();
  assert.equal(a.best.theta, b.best.theta);
  assert.equal(a.rounds[0]!.theta, b.rounds[0]!.theta);
  assert.equal(a.records.map((r) => r.hf?.signals ?? -1), b.records.map((r) => r.hf?.signals ?? -1));
  assert.is(a.best.exact, null);
});

test('detopt resum writes config, one history line per round and the summary; study resum runs seeds, skips finished ones and aggregates', () => {
  const out = mkdtempSync(join(tmpdir(), 'detopt-resum-'));
  const dir = join(out, 'run');
  const bin = new URL('../bin/detopt.js', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [bin, 'resum', '--problem', 'probit', '--lf', '12', '--hf', '3', '--rounds', '2', '--cnp-steps', '20', '--out', dir, '--json'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { best: { exact: number }; baseline: { exact: number }; cost: { hfRuns: number }; simulated: { source: string }[] };
  assert.is(summary.cost.hfRuns, 5);
  assert.equal(summary.simulated.map((d) => d.source), ['initial', 'initial', 'initial', 'exploit', 'exploit']);
  assert.ok(summary.best.exact > 0 && summary.baseline.exact > 0);
  assert.match(r.stderr, /round 2:/);
  assert.is(readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n').length, 2);
  assert.ok(existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'summary.json')));
  const bad = spawnSync(process.execPath, [bin, 'resum', '--rounds', 'x'], { encoding: 'utf8' });
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /--rounds: "x"/);

  // study resum: seeds 1 and 2 in their own folders; seed 1 is the run above, bit for bit
  const study = join(out, 'study');
  const args = [bin, 'study', 'resum', '--problem', 'probit', '--lf', '12', '--hf', '3', '--rounds', '2', '--cnp-steps', '20', '--seeds', '2', '--out', study, '--json'];
  const s1 = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.is(s1.status, 0, s1.stderr);
  type Study = { seeds: number[]; best: Record<string, { mean: number; std: number }>; perSeed: { best: { theta: number[]; exact: number } }[]; bestExact: { mean: number } };
  const agg = JSON.parse(s1.stdout) as Study;
  assert.equal(agg.seeds, [1, 2]);
  const fromSummary = summary as unknown as { best: { theta: number[] } };
  assert.equal(agg.perSeed[0]!.best.theta, fromSummary.best.theta, 'seed 1 of the study is the plain run with seed 1');
  assert.not.equal(agg.perSeed[1]!.best.theta, fromSummary.best.theta);
  const x0 = agg.perSeed.map((p) => p.best.theta[0]!);
  assert.ok(Math.abs(agg.best.x0!.mean - (x0[0]! + x0[1]!) / 2) < 1e-12);
  assert.ok(Math.abs(agg.best.x0!.std - Math.abs(x0[0]! - x0[1]!) / Math.SQRT2) < 1e-12);
  assert.ok(Math.abs(agg.bestExact.mean - (agg.perSeed[0]!.best.exact + agg.perSeed[1]!.best.exact) / 2) < 1e-15);
  assert.ok(readFileSync(join(study, 'report.html'), 'utf8').includes('<td>mean ± std</td>'));
  // again, with seed 2 stopped mid-search: seed 1 is skipped, seed 2 starts again and ends the same
  rmSync(join(study, 'seed-2', 'summary.json'));
  const s2 = spawnSync(process.execPath, args.filter((a) => a !== '--json'), { encoding: 'utf8' });
  assert.is(s2.status, 0, s2.stderr);
  assert.match(s2.stderr, /seed 1 skipped \(finished earlier/);
  assert.match(s2.stderr, /seed 2 was stopped mid-search; starting it again/);
  const again = JSON.parse(readFileSync(join(study, 'summary.json'), 'utf8')) as Study;
  assert.equal(again.perSeed.map((p) => p.best), agg.perSeed.map((p) => p.best), 'the same recommendations (timings differ)');
  // other settings into the same study folder: refused by name, not averaged with the old seeds
  const mixed = spawnSync(process.execPath, args.map((a) => (a === '12' ? '14' : a)), { encoding: 'utf8' });
  assert.is(mixed.status, 1);
  assert.match(mixed.stderr, /study resum: .*seed-1 holds a search with lfRuns = 12, this study asks for 14/);
  // a plain resum into a finished folder says it does not resume
  const into = spawnSync(process.execPath, [bin, 'resum', '--problem', 'probit', '--lf', '12', '--hf', '3', '--rounds', '2', '--cnp-steps', '20', '--out', dir], { encoding: 'utf8' });
  assert.match(into.stderr, /already holds a run \(resum does not resume a search: choose another --out\)/);
  const report = spawnSync(process.execPath, [bin, 'report', dir], { encoding: 'utf8' });
  assert.match(report.stderr, /report: .* is a RESuM search \(detopt resum\)/);
  const badSeeds = spawnSync(process.execPath, [bin, 'study', 'resum', '--seeds', '0'], { encoding: 'utf8' });
  assert.is(badSeeds.status, 1);
  assert.match(badSeeds.stderr, /--seeds: "0" is not an integer >= 1/);
  rmSync(out, { recursive: true, force: true });
});

test('CLI flag errors name the flag', () => {
  assert.throws(() => resumPlanFromFlags({ lf: 'ten' }), /--lf: "ten"/);
  assert.throws(() => resumPlanFromFlags({ hf: '1' }), /--hf: "1" is not an integer >= 2/);
  assert.throws(() => resumPlanFromFlags({ rounds: '-1' }), /--rounds/);
  assert.throws(() => resumPlanFromFlags({ hfEvents: '1e6.5' }), /--hf-events/);
  assert.throws(() => resumPlanFromFlags({ cnpSteps: '0' }), /--cnp-steps/);
  assert.throws(() => resumPlanFromFlags({ problem: 'calo' }), /--problem: "calo"/);
  assert.throws(() => resumPlanFromFlags({ recommend: 'best' }), /--recommend: "best"/);
  assert.throws(() => resumPlanFromFlags({ exploit: '-1' }), /--exploit/);
  assert.is(resumPlanFromFlags({ exploit: '0' }).options.exploitRounds, 0);
  assert.throws(() => resumPlanFromFlags({ exploitCaution: 'low' }), /--exploit-caution: "low" is not a number/);
  assert.is(resumPlanFromFlags({ exploitCaution: '-0.5' }).options.exploitCaution, -0.5);
  assert.is(resumPlanFromFlags({}).options.exploitCaution, 1);
  assert.is(resumPlanFromFlags({ recommend: 'anywhere' }).options.recommend, 'anywhere');
  const p = resumPlanFromFlags({ lf: '20', seed: '3' });
  assert.is(p.options.lfRuns, 20);
  assert.is(p.options.hfRuns, 4);
  assert.is(p.options.hfEvents, 1_000_000);
  assert.is(p.out, 'runs/resum-moderator-3');
  assert.is(p.lfSource, 'argon-evaporation');
  assert.is(resumPlanFromFlags({ lfSource: 'cryostat-log-uniform' }).lfSource, 'cryostat-log-uniform');
  assert.throws(() => resumPlanFromFlags({ lfSource: 'flat' }), /--lf-source: "flat"/);
  assert.throws(() => resumPlanFromFlags({ problem: 'probit', lfSource: 'cryostat-log-uniform' }), /--lf-source: only the moderator/);
});

test.run();
