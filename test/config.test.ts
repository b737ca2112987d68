import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyConfigSpace, parseRunConfig } from '../pipelines/run-config.ts';
import { DesignSpace, type DesignSpaceSpec } from '../lib/space.ts';
import { parseBackendName } from '../lib/backend.ts';
import { buildPipeline } from '../pipelines/registry.ts';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return '(no error)';
}

test('defaults fill in what a config leaves out', () => {
  const c = parseRunConfig({ problem: 'rosenbrock' });
  assert.is(c.candidates, 30);
  assert.is(c.events, 700);
  assert.is(c.transferLearning, true);
  assert.is(c.stepOptimizer, 'ngd');
  assert.is(c.stepGate, 0);
});

test('RECO-OPT replays the last 3 iterations from 50 events per candidate on, unless the config says otherwise', () => {
  assert.is(parseRunConfig({ problem: 'reco-opt' }).replayIterations, 3);
  assert.is(parseRunConfig({ problem: 'reco-opt', events: 50 }).replayIterations, 3);
  assert.is(parseRunConfig({ problem: 'reco-opt', events: 49 }).replayIterations, 0);
  assert.is(parseRunConfig({ problem: 'reco-opt', events: 5 }).replayIterations, 0);
  assert.is(parseRunConfig({ problem: 'reco-opt', replayIterations: 0 }).replayIterations, 0);
  assert.is(parseRunConfig({ problem: 'reco-opt', events: 5, replayIterations: 10 }).replayIterations, 10);
  assert.is(parseRunConfig({ problem: 'mi-opt' }).replayIterations, 0);
  assert.is(parseRunConfig({ problem: 'quadratic' }).replayIterations, 0);
});

test('malformed configs name the field', () => {
  assert.match(errorOf(() => parseRunConfig({ events: -1 })), /^config\.events: /);
  assert.match(errorOf(() => parseRunConfig({ candidates: 1 })), /^config\.candidates: /);
  assert.match(errorOf(() => parseRunConfig({ iterations: 2.5 })), /^config\.iterations: /);
  assert.match(errorOf(() => parseRunConfig({ trustRegion: 0 })), /^config\.trustRegion: /);
  assert.match(errorOf(() => parseRunConfig({ stepOptimizer: 'lbfgs' })), /^config\.stepOptimizer: /);
  assert.match(errorOf(() => parseRunConfig({ stepGate: -2 })), /^config\.stepGate: /);
  assert.match(errorOf(() => parseRunConfig({ transferLearning: 'yes' })), /^config\.transferLearning: /);
  assert.match(errorOf(() => parseRunConfig({ surrogate: 'forest' })), /^config\.surrogate: /);
  assert.match(errorOf(() => parseRunConfig({ evnts: 5 })), /^config\.evnts: unknown field/);
  assert.match(errorOf(() => parseRunConfig({ constraints: [1] })), /^config\.constraints\.0: /);
  assert.match(errorOf(() => parseRunConfig({ cost: '' })), /^config\.cost: /);
  assert.match(errorOf(() => parseRunConfig([1, 2])), /^config: must be a JSON object/);
  assert.match(errorOf(() => parseRunConfig({ events: 'many' }, 'config file a.json')), /^config file a\.json\.events: /);
});

test('a problem refuses what it cannot run when it is built, before any simulation', () => {
  assert.match(errorOf(() => buildPipeline(parseRunConfig({ problem: 'mi-opt', events: 20 }))), /^events: MINE holds out 30 % of each candidate's events .* at least 32 events \(got 20\)/);
  // a larger held-out share lowers the minimum; a misspelled MINE setting is named, not ignored
  buildPipeline(parseRunConfig({ problem: 'mi-opt', events: 20, problemOptions: { mine: { evalFraction: 0.5 } } })).dispose?.();
  assert.match(errorOf(() => buildPipeline(parseRunConfig({ problem: 'mi-opt', problemOptions: { mine: { maxepochs: 3 } } }))), /^problemOptions\.mine\.maxepochs: unknown field \(known: .*maxEpochs/);
  assert.match(errorOf(() => buildPipeline(parseRunConfig({ problem: 'mi-opt', problemOptions: { mine: { learningRate: -1 } } }))), /^problemOptions\.mine\.learningRate: must be a positive number/);
  assert.match(errorOf(() => parseRunConfig({ simulationWorkers: 0 })), /^config\.simulationWorkers: /);
  // free-form option objects: a misspelled field is named, not silently the default
  assert.match(errorOf(() => buildPipeline(parseRunConfig({ problem: 'reco-opt', problemOptions: { emax: 100 } }))), /^config\.problemOptions\.emax: unknown field \(known: eMin, eMax, maxTotalCm, startCm, reconstruction\)/);
  assert.match(errorOf(() => buildPipeline(parseRunConfig({ problem: 'quadratic', problemOptions: { bogus: 1 } }))), /^config\.problemOptions\.bogus: unknown field \(this problem takes none\)/);
  assert.match(errorOf(() => buildPipeline(parseRunConfig({ problem: 'quadratic', surrogateOptions: { epochz: 5 } }))), /^surrogateOptions \(mlp\)\.epochz: unknown field \(known: hidden, /);
  assert.match(errorOf(() => buildPipeline(parseRunConfig({ problem: 'quadratic', surrogateOptions: { epochs: -5 } }))), /^mlp surrogate: epochs must be an integer ≥ 1 \(got -5\)/);
  assert.match(errorOf(() => buildPipeline(parseRunConfig({ problem: 'quadratic', surrogate: 'gp', surrogateOptions: { kernal: 'rbf' } }))), /^surrogateOptions \(gp\)\.kernal: unknown field/);
  assert.match(errorOf(() => buildPipeline(parseRunConfig({ problem: 'reco-opt', surrogateOptions: { nbins: 8 } }))), /^surrogateOptions \(flow1d\)\.nbins: unknown field \(known: nBins, /);
});

test('config constraints and cost are added to the problem\'s own', () => {
  const spec: DesignSpaceSpec = { parameters: [{ name: 'a', lower: 0, upper: 10, start: 1, sigma: 1 }, { name: 'b', lower: 0, upper: 10, start: 1, sigma: 1 }], constraints: ['a <= 8'], cost: 'a' };
  const config = parseRunConfig({ constraints: ['a + b <= 12'], cost: '2 * b' });
  const space = new DesignSpace(applyConfigSpace(spec, config));
  assert.is(space.cost([1, 3]), 7);
  assert.equal(spec.constraints, ['a <= 8', 'a + b <= 12']);
  assert.ok(space.isFeasible([5, 5]) && !space.isFeasible([9, 1]) && !space.isFeasible([6, 7]));
  assert.match(errorOf(() => new DesignSpace(applyConfigSpace({ parameters: spec.parameters }, parseRunConfig({ cost: '2 * c' })))), /^config\.cost: unknown parameter "c"/);
});

test('backend names: aliases accepted, unknown ones rejected with the choices', () => {
  assert.is(parseBackendName('tfjs-node'), 'tensorflow');
  assert.is(parseBackendName('WASM'), 'wasm');
  assert.match(errorOf(() => parseBackendName('tpu')), /backend: unknown backend "tpu" \(choose one of tensorflow-gpu, tensorflow, wasm, cpu\)/);
});

test.run();
