// Study drivers: plans (which configurations), mean ± std aggregation on
// hand-made records, a tiny end-to-end study on the noisy quadratic (skip and
// resume on re-invocation), and the CLI's flag validation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../lib/backend.ts';
import { RunFolder } from '../lib/history.ts';
import type { IterationRecord } from '../lib/loop.ts';
import { tf } from '../lib/tf.ts';
import { Command } from 'commander';
import { finalJson, parseIntList, parseObjectives, registerStudyCommand, studyOptionsFromFlags } from '../lib/cli/study-command.ts';
import { runPipeline } from '../pipelines/run.ts';
import { parseRunConfig } from '../pipelines/run-config.ts';
import { aggregateRuns, meanStd, sumIndices, type SeedRun } from '../pipelines/studies/aggregate.ts';
import { runDir, runStudy } from '../pipelines/studies/run-study.ts';
import type { ConfigurationAggregate, StudySummary } from '../pipelines/studies/study-output.ts';
import { planStudy, runInput, type StudyOptions } from '../pipelines/studies/study-spec.ts';

await initBackend(undefined, { quiet: true });

const close = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** A record with only what the aggregation reads (the rest of IterationRecord is irrelevant here). */
function record(iteration: number, theta: number[], thetaNext: number[], delta: number, atTheta: number, atNext: number, truth?: [number, number]): IterationRecord {
  return {
    iteration,
    theta,
    thetaNext,
    delta: { perCandidate: [delta], mean: delta, std: 0, min: delta, max: delta },
    prediction: { atTheta, atNext },
    ...(truth ? { truth: { atTheta: truth[0], atNext: truth[1] } } : {}),
  } as IterationRecord; // cast: the other fields are not used by aggregateRuns
}

// ---------------------------------------------------------------- aggregation

test('meanStd: sample mean and Bessel-corrected std', () => {
  const m = meanStd([1, 2, 3, 4]);
  assert.is(m.mean, 2.5);
  assert.ok(close(m.std, Math.sqrt(5 / 3)), `std ${m.std}`);
  assert.is(m.n, 4);
  assert.equal(meanStd([7]), { mean: 7, std: 0, n: 1 });
  assert.throws(() => meanStd([], 'x'), /x: cannot average zero values/);
  assert.throws(() => meanStd([1, NaN], 'objective'), /objective: value NaN/);
});

test('sums are defined only for calorimeter names', () => {
  assert.equal(sumIndices(['abs1', 'scint1', 'abs2', 'scint2']), { scintillator: [1, 3], absorber: [0, 2], total: [0, 1, 2, 3] });
  assert.equal(sumIndices(['x1', 'x2']), {});
});

test('aggregateRuns: per-iteration and final mean ± std on hand-made records', () => {
  const names = ['abs1', 'scint1'];
  const runs: SeedRun[] = [
    { seed: 1, parameters: names, records: [record(0, [1, 1], [0.8, 2], 10, 9, 8, [9.5, 8.5]), record(1, [0.8, 2], [0.4, 4], 6, 7, 5, [7.5, 5.5])] },
    { seed: 2, parameters: names, records: [record(0, [1, 1], [0.6, 3], 12, 11, 9, [9.5, 8]), record(1, [0.6, 3], [0.2, 6], 8, 6, 4, [7, 5])] },
  ];
  const a = aggregateRuns(runs);
  assert.equal(a.seeds, [1, 2]);
  assert.is(a.iterations.length, 3, 'two iterations plus the final θ');
  const [i0, i1, i2] = a.iterations;
  assert.equal(i0!.theta.abs1, { mean: 1, std: 0, n: 2 });
  assert.ok(close(i1!.theta.abs1!.mean, 0.7) && close(i1!.theta.abs1!.std, Math.SQRT2 * 0.1), JSON.stringify(i1!.theta.abs1));
  assert.ok(close(i1!.theta.scint1!.mean, 2.5) && close(i1!.theta.scint1!.std, Math.SQRT1_2));
  assert.equal(i0!.objective, { mean: 11, std: Math.SQRT2, n: 2 });
  assert.equal(i1!.prediction, { mean: 6.5, std: Math.SQRT1_2, n: 2 });
  assert.is(i1!.truth!.mean, 7.25);
  // Final point: θ_next of the last record; no measurement there, prediction and truth at θ_next.
  assert.ok(close(i2!.theta.scint1!.mean, 5) && close(i2!.theta.scint1!.std, Math.SQRT2));
  assert.is(i2!.objective, null);
  assert.equal(i2!.prediction, { mean: 4.5, std: Math.SQRT1_2, n: 2 });
  assert.is(i2!.truth!.mean, 5.25);
  // Sums per seed first: seed 1 total at the end 4.4, seed 2 6.2.
  assert.ok(close(i2!.sums.total!.mean, 5.3) && close(i2!.sums.total!.std, Math.SQRT2 * 0.9), JSON.stringify(i2!.sums.total));
  assert.ok(close(i2!.sums.absorber!.mean, 0.3) && close(i2!.sums.scintillator!.mean, 5));
  assert.equal(a.final.parameters, i2!.theta);
  assert.equal(a.final.objective, { mean: 7, std: Math.SQRT2, n: 2 }, 'δ̄ of the last iteration');
  assert.equal(a.final.prediction, i2!.prediction);
  assert.equal(a.final.sums, i2!.sums);
});

