// How many shifted pairings the held-out product-of-marginals term needs.
// The Donsker–Varadhan estimate is E_P[T] − log mean e^T over pairs (a_i, b_{i+s});
// with few pairs the log-mean-exp carries most of an estimate's noise at high MI
// (Var e^T ≈ e^I − 1). For each evalShifts value, the same datasets and member
// seeds are trained, so the rows differ only in how the held-out bound is averaged.
//
// Cases: the 3-layer MI-OPT calorimeter at a design near the end of a BASE run
// (I ≈ 2.8 nats, M = 700 events), the same calorimeter at the start design
// (1 cm everywhere), and a bivariate Gaussian ρ = 0.9 with exact MI.
//
// Usage: npx tsx benchmarks/mine-eval-shifts.ts [--reps 32] [--shifts 4,16,32,64]
import { initBackend, backendInfo } from '../lib/backend.ts';
import { Rng } from '../lib/random.ts';
import { CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { DEFAULT_MINE_OPTIONS, resolveMineOptions, trainMembers, type MineDataset } from '../objectives/mine-train.ts';
import { integerFlag, stageLogger, table, writeSection } from './results.ts';
import { gaussianPair } from './functions/gaussian-pair.ts';

const args = process.argv.slice(2);
const reps = integerFlag(args, '--reps', 32, 3);
const shiftsArg = args.includes('--shifts') ? args[args.indexOf('--shifts') + 1] ?? '' : '4,16,32,64';
const shiftList = shiftsArg.split(',').map((s) => {
  const v = Number(s);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--shifts: "${s}" is not an integer >= 1`);
  return v;
});
const M = 700;

await initBackend();
const log = stageLogger();

function calorimeter(theta: number[], seed: string): MineDataset {
  const b = new CalorimeterSimulator({ layers: 3 }).simulate(theta, M, new Rng(seed));
  return { a: b.x, aDim: 1, b: b.y, bDim: 3, n: M };
}

function gaussian(rho: number, seed: string): MineDataset {
  return gaussianPair(rho, M, new Rng(seed));
}

const cases: { label: string; exact?: number; make: (seed: string) => MineDataset }[] = [
  { label: '3-layer calorimeter (0, 21.4, 0.19, 1.48, 1.97, 0) cm', make: (s) => calorimeter([0, 21.4, 0.19, 1.48, 1.97, 0], s) },
  { label: '3-layer calorimeter, start design (1 cm everywhere)', make: (s) => calorimeter([1, 1, 1, 1, 1, 1], s) },
  { label: 'Gaussian ρ = 0.9', exact: -0.5 * Math.log(1 - 0.81), make: (s) => gaussian(0.9, s) },
];

const meanSd = (v: number[]) => {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  return { m, sd: Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1)) };
};
const nEval = Math.round(DEFAULT_MINE_OPTIONS.evalFraction * M);
const rows: (string | number)[][] = [];
for (const c of cases) {
  const data = Array.from({ length: reps }, (_, r) => c.make(`shifts/${c.label}/${r}`));
  const seeds = data.map((_, r) => `shifts-mine/${r}`);
  for (const shifts of shiftList) {
    const o = resolveMineOptions({ evalShifts: shifts }, 1);
    const cpu0 = process.cpuUsage();
    const est = trainMembers(data, seeds, o);
    const cpu = process.cpuUsage(cpu0);
    const mi = meanSd(est.map((e) => e.mi));
    const floor = Math.sqrt((Math.exp(c.exact ?? mi.m) - 1) / nEval);
    rows.push([
      c.label,
      shifts,
      mi.m.toFixed(3),
      c.exact !== undefined ? (mi.m - c.exact).toFixed(3) : '–',
      mi.sd.toFixed(3),
      floor.toFixed(3),
      meanSd(est.map((e) => e.epochs)).m.toFixed(0),
      ((cpu.user + cpu.system) / 1e6 / reps).toFixed(2),
    ]);
    log(`${c.label}, evalShifts ${shifts}: ${mi.m.toFixed(3)} ± ${mi.sd.toFixed(3)}`);
  }
}

const body = [
  `MINE (defaults of objectives/mine-train.ts except evalShifts) on M = ${M} events, ${reps} independent datasets per case, each with its own member seed;`,
  'every evalShifts row trains the same datasets with the same seeds, so rows differ only in how many shifted pairings (a_i, b_{i+s}) average the held-out',
  `log-mean-exp (${nEval} held-out events). The estimate is the best held-out bound over the evaluations (early stopping), as MI-OPT uses it.`,
  'sd: spread of one estimate over datasets (what the MI-OPT surrogate sees as noise per candidate); floor: √((e^I − 1)/N) with N the held-out events',
  '(exact I for the Gaussian, the mean estimate otherwise). CPU s per estimate in one thread.',
  '',
  table(['case', 'evalShifts', 'mean estimate (nats)', 'mean error', 'sd', 'floor (held-out)', 'mean epochs', 'CPU s per estimate'], rows),
  '',
  `Default evalShifts: ${DEFAULT_MINE_OPTIONS.evalShifts}.`,
].join('\n');
const flags = args.length ? ` ${args.join(' ')}` : '';
writeSection('mine-eval-shifts', 'MINE: shifted pairings in the held-out bound and the noise of one estimate', `npx tsx benchmarks/mine-eval-shifts.ts${flags}`, body, backendInfo().name);
log('done');
