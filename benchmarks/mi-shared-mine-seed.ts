// Would common random numbers steady MI-OPT's steps where MI is nearly flat? Near the end of a
// 3-layer run the candidates' MI is flat in every direction but abs1, so the step follows noise
// (RESULTS.md `mi-back-lead`, `mi-recommended-design`). If every candidate's MINE estimator
// started from the same seed (same init, split, shuffles and pairings), its training noise would
// be shared by neighbouring designs and cancel in their differences, i.e. in the slope the
// surrogate learns. This measures that: K candidates ~ N(θ, σ) around one design, M events each,
// MINE with the MI-OPT defaults, the least-squares plane through their MI (lib/step-evidence.ts)
// per rep; independent member seeds (as MI-OPT runs) against one shared seed per rep. The
// residual sd about the plane and the slopes' spread between reps are the noise the step sees.
// Usage: npx tsx benchmarks/mi-shared-mine-seed.ts [--reps 4] [--candidates 117] [--events 700]
import { initBackend, backendInfo } from '../lib/backend.ts';
import { Rng } from '../lib/random.ts';
import { calorimeterDesignSpace, CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { DesignSpace } from '../lib/space.ts';
import { candidatePlane } from '../lib/step-evidence.ts';
import { defaultWorkers, MineWorkerPool, resolveMineOptions, type MineDataset } from '../objectives/mine.ts';
import { integerFlag, loadAtStart, loadLine, table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const reps = integerFlag(args, '--reps', 4, 2);
const K = integerFlag(args, '--candidates', 117, 10);
const M = integerFlag(args, '--events', 700, 50);
/** a design where 3-layer MI-OPT runs sit at the end: abs1 near 0, Σ scintillator 23.5 cm, a little lead behind */
const THETA = [0.3, 21, 0.8, 1.5, 0.5, 1.0];

const load0 = loadAtStart();
await initBackend();
const t0 = performance.now();
const space = new DesignSpace({ ...calorimeterDesignSpace(3) });
const sim = new CalorimeterSimulator({ layers: 3, eMin: 1, eMax: 20 });
const rngCandidates = new Rng('mi-shared-mine-seed/candidates');
const options = resolveMineOptions({}, defaultWorkers());
const pool = new MineWorkerPool(options.workers);
const candidates = Array.from({ length: K }, () => space.clip(THETA.map((v, i) => rngCandidates.normal(v, space.sigma[i]!))));

interface Rep { mi: number[]; slope: number[]; se: number[]; residualSd: number; meanMi: number }

async function rep(r: number, shared: boolean): Promise<Rep> {
  const datasets: MineDataset[] = candidates.map((c, k) => {
    const b = sim.simulate(c, M, new Rng(`mi-shared-mine-seed/photons/${r}/${k}`));
    return { a: Float32Array.from(b.x), aDim: 1, b: Float32Array.from(b.y), bDim: 3, n: b.n };
  });
  // member k's seed: its own (as MI-OPT runs), or one seed shared by all K members of the rep
  const seeds = candidates.map((_, k) => (shared ? `mi-shared-mine-seed/mine/${r}` : `mi-shared-mine-seed/mine/${r}/${k}`));
  const mi = (await pool.train(datasets, seeds, options, backendInfo().name)).map((e) => e.mi);
  const plane = candidatePlane(candidates, mi, THETA, space.sigma);
  if (!plane) throw new Error('the candidates plane could not be fitted');
  const meanMi = mi.reduce((s, v) => s + v, 0) / K;
  const u = candidates.map((c) => c.map((v, i) => (v - THETA[i]!) / space.sigma[i]!));
  const fitted = u.map((row) => row.reduce((s, v, i) => s + v * plane.slope[i]!, 0));
  const meanFit = fitted.reduce((s, v) => s + v, 0) / K;
  const residual = mi.map((v, k) => v - meanMi - (fitted[k]! - meanFit));
  const residualSd = Math.sqrt(residual.reduce((s, v) => s + v * v, 0) / (K - THETA.length - 1));
  return { mi, slope: plane.slope, se: plane.covariance.map((row, i) => Math.sqrt(row[i]!)), residualSd, meanMi };
}

const cases = [
  { name: 'own seed per member (MI-OPT)', shared: false },
  { name: 'one seed shared by all members', shared: true },
];
const rows: string[][] = [];
const names = space.names;
for (const c of cases) {
  const results: Rep[] = [];
  for (let r = 0; r < reps; r++) {
    results.push(await rep(r, c.shared));
    process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${c.name}, rep ${r + 1}/${reps}\n`);
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const sd = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1));
  const slopeCells = names.map((_, i) => {
    const v = results.map((x) => x.slope[i]!);
    return `${mean(v) >= 0 ? '+' : ''}${mean(v).toFixed(3)} (${sd(v).toFixed(3)})`;
  });
  const se = Math.sqrt(mean(results.flatMap((x) => x.se.map((s) => s * s))));
  // the same candidates in every rep: the spread of one candidate's MI over reps is the estimate's noise alone
  const estimateSd = Math.sqrt(mean(candidates.map((_, k) => sd(results.map((x) => x.mi[k]!)) ** 2)));
  rows.push([c.name, mean(results.map((x) => x.meanMi)).toFixed(3), estimateSd.toFixed(3), mean(results.map((x) => x.residualSd)).toFixed(3), se.toFixed(3), ...slopeCells]);
}
await pool.terminate();
const seconds = (performance.now() - t0) / 1000;
const body = [
  `Design θ = (${THETA.join(', ')}) cm (${names.join(', ')}), photons 1–20 GeV; K = ${K} candidates ~ N(θ, σ = ${space.sigma[0]} cm), clipped to the bounds, the same candidates in every rep; M = ${M} events each, a new photon stream per rep and candidate; MINE with the MI-OPT defaults.`,
  `Per rep: the least-squares plane MI ≈ a + β·(θk − θ)/σ through the ${K} estimates (lib/step-evidence.ts candidatePlane). Columns: mean MI over candidates and reps; the sd of one candidate's estimate over the reps (rms over candidates: the estimates' noise alone); the residual sd about the plane (noise plus the curvature a plane cannot follow); the plane's standard error of one slope (rms over parameters and reps); each slope β (nats per σ) as the mean over ${reps} reps (sd between reps).`,
  '',
  table(['MINE member seeds', 'mean MI (nats)', 'one estimate sd over reps (nats)', 'residual sd about the plane (nats)', 'slope se (nats/σ)', ...names.map((n) => `β ${n}`)], rows),
  '',
  `Took ${seconds.toFixed(0)} s (${backendInfo().name}). ${loadLine(load0)}`,
].join('\n');
const flags = `${reps !== 4 ? ` --reps ${reps}` : ''}${K !== 117 ? ` --candidates ${K}` : ''}${M !== 700 ? ` --events ${M}` : ''}`;
writeSection('mi-shared-mine-seed', 'MI-OPT 3 layers: does one shared MINE seed per iteration steady the slope?', `npx tsx benchmarks/mi-shared-mine-seed.ts${flags}`, body, backendInfo().name);
console.log(body);