test('aggregateRuns: runs of different length, missing truth, inconsistent parameters', () => {
  const short: SeedRun = { seed: 1, parameters: ['x1'], records: [record(0, [0], [1], 3, 3, 2)] };
  const long: SeedRun = { seed: 2, parameters: ['x1'], records: [record(0, [0], [2], 5, 4, 3), record(1, [2], [3], 1, 1, 0.5)] };
  const a = aggregateRuns([short, long]);
  assert.equal(a.iterations.map((p) => p.seeds), [2, 2, 1]);
  assert.equal(a.iterations[1]!.theta.x1, { mean: 1.5, std: Math.SQRT1_2, n: 2 }, 'seed 1 final θ and seed 2 θ_1');
  assert.equal(a.iterations[1]!.prediction, { mean: 1.5, std: Math.SQRT1_2, n: 2 }, 'seed 1 atNext and seed 2 atTheta');
  assert.equal(a.iterations[1]!.objective, { mean: 1, std: 0, n: 1 });
  assert.is(a.iterations[0]!.truth, null);
  assert.equal(a.final.parameters.x1, { mean: 2, std: Math.SQRT2, n: 2 });
  assert.throws(() => aggregateRuns([short, { ...long, parameters: ['x2'] }]), /seed 2 has parameters x2/);
  assert.throws(() => aggregateRuns([]), /no runs/);
  assert.throws(() => aggregateRuns([{ seed: 4, parameters: ['x1'], records: [] }]), /seed 4 has no completed iteration/);
});

// ---------------------------------------------------------------- study plans

const opts = (o: Partial<StudyOptions> & Pick<StudyOptions, 'study'>): StudyOptions => ({ objectives: ['reco', 'mi'], seeds: 3, firstSeed: 1, ...o });

