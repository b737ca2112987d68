// Wall time per iteration of the loop's own machinery (sampling, the trivial
// quadratic simulator, δ, MLP surrogate fit, the step) on the noisy quadratic,
// K = 30, M = 700, on each available backend.
// Usage: npx tsx benchmarks/loop.ts [--iterations 10] [--quick]
import { spawnSync } from 'node:child_process';
import { initBackend } from '../lib/backend.ts';
import { runPipeline } from '../pipelines/run.ts';
import { table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const iterArg = args.indexOf('--iterations');
const iterations = iterArg >= 0 ? Number(args[iterArg + 1]) : quick ? 3 : 10;
const child = args.indexOf('--child');

interface Timing {
  backend: string;
  perIteration: number;
  simulation: number;
  objective: number;
  surrogate: number;
  step: number;
}

if (child >= 0) {
  const backend = await initBackend(args[child + 1], { quiet: true });
  const times: Timing[] = [];
  await runPipeline(
    { problem: 'quadratic', dim: 2, iterations, candidates: 30, events: 700, seed: 1, backend: backend.name },
    {
      hooks: {
        onIteration: (r) =>
          void times.push({ backend: backend.name, perIteration: r.timings.total, simulation: r.timings.simulation, objective: r.timings.objective, surrogate: r.timings.surrogate, step: r.timings.step }),
      },
    },
  );
  // the first iteration includes kernel compilation and warm-up; report the rest
  const rest = times.slice(1);
  const mean = (k: keyof Omit<Timing, 'backend'>) => rest.reduce((s, t) => s + t[k], 0) / rest.length;
  const out: Timing = { backend: backend.name, perIteration: mean('perIteration'), simulation: mean('simulation'), objective: mean('objective'), surrogate: mean('surrogate'), step: mean('step') };
  process.stdout.write(JSON.stringify(out) + '\n');
} else {
  const rows: (string | number)[][] = [];
  for (const backend of ['wasm', 'cpu']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', backend, '--iterations', String(iterations)], { encoding: 'utf8' });
    if (r.status !== 0) {
      rows.push([backend, 'failed: ' + (r.stderr.split('\n').find((l) => l.includes('rror')) ?? 'unknown'), '', '', '', '']);
      continue;
    }
    const t = JSON.parse(r.stdout.trim().split('\n').pop()!) as Timing;
    rows.push([t.backend, t.perIteration.toFixed(3), t.simulation.toFixed(3), t.objective.toFixed(3), t.surrogate.toFixed(3), t.step.toFixed(3)]);
    console.error(`${backend}: ${t.perIteration.toFixed(3)} s per iteration`);
  }
  const body = [
    `Noisy quadratic (2-D), K = 30 candidates × M = 700 events, MLP surrogate (2×64 ELU, 300 epochs full batch), NGD step; mean over iterations 2–${iterations} (the first includes warm-up).`,
    '',
    table(['backend', 's / iteration', 'simulation', 'objective', 'surrogate fit', 'step'], rows),
  ].join('\n');
  writeSection('loop', 'Loop overhead per iteration', `npx tsx benchmarks/loop.ts${iterArg >= 0 ? ` --iterations ${iterations}` : quick ? ' --quick' : ''}`, body);
  console.log(body);
}
