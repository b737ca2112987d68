// RESuM's active learning on the moderator toy with larger HF runs: does the
// recommended design get within 10 % of the true minimum when each HF run holds
// 10× more signals? The recommendation picks among ~10 HF-simulated designs, and
// at 10⁶ neutrons an HF run's m/N carries ±18 % noise (RESULTS.md resum).
// With --lf-events (default 10⁴) it also asks the converse: does a CNP trained on
// 10× more LF signal (a diagnostic beyond the 5 % budget) find the optimum?
// Per HF run it reports y_CNP/t̄, so a recommendation that favours designs the
// CNP under-scores (the winner's curse of a minimum over a noisy surrogate) shows.
// With --rounds / --exploit it changes the number of AL rounds and how many of
// the last ones simulate the model's minimum. It lists every HF-simulated design
// under the final model, with what two other rules over the same designs would
// have recommended (the plain ŷ minimum, the lowest observed m/N).
// The cost is counted as in seed 000: neutrons simulated / (every run at HF), so it is
// about the share of HF runs among all runs; --lf-runs buys rounds within 5 %.
// With --exploit-caution κ the exploit rounds simulate the minimum of ŷ + κσ̂
// (default: the recommendation's caution, 1).
// Usage: npx tsx benchmarks/resum-al-hf.ts [--hf-events 10000000] [--lf-events 10000] [--lf-runs 310] [--rounds 6] [--exploit 2] [--exploit-caution 1] [--seeds 1,2,3]
import { initBackend, backendInfo } from '../lib/backend.ts';
import { moderatorProblem } from '../pipelines/resum-problem.ts';
import { RESUM_DEFAULTS, runResum, type SimulatedDesign } from '../pipelines/resum.ts';
import { RESUM_BENCHMARK_AL, TRUE_MINIMUM } from './resum-settings.ts';
import { integerFlag, stageLogger, table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const hfEvents = integerFlag(args, '--hf-events', 10_000_000, 1000);
const lfEvents = integerFlag(args, '--lf-events', 10_000, 100);
const lfRuns = integerFlag(args, '--lf-runs', RESUM_BENCHMARK_AL.lfRuns, 2);
const rounds = integerFlag(args, '--rounds', RESUM_BENCHMARK_AL.rounds, 0);
const exploitRounds = integerFlag(args, '--exploit', RESUM_DEFAULTS.exploitRounds, 0);
const cautionAt = args.indexOf('--exploit-caution');
const exploitCaution = cautionAt < 0 ? RESUM_DEFAULTS.caution : Number(args[cautionAt + 1]);
if (!Number.isFinite(exploitCaution)) throw new Error(`--exploit-caution: a number (got ${args[cautionAt + 1]})`);
const defaultExploitCaution = exploitCaution === RESUM_DEFAULTS.caution;
if (exploitRounds > rounds) throw new Error(`--exploit: ${exploitRounds} is more than --rounds ${rounds}`);
const defaultLf = lfEvents === 10_000;
const defaultRounds = rounds === RESUM_BENCHMARK_AL.rounds && exploitRounds === RESUM_DEFAULTS.exploitRounds;
const defaultLfRuns = lfRuns === RESUM_BENCHMARK_AL.lfRuns;

await initBackend();
const t0 = performance.now();
const log = stageLogger();
const seedsAt = args.indexOf('--seeds');
const seeds = seedsAt < 0 ? [1, 2, 3] : (args[seedsAt + 1] ?? '').split(',').map(Number);
if (seeds.length === 0 || seeds.some((x) => !Number.isInteger(x) || x < 0)) throw new Error(`--seeds: a comma-separated list of integers ≥ 0 (got ${args[seedsAt + 1]})`);
const defaultSeeds = seedsAt < 0;
const runs = seeds.map((seed) =>
  runResum(moderatorProblem({ exactQuad: 1_000_000 }), { ...RESUM_BENCHMARK_AL, lfRuns, rounds, exploitRounds, exploitCaution, hfEvents, lfEvents, seed, onStage: (s) => log(`AL seed ${seed}: ${s}`) }),
);
// y_CNP / exact t̄ of every HF run, in the order simulated (initial, then rounds)
const cnpBias = runs.map((r) => {
  const hf = r.records.filter((x) => x.hf);
  return hf.map((x, i) => ({ ratio: x.hf!.yCnp! / r.simulated[i]!.exact!, rel: r.simulated[i]!.exact! / TRUE_MINIMUM }));
});
// what other rules over the same HF-simulated designs would have recommended (exact t̄ / true minimum)
const pickBy = (s: SimulatedDesign[], key: (d: SimulatedDesign) => number) => s.reduce((a, d) => (key(d) < key(a) ? d : a));
const rel = (d: SimulatedDesign) => (d.exact! / TRUE_MINIMUM).toFixed(3);
const theta = (t: number[]) => `r ${t[0]!.toFixed(1)}, d ${t[1]!.toFixed(2)}, n ${t[2]}, φ ${t[3]!.toFixed(1)}°, L ${t[4]!.toFixed(2)}`;
const meets = (r: (typeof runs)[number]) => r.best.exact! <= 1.1 * TRUE_MINIMUM && r.cost.percentEvents <= 5;
const body = [
  `The active-learning pipeline of \`benchmarks/resum.ts\` (${RESUM_BENCHMARK_AL.lfRuns} LF + ${RESUM_BENCHMARK_AL.hfRuns} HF runs, ${RESUM_BENCHMARK_AL.rounds} rounds, CNP ${RESUM_BENCHMARK_AL.cnp.steps} steps) with HF runs of ${hfEvents} neutrons`,
  `${hfEvents === 1_000_000 ? '(the default)' : 'instead of 10⁶'}${defaultLfRuns ? '' : `, ${lfRuns} initial LF runs`}${defaultRounds ? '' : ` and ${rounds} rounds, the last ${exploitRounds} simulating the model's minimum`}${defaultExploitCaution ? '' : ` (of ŷ + ${exploitCaution}σ̂ instead of ŷ + σ̂)`}, and LF runs of ${lfEvents} neutrons${defaultLf ? ' (the default)' : ' instead of 10⁴ (the CNP trains on as many more LF signals)'}. True minimum ${TRUE_MINIMUM.toExponential(3)} (dense exact scan); target: the recommended design within 10 % of it at ≤ 5 % of the all-HF cost.`,
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
  `y_CNP / exact t̄ of each HF run (the run's exact t̄ / true minimum in brackets): the ${RESUM_BENCHMARK_AL.hfRuns} initial runs, then the rounds (the last ${runs[0]!.options.exploitRounds} simulate the model's minimum).`,
  '',
  table(
    ['seed', 'initial HF runs', 'rounds'],
    cnpBias.map((b, i) => [
      seeds[i]!,
      b.slice(0, RESUM_BENCHMARK_AL.hfRuns).map((x) => `${x.ratio.toFixed(2)} (${x.rel.toFixed(2)})`).join(', '),
      b.slice(RESUM_BENCHMARK_AL.hfRuns).map((x) => `${x.ratio.toFixed(2)} (${x.rel.toFixed(2)})`).join(', '),
    ]),
  ),
  '',
  (() => {
    const k = runs[0]!.options.exploitRounds;
    const split = cnpBias.map((b) => ({ exploit: b.slice(b.length - k), other: b.slice(0, b.length - k) }));
    const mean = (v: number[]) => v.reduce((a, x) => a + x, 0) / v.length;
    const ex = split.flatMap((x) => x.exploit.map((y) => y.ratio));
    const ot = split.flatMap((x) => x.other.map((y) => y.ratio));
    return `y_CNP / t̄ on the exploit rounds' designs (the model's minimum): mean ${mean(ex).toFixed(2)} (${Math.min(...ex).toFixed(2)}–${Math.max(...ex).toFixed(2)}); on the other HF runs: mean ${mean(ot).toFixed(2)} (${Math.min(...ot).toFixed(2)}–${Math.max(...ot).toFixed(2)}). A minimum taken over a surrogate with design-dependent errors lands where the errors are most negative (the winner's curse).`;
  })(),
  '',
  `Every HF-simulated design under the final model, in the order simulated (initial Latin hypercube, then the rounds): exact t̄ / observed m/N / ŷ ± σ̂, all divided by the true minimum; * marks the recommendation (the default, --recommend ${RESUM_DEFAULTS.recommend}). Then what each rule over the same designs picks (exact t̄ / true minimum): the AL trajectory does not depend on the rule.`,
  '',
  table(
    ['seed', 'HF-simulated designs', 'lowest ŷ + σ̂ (--recommend simulated)', 'lowest ŷ (caution 0)', 'lowest observed m/N (--recommend observed)', 'best simulated'],
    runs.map((r, i) => [
      seeds[i]!,
      r.simulated
        .map((d) => `${d.theta.every((v, k) => v === r.best.theta[k]) ? '*' : ''}${rel(d)} / ${(d.observed / TRUE_MINIMUM).toFixed(2)} / ${(d.predicted / TRUE_MINIMUM).toFixed(2)}±${(d.sd / TRUE_MINIMUM).toFixed(2)}`)
        .join('; '),
      rel(pickBy(r.simulated, (d) => d.predicted + r.options.caution * d.sd)),
      rel(pickBy(r.simulated, (d) => d.predicted)),
      rel(pickBy(r.simulated, (d) => d.observed)),
      rel(pickBy(r.simulated, (d) => d.exact!)),
    ]),
  ),
  '',
  (() => {
    const within = (key: (d: SimulatedDesign, r: (typeof runs)[number]) => number) =>
      runs.filter((r) => pickBy(r.simulated, (d) => key(d, r)).exact! <= 1.1 * TRUE_MINIMUM).length;
    return `Within 10 % of the true minimum, of ${runs.length} seeds: lowest ŷ + σ̂ ${within((d, r) => d.predicted + r.options.caution * d.sd)}; lowest ŷ ${within((d) => d.predicted)}; lowest observed m/N ${within((d) => d.observed)}; best simulated design (an upper bound for any rule over them) ${within((d) => d.exact!)}.`;
  })(),
  '',
  `${runs.filter(meets).length} of ${runs.length} seeds meet the target. Took ${((performance.now() - t0) / 1000).toFixed(0)} s (${backendInfo().name}); peak memory (max RSS) ${(process.resourceUsage().maxRSS / 1024 ** 2).toFixed(1)} GB.`,
].join('\n');
const roundsId = (defaultLfRuns ? '' : `-lfruns${lfRuns}`) + (defaultRounds ? '' : `-r${rounds}-x${exploitRounds}`) + (defaultExploitCaution ? '' : `-k${exploitCaution}`) + (defaultSeeds ? '' : `-s${seeds.join('-')}`);
const id = `resum-al-${defaultLf ? '' : `lf${lfEvents}-`}hf${hfEvents}${roundsId}`;
const title = `RESuM active learning with HF runs of ${hfEvents} neutrons${defaultLf ? '' : ` and LF runs of ${lfEvents}`}${defaultRounds ? '' : `, ${rounds} rounds (${exploitRounds} exploit)`}${defaultExploitCaution ? '' : `, exploit rounds at ŷ + ${exploitCaution}σ̂`}`;
const command = `npx tsx benchmarks/resum-al-hf.ts --hf-events ${hfEvents}${defaultLf ? '' : ` --lf-events ${lfEvents}`}${defaultLfRuns ? '' : ` --lf-runs ${lfRuns}`}${defaultRounds ? '' : ` --rounds ${rounds} --exploit ${exploitRounds}`}${defaultExploitCaution ? '' : ` --exploit-caution ${exploitCaution}`}${defaultSeeds ? '' : ` --seeds ${seeds.join(',')}`}`;
writeSection(id, title, command, body, backendInfo().name);
console.log(body);