test('plans: BASE, TRANSFER and ENERGY configurations of seed 002 (Section V, Table 2)', () => {
  const base = planStudy(opts({ study: 'base' }));
  assert.equal(base.configurations.map((c) => c.label), ['reco-1layer', 'reco-2layer', 'reco-3layer', 'mi-1layer', 'mi-2layer', 'mi-3layer']);
  assert.equal(base.seeds, [1, 2, 3]);
  const mi3 = base.configurations[5]!;
  assert.equal([mi3.run.problem, mi3.run.dim, mi3.run.candidates, mi3.run.events, mi3.run.transferLearning], ['mi-opt', 3, 117, 700, true]);
  assert.equal(base.configurations[0]!.run.candidates, 30);
  assert.equal(base.configurations[0]!.run.problemOptions, { eMin: 1, eMax: 20 });

  const transfer = planStudy(opts({ study: 'transfer', firstSeed: 5, seeds: 2 }));
  assert.equal(transfer.seeds, [5, 6]);
  assert.equal(transfer.configurations.map((c) => c.label), [
    'reco-1layer-M700-TL', 'reco-1layer-M700-noTL', 'reco-1layer-M50-TL', 'reco-1layer-M50-noTL', 'reco-1layer-M5-TL', 'reco-1layer-M5-noTL',
    'mi-1layer-M700-TL', 'mi-1layer-M700-noTL', 'mi-1layer-M50-TL', 'mi-1layer-M50-noTL',
  ]);
  assert.equal(transfer.configurations.map((c) => c.run.transferLearning), [true, false, true, false, true, false, true, false, true, false]);
  assert.equal(planStudy(opts({ study: 'transfer', objectives: ['reco'], events: [20] })).configurations.map((c) => c.run.events), [20, 20]);

  const energy = planStudy(opts({ study: 'energy', objectives: ['mi'] }));
  assert.equal(energy.configurations.map((c) => [c.label, c.run.problemOptions]), [
    ['mi-1layer-E1-20', { eMin: 1, eMax: 20 }],
    ['mi-1layer-E1-100', { eMin: 1, eMax: 100 }],
    ['mi-3layer-E1-20', { eMin: 1, eMax: 20 }],
    ['mi-3layer-E1-100', { eMin: 1, eMax: 100 }],
  ]);
  // Each seed its own RunConfig that parseRunConfig accepts.
  const rc = parseRunConfig(runInput(energy.configurations[1]!, 9));
  assert.equal([rc.problem, rc.seed, rc.dim, rc.candidates], ['mi-opt', 9, 1, 117]);
  // Overrides.
  const over = planStudy(opts({ study: 'base', objectives: ['reco'], layers: [2], problem: 'quadratic', iterations: 4, candidates: 6 }));
  assert.equal([over.configurations[0]!.run.problem, over.configurations[0]!.run.iterations, over.configurations[0]!.run.candidates], ['quadratic', 4, 6]);
});

test('plans: bad options name the flag', () => {
  assert.throws(() => planStudy(opts({ study: 'base', layers: [0] })), /--layers: 0 is not a positive integer/);
  assert.throws(() => planStudy(opts({ study: 'base', layers: [] })), /--layers: give at least one value/);
  assert.throws(() => planStudy(opts({ study: 'base', objectives: ['foo' as 'mi'] })), /--objective: unknown objective "foo"/);
  assert.throws(() => planStudy(opts({ study: 'transfer', events: [50, 2.5] })), /--events: 2.5/);
  assert.throws(() => planStudy(opts({ study: 'energy', seeds: 0 })), /--seeds/);
  assert.throws(() => planStudy(opts({ study: 'nope' as 'base' })), /study: unknown study "nope"/);
});

// ---------------------------------------------------------------- CLI flags

test('CLI flag parsing: lists and errors naming the flag', () => {
  assert.equal(parseIntList('1, 2,3', 'layers'), [1, 2, 3]);
  assert.throws(() => parseIntList('0', 'layers'), /--layers: "0" is not an integer >= 1/);
  assert.throws(() => parseIntList('1,,2', 'layers'), /--layers/);
  assert.throws(() => parseIntList('a', 'events'), /--events: "a"/);
  assert.equal(parseObjectives('mi,reco,mi'), ['mi', 'reco']);
  assert.throws(() => parseObjectives('foo'), /--objective: "foo" is not an objective/);
  const o = studyOptionsFromFlags('transfer', { objective: 'reco', events: '700,50,5', seeds: '3', seed: '10', iterations: '4', candidates: '8', problem: 'quadratic' });
  assert.equal([o.objectives, o.events, o.seeds, o.firstSeed, o.iterations, o.candidates, o.problem], [['reco'], [700, 50, 5], 3, 10, 4, 8, 'quadratic']);
  assert.equal(studyOptionsFromFlags('base', {}).objectives, ['reco', 'mi']);
  assert.throws(() => studyOptionsFromFlags('base', { seeds: '0' }), /--seeds/);
  assert.throws(() => studyOptionsFromFlags('base', { events: '700,50' }), /--events: the base study takes one M/);
  assert.throws(() => studyOptionsFromFlags('energy', { candidates: '1' }), /--candidates/);
  assert.equal(studyOptionsFromFlags('base', { stepGate: '2', replay: '3' }).runOverrides, { replayIterations: 3, stepGate: 2 });
  assert.throws(() => studyOptionsFromFlags('base', { stepGate: '-1' }), /--step-gate: "-1" is not a number >= 0/);
  // --cost goes into every run's config, checked against each layer count's parameter names
  const cost = '0.01 * (abs1 + abs2 + abs3)';
  const plan = planStudy(studyOptionsFromFlags('base', { objective: 'mi', layers: '3', cost }));
  assert.equal(plan.configurations.map((c) => c.run.cost), [cost]);
  assert.throws(() => planStudy(studyOptionsFromFlags('base', { objective: 'mi', layers: '1,3', cost })), /--cost \(1 layer\): unknown parameter "abs2"/);
  assert.throws(() => studyOptionsFromFlags('base', { cost: ' ' }), /--cost: must not be empty/);
});

