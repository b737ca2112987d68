// The README is the front door: its library example must run as printed. This takes the ```ts
// block, shortens the run to 1 iteration (the only edit) and runs it with tsx from the repository
// root, where its './lib/…' imports resolve.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

test.run();
