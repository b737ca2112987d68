// The README is the front door: its library example must run as printed. This takes the ```ts
// block, shortens the run to 1 iteration (the only edit) and runs it with tsx from the repository
// root, where its './lib/…' imports resolve.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../lib/random.ts';
import { ExternalCommandSimulator } from '../lib/simulators/external-command.ts';

const root = new URL('..', import.meta.url).pathname;

test('the README library example runs and moves the design', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.is(blocks.length, 1, 'one TypeScript example in the README');
  const example = blocks[0]!;
  assert.match(example, /iterations: 30/);
  const file = join(root, `.readme-example-${process.pid}.ts`);
  writeFileSync(file, example.replace('iterations: 30', 'iterations: 1'));
  try {
    const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const r = spawnSync(process.execPath, [tsx, file], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.is(r.status, 0, r.stderr);
    // onIteration prints "iteration <i>: θ = <abs1>, <scint1>, <abs2>, <scint2> cm" after iteration 0
    const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('iteration '));
    assert.is(lines.length, 1, r.stdout);
    const values = lines[0]!.replace(/^iteration 0: θ = /, '').replace(/ cm$/, '').split(', ').map(Number);
    assert.is(values.length, 4, `abs1, scint1, abs2, scint2: ${lines[0]}`);
    assert.ok(values.every(Number.isFinite) && values.some((v) => Math.abs(v - 1) > 0.1), `the design moved from the start (1 cm everywhere): ${lines[0]}`);
  } finally {
    rmSync(file, { force: true });
  }
});

test('the README external-simulator config is the one that ships (lib/simulators/external-toy.json)', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.is(blocks.length, 1, 'one JSON example in the README');
  const shipped = JSON.parse(readFileSync(join(root, 'lib', 'simulators', 'external-toy.json'), 'utf8')) as unknown;
  assert.equal(JSON.parse(blocks[0]!), shipped);
});

test('the README Python simulator speaks the protocol: a seeded, reproducible {x, y} for the requested events', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.is(blocks.length, 1, 'one Python example in the README');
  const request = JSON.stringify({ theta: { thickness: 2 }, events: 5, seed: 42 });
  const run = () => spawnSync('python3', ['-c', blocks[0]!], { input: request, encoding: 'utf8' });
  const r = run();
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { x: number[]; y: number[] };
  assert.equal([out.x.length, out.y.length], [5, 5]);
  assert.ok(out.x.every((e) => e >= 1 && e <= 20));
  assert.is(run().stdout, r.stdout, 'the same seed gives the same events');
});

test('the README Python simulator runs under the external-command simulator', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const program = /```python\n([\s\S]*?)```/.exec(readme)![1]!;
  const sim = new ExternalCommandSimulator({ command: ['python3', '-c', program], parameterNames: ['thickness'] });
  const batch = await sim.simulate([2], 50, new Rng('readme'));
  assert.equal([batch.n, batch.xDim, batch.yDim], [50, 1, 1]);
  // y ≈ 0.8 · energy at 2 cm: the response follows the design
  const ratio = batch.y.reduce((s, v) => s + v, 0) / batch.x.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(ratio - 0.8) < 0.02, `Σy / Σx = ${ratio}`);
});

test.run();