test('CLI: `detopt study base --layers 0` and `--objective foo` fail naming the flag', async () => {
  const never = join(tmpdir(), 'detopt-never-written');
  // In process through commander (fast) ...
  for (const [args, message] of [
    [['--layers', '0'], /--layers: "0" is not an integer >= 1/],
    [['--objective', 'foo'], /--objective: "foo" is not an objective/],
    [['--layers', '1,2', '--seeds', 'x'], /--seeds: "x"/],
  ] as const) {
    const program = new Command().exitOverride();
    registerStudyCommand(program);
    try {
      await program.parseAsync(['study', 'base', ...args, '--out', never, '--quiet'], { from: 'user' });
      assert.unreachable(`${args.join(' ')} accepted`);
    } catch (err) {
      assert.match(String(err), message);
    }
  }
  // ... and once through the real binary: exit status 1, the message on stderr.
  const r = spawnSync(process.execPath, ['bin/detopt.js', 'study', 'energy', '--objective', 'mi,foo', '--out', never], { encoding: 'utf8' });
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /detopt: error: --objective: "foo" is not an objective/);
  assert.not.ok(existsSync(never));
});

// ---------------------------------------------------------------- end to end

test('tiny study end to end: aggregate.json matches the runs’ history; a second invocation skips, a killed run resumes', async () => {
  const out = mkdtempSync(join(tmpdir(), 'detopt-study-'));
  try {
    const tiny: StudyOptions = {
      study: 'base', objectives: ['reco'], layers: [2], seeds: 2, firstSeed: 1,
      problem: 'quadratic', iterations: 2, candidates: 4, events: [5],
      runOverrides: { surrogateOptions: { epochs: 30 }, maxSteps: 10 },
    };
    const plan = planStudy(tiny);
    const lines: string[] = [];
    const first = await runStudy(plan, { out, log: (l) => lines.push(l) });
    assert.equal(first.runs.map((r) => r.status), ['ran', 'ran']);
    const runLines = lines.filter((l) => l.startsWith('study '));
    assert.is(runLines.length, 2);
    assert.match(runLines[0]!, /study base \[1\/2\] reco-2layer seed 1 ran in/);
    assert.is(lines.filter((l) => /^ {2}reco-2layer seed [12] iter +[12] /.test(l)).length, 4, lines.join('\n'));
    const tensors = tf.memory().numTensors;

    const aggPath = join(out, 'base', 'reco-2layer', 'aggregate.json');
    const agg = JSON.parse(readFileSync(aggPath, 'utf8')) as ConfigurationAggregate;
    assert.equal([agg.label, agg.problem, agg.layers, agg.events, agg.seeds, agg.parameters], ['reco-2layer', 'quadratic', 2, 5, [1, 2], ['x1', 'x2']]);
    assert.is(agg.iterations.length, 3);
    // Recompute from history.jsonl by hand.
    const hist = [1, 2].map((s) => new RunFolder(runDir(out, 'base/reco-2layer', s)).readHistory());
    assert.equal(hist.map((h) => h.length), [2, 2]);
    for (let it = 0; it < 2; it++) {
      const x2 = hist.map((h) => h[it]!.theta[1]!);
      const mean = (x2[0]! + x2[1]!) / 2;
      assert.ok(close(agg.iterations[it]!.theta.x2!.mean, mean), `iteration ${it} x2 mean`);
      assert.ok(close(agg.iterations[it]!.theta.x2!.std, Math.abs(x2[0]! - x2[1]!) / Math.SQRT2), `iteration ${it} x2 std`);
      const d = hist.map((h) => h[it]!.delta.mean);
      assert.ok(close(agg.iterations[it]!.objective!.mean, (d[0]! + d[1]!) / 2), `iteration ${it} objective`);
      const p = hist.map((h) => h[it]!.prediction.atTheta);
      assert.ok(close(agg.iterations[it]!.prediction!.mean, (p[0]! + p[1]!) / 2), `iteration ${it} prediction`);
      assert.ok(agg.iterations[it]!.truth !== null, 'the quadratic knows its truth');
    }
    const x1Final = hist.map((h) => h[1]!.thetaNext[0]!);
    assert.ok(close(agg.final.parameters.x1!.mean, (x1Final[0]! + x1Final[1]!) / 2));
    assert.is(agg.iterations[2]!.objective, null);
    assert.ok(existsSync(join(out, 'base', 'reco-2layer', 'evolution.svg')));
    assert.ok(readFileSync(join(out, 'base', 'base-overview.svg'), 'utf8').includes('reco, 2 layers'));
    const summary = JSON.parse(readFileSync(join(out, 'base', 'summary.json'), 'utf8')) as StudySummary;
    assert.equal(summary.configurations.map((c) => c.label), ['reco-2layer']);
    assert.equal(summary.configurations[0]!.final, agg.final);
    const report = readFileSync(join(out, 'base', 'report.html'), 'utf8');
    assert.ok(report.includes('<td>reco-2layer</td><td>1, 2</td>'), 'the configuration row with its seeds');
    assert.ok(report.includes(`x1 ${agg.final.parameters.x1!.mean.toPrecision(4)} ± `), 'the final mean of x1');
    assert.is(report.split('<svg').length - 1, 2, 'the overview panel and the configuration plot inlined');
    assert.ok(existsSync(join(runDir(out, 'base/reco-2layer', 1), 'report.html')), 'every run folder has its own report');

    // Second invocation: nothing re-run, history untouched.
    const mtime = statSync(join(runDir(out, 'base/reco-2layer', 1), 'history.jsonl')).mtimeMs;
    const second = await runStudy(plan, { out, progress: false });
    assert.equal(second.runs.map((r) => r.status), ['skipped', 'skipped']);
    assert.is(statSync(join(runDir(out, 'base/reco-2layer', 1), 'history.jsonl')).mtimeMs, mtime);
    assert.equal(second.summary.configurations[0]!.final, agg.final);
    assert.is(tf.memory().numTensors, tensors, 'no tensors left behind by a study');

    // A run killed after one iteration (seed 3) is resumed, not restarted.
    const three = planStudy({ ...tiny, seeds: 3 });
    const dir3 = runDir(out, 'base/reco-2layer', 3);
    await runPipeline(runInput(three.configurations[0]!, 3), { out: dir3, stopAfter: 1 });
    const firstLine = readFileSync(join(dir3, 'history.jsonl'), 'utf8').split('\n')[0];
    const third = await runStudy(three, { out, progress: false });
    assert.equal(third.runs.map((r) => r.status), ['skipped', 'skipped', 'resumed']);
    assert.is(readFileSync(join(dir3, 'history.jsonl'), 'utf8').split('\n')[0], firstLine, 'iteration 0 kept');
    assert.is(new RunFolder(dir3).readHistory().length, 2);
    assert.is(tf.memory().numTensors, tensors, 'no tensors left behind by a resumed run');
    assert.equal((JSON.parse(readFileSync(aggPath, 'utf8')) as ConfigurationAggregate).seeds, [1, 2, 3]);

    // MINE's worker count only splits the same estimators across threads: a run made with
    // another count is the same run and is reused; a setting that changes results is not.
    const config1 = join(runDir(out, 'base/reco-2layer', 1), 'config.json');
    const saved = readFileSync(config1, 'utf8');
    const original = JSON.parse(saved) as { problemOptions?: Record<string, unknown> };
    const withMine = (mine: Record<string, number>) => JSON.stringify({ ...original, problemOptions: { ...original.problemOptions, mine } });
    writeFileSync(config1, withMine({ workers: 1 }));
    assert.equal((await runStudy(plan, { out, progress: false })).runs.map((r) => r.status), ['skipped', 'skipped']);
    writeFileSync(config1, withMine({ workers: 1, epochs: 7 }));
    try {
      await runStudy(plan, { out, progress: false });
      assert.unreachable('a run with other MINE epochs was reused');
    } catch (err) {
      assert.match(String(err), /holds a run with problemOptions = \{.*"mine":\{"workers":1,"epochs":7\}\}/);
    }
    writeFileSync(config1, saved);

    // A folder holding a run with other settings is refused, naming the field.
    const other = planStudy({ ...tiny, seeds: 1, iterations: 3 });
    try {
      await runStudy(other, { out, progress: false });
      assert.unreachable('a run with other settings was reused');
    } catch (err) {
      assert.match(String(err), /holds a run with iterations = 2, this study asks for 3/);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('ENERGY and TRANSFER comparison panels; --json output per configuration', async () => {
  const out = mkdtempSync(join(tmpdir(), 'detopt-study-'));
  try {
    const common = { objectives: ['reco'], layers: [1], seeds: 1, firstSeed: 3, problem: 'quadratic', iterations: 1, candidates: 4, events: [5], runOverrides: { surrogateOptions: { epochs: 10 }, maxSteps: 5 } } as const;
    const energy = await runStudy(planStudy({ ...common, study: 'energy', objectives: ['reco'], layers: [1], events: [5] }), { out, progress: false });
    assert.equal(energy.summary.configurations.map((c) => [c.label, c.energy.eMax]), [['reco-1layer-E1-20', 20], ['reco-1layer-E1-100', 100]]);
    // the 1–20 GeV baseline is the BASE run of the same settings: run once, shared
    assert.ok(existsSync(join(out, 'base', 'reco-1layer', 'seed-3', 'history.jsonl')), 'baseline runs live in base/');
    assert.not.ok(existsSync(join(out, 'energy', 'reco-1layer-E1-20', 'seed-3')), 'no second copy under energy/');
    assert.ok(existsSync(join(out, 'energy', 'reco-1layer-E1-20', 'aggregate.json')), 'its aggregate is written with the study');
    const base = await runStudy(planStudy({ ...common, study: 'base', objectives: ['reco'], layers: [1], events: [5] }), { out, progress: false });
    assert.equal(base.runs.map((r) => r.status), ['skipped'], 'BASE finds the ENERGY baseline already run');
    const energySvg = readFileSync(join(out, 'energy', 'energy-comparison.svg'), 'utf8');
    assert.ok(energySvg.includes('reco, 1 layer, 1–20 GeV') && energySvg.includes('reco, 1 layer, 1–100 GeV'), 'both energy ranges side by side');
    const transfer = await runStudy(planStudy({ ...common, study: 'transfer', objectives: ['reco'], layers: [1], events: [5] }), { out, progress: false });
    const transferSvg = readFileSync(join(out, 'transfer', 'transfer-panel.svg'), 'utf8');
    assert.ok(transferSvg.includes('M = 5, TL') && transferSvg.includes('M = 5, no TL'));
    const json = finalJson(transfer.summary) as { study: string; configurations: Record<string, { parameters: Record<string, { mean: number; std: number }>; objective: { mean: number } }> };
    assert.is(json.study, 'transfer');
    assert.equal(Object.keys(json.configurations), ['reco-1layer-M5-TL', 'reco-1layer-M5-noTL']);
    const summary = transfer.summary.configurations[0]!;
    assert.equal(json.configurations['reco-1layer-M5-TL']!.parameters, summary.final.parameters);
    assert.is(json.configurations['reco-1layer-M5-TL']!.parameters.x1!.std, 0, 'one seed: std 0');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test.run();
