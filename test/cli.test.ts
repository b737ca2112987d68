// The CLI end to end, as a user runs it (bin/detopt.js through tsx).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'detopt-cli-'));
const bin = new URL('../bin/detopt.js', import.meta.url).pathname;

function detopt(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('detopt run --json prints the summary with the known optimum; the run folder holds the history', () => {
  const out = join(root, 'q');
  const r = detopt('run', '--problem', 'quadratic', '--iterations', '2', '--candidates', '8', '--events', '20', '--seed', '3', '--out', out, '--json', '--backend', 'cpu');
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { finalTheta: Record<string, number>; knownOptimum: { value: number }; backend: string; finalTruth: number };
  assert.equal(Object.keys(s.finalTheta), ['x1', 'x2']);
  assert.is(s.knownOptimum.value, 0);
  assert.is(s.backend, 'cpu');
  assert.ok(s.finalTruth < 28.25, 'the design improved on the start');
  assert.match(r.stderr, /backend cpu/);
  assert.match(r.stderr, /iter {3}2 /);
  const lines = readFileSync(join(out, 'history.jsonl'), 'utf8').trim().split('\n');
  assert.is(lines.length, 2);
  assert.is((JSON.parse(lines[0]!) as { backend: string }).backend, 'cpu');
  assert.ok(existsSync(join(out, 'summary.json')) && existsSync(join(out, 'config.json')));
});

test('detopt report rewrites report.html of the folder above; a folder that is no run is named in the error', () => {
  const out = join(root, 'q');
  rmSync(join(out, 'report.html'), { force: true });
  const r = detopt('report', out);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim(), `report: ${join(out, 'report.html')}`);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<h2>Iterations<\/h2>/);
  const missing = detopt('report', join(root, 'nothing-here'));
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /detopt: error: report: .*nothing-here.config\.json does not exist/);
});

test('a config file is validated with errors naming the field', () => {
  const file = join(root, 'bad.json');
  writeFileSync(file, JSON.stringify({ problem: 'quadratic', events: 0 }));
  const r = detopt('run', file, '--quiet');
  assert.is(r.code, 1);
  assert.match(r.stderr, /config file .*bad\.json\.events: /);
  const r2 = detopt('run', '--events', 'ten');
  assert.is(r2.code, 1);
  assert.match(r2.stderr, /--events: "ten" is not a number/);
  const r3 = detopt('run', '--lr', '-1', '--quiet');
  assert.is(r3.code, 1);
  assert.match(r3.stderr, /detopt: error: --lr: Too small/);
});

test('--cost reaches the run config; a cost over an unknown parameter is an error naming it', () => {
  const out = join(root, 'cost');
  const r = detopt('run', '--problem', 'quadratic', '--cost', '2 * x1', '--iterations', '1', '--candidates', '8', '--events', '20', '--out', out, '--quiet', '--backend', 'cpu');
  assert.is(r.code, 0, r.stderr);
  assert.is((JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { cost: string }).cost, '2 * x1');
  const bad = detopt('run', '--problem', 'quadratic', '--cost', '2 * abs1', '--iterations', '1', '--quiet', '--backend', 'cpu');
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /cost: unknown parameter "abs1" in "2 \* abs1" \(parameters: x1, x2\)/);
});

test('--resume refuses flags it would ignore and another backend; --out never overwrites files a run did not write', () => {
  const out = join(root, 'q'); // the cpu run of the first test
  const seed = detopt('run', '--resume', out, '--iterations', '3', '--seed', '9', '--trust-region', '2', '--quiet');
  assert.is(seed.code, 1);
  assert.match(seed.stderr, /--resume: --trust-region, --seed cannot change a run being resumed/);
  const backend = detopt('run', '--resume', out, '--iterations', '3', '--backend', 'wasm', '--quiet');
  assert.is(backend.code, 1);
  assert.match(backend.stderr, /--backend: .* was run on cpu; a resumed run keeps its backend/);
  // a folder holding the user's own files is not a run folder
  const project = join(root, 'project');
  const own = JSON.stringify({ problem: 'quadratic', iterations: 1, candidates: 8, events: 20 });
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project);
  writeFileSync(join(project, 'config.json'), own);
  const into = detopt('run', join(project, 'config.json'), '--out', project, '--quiet', '--backend', 'cpu');
  assert.is(into.code, 1);
  assert.match(into.stderr, /out: .*project is not empty \(config\.json\)/);
  assert.is(readFileSync(join(project, 'config.json'), 'utf8'), own, 'the user\'s config.json is untouched');
  const file = detopt('run', '--out', join(project, 'config.json'), '--quiet');
  assert.match(file.stderr, /out: .*config\.json is a file, not a folder/);
});

test('a cost that is NaN at the start is named with the design; an infeasible final design is flagged', () => {
  const nan = detopt('run', '--problem', 'quadratic', '--cost', 'log(x1 - 10)', '--iterations', '1', '--quiet', '--backend', 'cpu', '--out', join(root, 'nan'));
  assert.is(nan.code, 1);
  assert.match(nan.stderr, /space\.cost: "log\(x1 - 10\)" is NaN at the start design \(x1 = -3, x2 = -3\)/);
  assert.ok(!existsSync(join(root, 'nan')), 'no run folder is left behind');
  const file = join(root, 'impossible.json');
  writeFileSync(file, JSON.stringify({ problem: 'quadratic', iterations: 1, candidates: 8, events: 20, constraints: ['x1 >= 10'] }));
  const r = detopt('run', file, '--quiet', '--backend', 'cpu', '--out', join(root, 'impossible'));
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /warning: the final design violates a constraint/);
});

test('a forced backend that cannot load is an error, not a fallback', () => {
  const r = detopt('run', '--backend', 'tensorflow-gpu', '--iterations', '1', '--quiet');
  if (r.code === 0) return; // a machine with CUDA and tfjs-node-gpu installed
  assert.match(r.stderr, /forced backend "tensorflow-gpu" could not be loaded/);
});

test('--help lists the run options', () => {
  const r = detopt('run', '--help');
  assert.is(r.code, 0);
  for (const flag of ['--iterations', '--candidates', '--events', '--sigma', '--trust-region', '--seed', '--no-tl', '--surrogate', '--out', '--backend', '--json', '--resume']) {
    assert.ok(r.stdout.includes(flag), `help mentions ${flag}`);
  }
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
