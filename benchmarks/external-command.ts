// What running the simulator as an external program costs (problem "command"): the wall time of one
// iteration's simulate stage, K runs of the program with M events each, at concurrency 1 and 2, for
// the sample Node.js program and the README's Python one. With M = 1 the time is the per-run overhead
// (start the program, JSON both ways); a real simulation adds its own time on top.
// Usage: npx tsx benchmarks/external-command.ts [--candidates 30] [--quick]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InProcessExecutor } from '../lib/executor.ts';
import { ExternalCommandSimulator } from '../lib/simulators/external-command.ts';
import { integerFlag, loadAtStart, loadLine, table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const K = integerFlag(args, '--candidates', quick ? 10 : 30, 2);
const root = new URL('..', import.meta.url).pathname;
const python = /```python\n([\s\S]*?)```/.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[1];
if (!python) throw new Error('README.md: the Python example is missing');

const programs = [
  { name: 'Node.js sample (lib/simulators/external-toy.mjs)', command: ['node', join(root, 'lib', 'simulators', 'external-toy.mjs')] },
  { name: "Python (the README's example)", command: ['python3', '-c', python] },
];
const load0 = loadAtStart();
const rows: string[][] = [];
for (const p of programs) {
  const sim = new ExternalCommandSimulator({ command: p.command, parameterNames: ['thickness', 'gap'] });
  for (const events of [1, 700, 10000]) {
    for (const concurrency of [1, 2]) {
      const jobs = Array.from({ length: K }, (_, index) => ({ index, theta: [2 + index / K, 1], nEvents: events, seed: `bench/${index}` }));
      const t0 = performance.now();
      const out = await new InProcessExecutor({ concurrency }).run(sim, jobs);
      const seconds = (performance.now() - t0) / 1000;
      const failed = out.filter((o) => !o.ok);
      if (failed.length) throw new Error(`${p.name}: ${(failed[0] as { error: string }).error}`);
      rows.push([p.name, String(events), String(concurrency), seconds.toFixed(2), ((1000 * seconds) / K).toFixed(1)]);
      process.stderr.write(`${p.name}, M = ${events}, concurrency ${concurrency}: ${seconds.toFixed(2)} s\n`);
    }
  }
}
const body = [
  `K = ${K} runs of the program per row, as one iteration's simulate stage (lib/executor.ts InProcessExecutor with the concurrency shown; each run a new process).`,
  '',
  table(['program', 'events per run M', 'concurrency', `wall time for ${K} runs (s)`, 'per run (ms)'], rows),
  '',
  loadLine(load0),
].join('\n');
writeSection('external-command', 'Your own simulator as an external program: cost per run', `npx tsx benchmarks/external-command.ts${quick ? ' --quick' : ''}${K !== (quick ? 10 : 30) ? ` --candidates ${K}` : ''}`, body);
console.log(body);
