// The user's own simulator as an external program: the JSON protocol, its errors (each naming what
// went wrong and the candidate), concurrent runs, and a whole optimisation through `problem: "command"`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../lib/backend.ts';
import { InProcessExecutor } from '../lib/executor.ts';
import { Rng } from '../lib/random.ts';
import { ExternalCommandSimulator, parseEvents } from '../lib/simulators/external-command.ts';
import { runPipeline } from '../pipelines/run.ts';
import { buildCommandPipeline, parseCommandOptions } from '../pipelines/command.ts';
import { parseRunConfig } from '../pipelines/run-config.ts';

await initBackend(undefined, { quiet: true });
const root = new URL('..', import.meta.url).pathname;
const toy = join(root, 'lib', 'simulators', 'external-toy.mjs');

/** A `node -e` program: `body` sees the request as `req` and returns the output object. */
function nodeProgram(body: string): string[] {
  return ['node', '-e', `let s='';process.stdin.on('data',d=>s+=d);process.stdin.on('end',async()=>{const req=JSON.parse(s);const out=await (async()=>{${body}})();if(out!==undefined)process.stdout.write(JSON.stringify(out));});`];
}

async function failure(sim: ExternalCommandSimulator, theta: number[] = [1]): Promise<string> {
  try {
    await sim.simulate(theta, 3, new Rng('f'));
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the simulation to fail');
}

test('parseEvents reads flat lists and rows; errors name the field, event and column', () => {
  const b = parseEvents('{"x": [1, 2], "y": [[1, 10], [2, 20]]}', [0.5], 2);
  assert.equal([b.n, b.xDim, b.yDim, Array.from(b.y)], [2, 1, 2, [1, 10, 2, 20]]);
  assert.throws(() => parseEvents('{"x": [1], "y": [1]}', [0], 2), /output\.x: 1 events, 2 requested/);
  assert.throws(() => parseEvents('{"x": [1, 2], "y": [[1, 2], [3, "NaN"]]}', [0], 2), /output\.y\[1\]\[1\]: "NaN" is not a finite number/);
  assert.throws(() => parseEvents('{"x": [1, 2], "y": [1, 1e999]}', [0], 2), /output\.y\[1\]: Infinity is not a finite number/);
  assert.throws(() => parseEvents('{"x": [1, 2], "y": [[1, 2], [3]]}', [0], 2), /output\.y\[1\]: expected 2 columns like event 0/);
  assert.throws(() => parseEvents('{"x": [1, 2]}', [0], 2), /output\.y: expected a list of 2 events, got nothing/);
  assert.throws(() => parseEvents('Geant4 says hello', [0], 2), /output: neither all of stdout nor its last line is one JSON document .* begins "Geant4 says hello"/);
  const afterBanner = parseEvents('*** Geant4 version 11.2 ***\nG4WT0 > run 0 start\n{"x": [1, 2], "y": [3, 4]}\n', [0], 2);
  assert.equal(Array.from(afterBanner.y), [3, 4], 'log lines before the JSON line are skipped');
});

test('the program gets the named design, the event count and a seed from the stream; same stream, same events', async () => {
  const echo = new ExternalCommandSimulator({ command: nodeProgram('return { x: Array(req.events).fill(req.seed), y: Array(req.events).fill(req.theta.b * 10 + req.theta.a) };'), parameterNames: ['a', 'b'] });
  const b = await echo.simulate([1, 2], 4, new Rng('s'));
  assert.equal(Array.from(b.y), [21, 21, 21, 21]);
  assert.ok(Math.abs(b.x[0]! - (new Rng('s').int32() >>> 0)) <= 256, 'the seed is the stream\'s next 32-bit draw');
  const sim = new ExternalCommandSimulator({ command: ['node', toy], parameterNames: ['t'] });
  const [p, q, r] = [await sim.simulate([2], 50, new Rng('same')), await sim.simulate([2], 50, new Rng('same')), await sim.simulate([2], 50, new Rng('other'))];
  assert.equal(Array.from(p.y), Array.from(q.y));
  assert.not.equal(Array.from(p.y), Array.from(r.y));
  const mean = p.y.reduce((s, v) => s + v, 0) / 50;
  assert.ok(Math.abs(mean - 1) < 1, `toy: E[y] = (2 − 3)² = 1, mean of 50 events ${mean}`);
});

test('a failing program is reported with its exit code, signal or timeout and the end of its stderr', async () => {
  const exit = new ExternalCommandSimulator({ command: nodeProgram("process.stderr.write('G4Exception: boom'); process.exit(3);"), parameterNames: ['t'] });
  assert.match(await failure(exit), /^command exited with code 3; stderr: …G4Exception: boom$/);
  const slow = new ExternalCommandSimulator({ command: nodeProgram('await new Promise((r) => setTimeout(r, 20000));'), parameterNames: ['t'], timeoutSeconds: 0.5 });
  assert.match(await failure(slow), /^command timed out after 0\.5 s and was killed$/);
  const missing = new ExternalCommandSimulator({ command: ['no-such-simulator-xyz'], parameterNames: ['t'] });
  assert.match(await failure(missing), /^command: program "no-such-simulator-xyz" not found$/);
  assert.throws(() => new ExternalCommandSimulator({ command: [], parameterNames: ['t'] }), /command: give the program/);
  assert.throws(() => new ExternalCommandSimulator({ command: ['x'], parameterNames: ['t'], timeoutSeconds: 0 }), /timeoutSeconds: 0 is not a positive number/);
});

test('a timeout ends what the program started too (a shell wrapper\'s child), and a process it leaves behind does not hang the run', async () => {
  const marker = join(tmpdir(), `detopt-grandchild-${process.pid}`);
  // the shell starts a child that would write the marker after 3 s; killing only the shell would leave it
  const wrapper = new ExternalCommandSimulator({ command: ['sh', '-c', `sleep 3 && touch ${marker}; sleep 30`], parameterNames: ['t'], timeoutSeconds: 0.5 });
  const t0 = performance.now();
  assert.match(await failure(wrapper), /^command timed out after 0\.5 s and was killed$/);
  const seconds = (performance.now() - t0) / 1000;
  assert.ok(seconds < 2, `settled after ${seconds.toFixed(1)} s, not when the grandchild ends`);
  await new Promise((r) => setTimeout(r, 3500));
  assert.ok(!existsSync(marker), 'the grandchild was killed with the shell');
  // exits 0 with its answer but leaves a background job holding stdout: settled after the grace period
  const events = JSON.stringify({ x: [1, 2, 3], y: [1, 2, 3] });
  const leaver = new ExternalCommandSimulator({ command: ['sh', '-c', `cat > /dev/null; (sleep 30 &); echo '${events}'`], parameterNames: ['t'], timeoutSeconds: 20 });
  const t1 = performance.now();
  const batch = await leaver.simulate([1], 3, new Rng('l'));
  assert.equal(Array.from(batch.y), [1, 2, 3]);
  assert.ok((performance.now() - t1) / 1000 < 5, 'not held until the background job ends');
});

test('the executor overlaps asynchronous runs up to its concurrency, keeps job order and keeps the others when one fails', async () => {
  // each run reports when it started and ended, in ms after `base` (a design parameter here, so the
  // times stay small enough for float32); t > 5 fails
  const sim = new ExternalCommandSimulator({
    command: nodeProgram("if (req.theta.t > 5) { process.stderr.write('bad design'); process.exit(1); } const t0 = Date.now() - req.theta.base; await new Promise((r) => setTimeout(r, 400)); return { x: [t0], y: [Date.now() - req.theta.base] };"),
    parameterNames: ['t', 'base'],
  });
  const base = Date.now();
  const jobs = [1, 2, 9, 3].map((t, index) => ({ index, theta: [t, base], nEvents: 1, seed: `j${index}` }));
  const intervals = (outs: Awaited<ReturnType<InProcessExecutor['run']>>) => outs.filter((o) => o.ok).map((o) => [(o as { batch: { x: Float32Array } }).batch.x[0]!, (o as { batch: { y: Float32Array } }).batch.y[0]!]);
  const overlaps = (iv: number[][]) => iv.some((a, i) => iv.some((b, j) => i < j && a[0]! < b[1]! && b[0]! < a[1]!));
  const serial = await new InProcessExecutor().run(sim, jobs);
  const parallel = await new InProcessExecutor({ concurrency: 3 }).run(sim, jobs);
  for (const outs of [serial, parallel]) {
    assert.equal(outs.map((o) => [o.index, o.ok]), [[0, true], [1, true], [2, false], [3, true]]);
    assert.match((outs[2] as { error: string }).error, /^candidate 2 \(θ = \[9\.000, [0-9.e+]+\]\): command exited with code 1; stderr: …bad design$/);
  }
  assert.not.ok(overlaps(intervals(serial)), 'concurrency 1: one program at a time');
  assert.ok(overlaps(intervals(parallel)), 'concurrency 3: programs run at the same time');
  assert.throws(() => new InProcessExecutor({ concurrency: 0 }), /concurrency: 0 is not an integer >= 1/);
});

test('problem "command": the sample simulator is optimised toward its optimum (3, 3), reproducibly; config errors name the field', async () => {
  const config = JSON.parse(readFileSync(join(root, 'lib', 'simulators', 'external-toy.json'), 'utf8')) as { problemOptions: { command: string[] } } & Record<string, unknown>;
  config.problemOptions.command = ['node', toy]; // absolute: the test may run from any folder
  const short = { ...config, iterations: 6, surrogateOptions: { epochs: 200 } };
  const a = await runPipeline(short);
  const b = await runPipeline(short);
  assert.equal(a.finalTheta, b.finalTheta, 'same seed, same history');
  // start (8, 0.5): squared distance to (3, 3) is 31.25
  const d2 = (a.finalTheta.thickness! - 3) ** 2 + (a.finalTheta.gap! - 3) ** 2;
  assert.ok(d2 < 31.25 / 4, `moved toward the optimum: (${a.finalTheta.thickness}, ${a.finalTheta.gap})`);
  assert.match(a.description, /external simulator "node .*external-toy\.mjs" over thickness, gap: minimise the mean of y0/);
  const mi = buildCommandPipeline(parseRunConfig({ ...config, problemOptions: { ...config.problemOptions, objective: 'mi' } }));
  assert.equal([mi.objective.name, mi.direction], ['mine', 'maximize'], 'objective "mi": MINE between x and y, maximised');
  mi.dispose();
  mi.objective.dispose?.();
  const bad = structuredClone(config) as unknown as { problemOptions: { parameters: { sigma: number }[] } };
  bad.problemOptions.parameters[0]!.sigma = -1;
  await runPipeline(bad).then(
    () => assert.unreachable('a negative σ is refused'),
    (err: Error) => assert.match(err.message, /^problemOptions\.parameters\.0\.sigma: /),
  );
  const out = join(tmpdir(), `detopt-command-${process.pid}`);
  await runPipeline({ problem: 'command' }, { out }).then(
    () => assert.unreachable('a command run needs its program'),
    (err: Error) => assert.match(err.message, /^problemOptions\.command: required: the program and its arguments, e\.g\. \["python3", "my_sim\.py"\]/),
  );
  assert.not.ok(existsSync(out), 'a config mistake leaves no run folder behind');
  await runPipeline({ problem: 'command', problemOptions: { command: ['x'], parameters: [{ name: 't', lower: 0, upper: 1, start: 0, sigma: 1 }], shell: true } }).then(
    () => assert.unreachable('an unknown option is refused'),
    (err: Error) => assert.match(err.message, /^problemOptions\.shell: unknown field/),
  );
  assert.throws(
    () => parseCommandOptions({ command: ['x'], parameters: [{ name: 't', lower: 0, upper: 1, start: 0, sigma: 1, sigmaa: 1 }] }),
    /^problemOptions\.parameters\.0\.sigmaa: unknown field \(known: name, unit, lower, upper, start, sigma, kind\)/,
  );
});

test.run();
