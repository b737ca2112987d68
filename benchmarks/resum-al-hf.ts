// RESuM's active learning on the moderator toy with larger HF runs: does the
// recommended design get within 10 % of the true minimum when each HF run holds
// 10× more signals? The recommendation picks among ~10 HF-simulated designs, and
// at 10⁶ neutrons an HF run's m/N carries ±18 % noise (RESULTS.md resum).
// Usage: npx tsx benchmarks/resum-al-hf.ts [--hf-events 10000000]
import { initBackend, backendInfo } from '../lib/backend.ts';
import { moderatorProblem } from '../pipelines/resum-problem.ts';
import { runResum } from '../pipelines/resum.ts';
import { RESUM_BENCHMARK_AL, TRUE_MINIMUM } from './resum-settings.ts';
import { stageLogger, table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const hfArg = args.indexOf('--hf-events');
const hfEvents = hfArg >= 0 ? Number(args[hfArg + 1]) : 10_000_000;
if (!Number.isInteger(hfEvents) || hfEvents < 1000) throw new Error(`--hf-events: must be an integer ≥ 1000 (got ${args[hfArg + 1]})`);

await initBackend();
const t0 = performance.now();
const log = stageLogger();
const seeds = [1, 2, 3];
const runs = seeds.map((seed) =>
  runResum(moderatorProblem({ exactQuad: 1_000_000 }), { ...RESUM_BENCHMARK_AL, hfEvents, seed, onStage: (s) => log(`AL seed ${seed}: ${s}`) }),
);
const theta = (t: number[]) => `r ${t[0]!.toFixed(1)}, d ${t[1]!.toFixed(2)}, n ${t[2]}, φ ${t[3]!.toFixed(1)}°, L ${t[4]!.toFixed(2)}`;
const meets = (r: (typeof runs)[number]) => r.best.exact! <= 1.1 * TRUE_MINIMUM && r.cost.percentEvents <= 5;
const body = [
  `The active-learning pipeline of \`benchmarks/resum.ts\` (${RESUM_BENCHMARK_AL.lfRuns} LF + ${RESUM_BENCHMARK_AL.hfRuns} HF runs, ${RESUM_BENCHMARK_AL.rounds} rounds, CNP ${RESUM_BENCHMARK_AL.cnp.steps} steps) with HF runs of ${hfEvents} neutrons`,
  `instead of 10⁶. True minimum ${TRUE_MINIMUM.toExponential(3)} (dense exact scan); target: the recommended design within 10 % of it at ≤ 5 % of the all-HF cost.`,
  '',
  table(
    ['seed', 'recommended design', 'exact t̄_HF', 'vs true minimum', 'per round, exact t̄ / true minimum', 'ρ̂ (→ y_CNP HF, → y_Raw HF)', 'cost (% of all-HF neutrons)', 'within 10 % at ≤ 5 %'],
    runs.map((r, i) => [
      seeds[i]!,
      theta(r.best.theta),
      r.best.exact!.toExponential(3),
      (r.best.exact! / TRUE_MINIMUM).toFixed(3),
      r.rounds.map((k) => (k.exact! / TRUE_MINIMUM).toFixed(2)).join(', '),
      r.hyperparameters && 'rho' in r.hyperparameters ? r.hyperparameters.rho.map((v) => v.toFixed(2)).join(', ') : '–',
      r.cost.percentEvents.toFixed(2),
      meets(r) ? 'yes' : 'no',
    ]),
  ),
  '',
  `${runs.filter(meets).length} of ${runs.length} seeds meet the target. Took ${((performance.now() - t0) / 1000).toFixed(0)} s (${backendInfo().name}).`,
].join('\n');
writeSection(`resum-al-hf${hfEvents}`, `RESuM active learning with HF runs of ${hfEvents} neutrons`, `npx tsx benchmarks/resum-al-hf.ts --hf-events ${hfEvents}`, body, backendInfo().name);
console.log(body);
