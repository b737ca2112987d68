#!/usr/bin/env node
// Runs every uvu test file (test/**/*.test.ts) through tsx and ends with the
// plain summary line `N passed, N failed` that CI reads (uvu prints no failed count).
// Usage: node scripts/run-tests.mjs [pattern]   (pattern filters test file names)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pattern = process.argv[2] ? new RegExp(process.argv[2]) : null;

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts') && (!pattern || pattern.test(full))) out.push(full);
  }
  return out;
}

const files = findTests(join(root, 'test'));
let passed = 0;
let failed = 0;
let crashed = 0;
const started = Date.now();
for (const file of files) {
  const rel = relative(root, file);
  const t0 = Date.now();
  // Each file runs in its own process so a leak or a crash in one cannot hide in another.
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  const ok = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (Number.isNaN(total) || Number.isNaN(ok)) {
    crashed += 1;
    failed += 1;
    console.log(`✗ ${rel} crashed (${secs} s)\n${out}`);
    continue;
  }
  passed += ok;
  failed += total - ok;
  if (r.status !== 0 || total !== ok) console.log(`✗ ${rel}: ${ok}/${total} passed (${secs} s)\n${out}`);
  else console.log(`✓ ${rel}: ${ok}/${total} passed (${secs} s)`);
}
console.log(`\n${files.length} test files, ${crashed} crashed, ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
