// Wall time per iteration of the paper pipelines at their defaults, split by
// stage: RECO-OPT (K = 30, M = 700; 1 and 3 layers) and MI-OPT (K = 117,
// M = 700; 1 and 3 layers). Run it on an idle machine: the study tables' timings are
// taken while several runs share the cores.
// Usage: npx tsx benchmarks/iteration-time.ts [--iterations 4] [--quick]
import { initBackend, backendInfo } from '../lib/backend.ts';
import type { IterationRecord } from '../lib/loop.ts';
import { runPipeline } from '../pipelines/run.ts';
import { loadAtStart, loadLine, table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const iterArg = args.indexOf('--iterations');
const iterations = iterArg >= 0 ? Number(args[iterArg + 1]) : quick ? 2 : 4;
if (!(Number.isInteger(iterations) && iterations >= 2)) throw new Error(`--iterations: must be an integer ≥ 2 (the first is warm-up), got ${args[iterArg + 1]}`);

const load0 = loadAtStart();
await initBackend(undefined, { quiet: true });
const cases: [string, Record<string, unknown>][] = [
  ['RECO-OPT, 1 layer, K = 30, M = 700', { problem: 'reco-opt', dim: 1 }],
  ['RECO-OPT, 3 layers, K = 30, M = 700', { problem: 'reco-opt', dim: 3 }],
  ['MI-OPT, 1 layer, K = 117, M = 700', { problem: 'mi-opt', dim: 1, iterations: quick ? 2 : Math.min(iterations, 3) }],
  ['MI-OPT, 3 layers, K = 117, M = 700', { problem: 'mi-opt', dim: 3, iterations: quick ? 2 : Math.min(iterations, 3) }],
];
const rows: string[][] = [];
for (const [label, config] of cases) {
  const records: IterationRecord[] = [];
  await runPipeline({ iterations, seed: 1, ...config }, { hooks: { onIteration: (r) => void records.push(r) } });
  // the first iteration includes kernel compilation and warm-up; report the rest
  const rest = records.slice(1);
  const mean = (k: keyof IterationRecord['timings']) => rest.reduce((s, r) => s + r.timings[k], 0) / rest.length;
  rows.push([label, `${rest.length}`, mean('total').toFixed(1), mean('simulation').toFixed(2), mean('objective').toFixed(1), mean('surrogate').toFixed(1), mean('step').toFixed(2)]);
  console.error(`${label}: ${mean('total').toFixed(1)} s per iteration`);
}
const body = [
  'Mean over the iterations after the first (warm-up), seed 1, from the start design, one run at a time.',
  'Objective: the reconstruction network (RECO-OPT) or the batched MINE estimators on 2 worker threads (MI-OPT); surrogate: the 1-D flow (RECO-OPT) or the MLP (MI-OPT); RECO-OPT at its default replay of the last 3 iterations\' nearby candidates, so from the 4th iteration on the flow fits on up to 4× the events.',
  '',
  table(['pipeline', 'iterations averaged', 's / iteration', 'simulation', 'objective', 'surrogate fit', 'step'], rows),
  '',
  loadLine(load0),
].join('\n');
writeSection('iteration-time', 'Wall time per iteration of RECO-OPT and MI-OPT', `npx tsx benchmarks/iteration-time.ts${iterArg >= 0 ? ` --iterations ${iterations}` : quick ? ' --quick' : ''}`, body, backendInfo().name);
console.log(body);
