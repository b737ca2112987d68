// `npm run bench`: every benchmark, one after another, each writing its own
// section of benchmarks/RESULTS.md. By default the --quick sizes (the whole set
// in well under an hour on 2 cores); `npm run bench -- --full` runs the full
// sizes the RESULTS.md tables were measured at. The paper studies are not run
// here (hours): run them with `detopt study ...`, then benchmarks/studies.ts
// summarises whatever has finished.
import { spawnSync } from 'node:child_process';

const full = process.argv.includes('--full');
const BENCHMARKS = ['loop', 'calorimeter-speed', 'gp-speed', 'gp-derivative', 'gp-multifidelity', 'mine-accuracy', 'mine-batched', 'mine-batching-floor', 'mine-selection-bias', 'calorimeter-resolution', 'iteration-time', 'moderator-scan', 'resum', 'resum-ideal-cnp', 'external-command', 'simulation-workers', 'studies'];
const failed: string[] = [];
for (const name of BENCHMARKS) {
  const args = ['--import', 'tsx', new URL(`./${name}.ts`, import.meta.url).pathname];
  if (!full && name !== 'studies') args.push('--quick');
  console.error(`\n== benchmarks/${name}.ts ${args.slice(3).join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  console.error(`== ${name}: ${r.status === 0 ? 'done' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
