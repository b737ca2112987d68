// Accuracy of the MINE objective against exact mutual information
// (PHYSICS.md §3): bivariate Gaussians ρ = 0.5, 0.75, 0.9 (I = −½ ln(1 − ρ²)),
// the same data with y → y³ (MI is invariant under injective maps), and the
// dense multinormal with all correlations 0.5 split into A = first d and
// B = last d coordinates (d = 2 → 0.2939, d = 5 → 0.5928 nats: the split that
// reproduces PHYSICS.md's numbers). Every case runs several seeds, all in one
// batched call per N (the estimators are independent members of one stack).
//
// Usage: npx tsx benchmarks/mine-accuracy.ts [--quick]
import { initBackend, backendInfo } from '../lib/backend.ts';
import { Rng } from '../lib/random.ts';
import { estimateMIBatched, defaultWorkers, DEFAULT_MINE_OPTIONS, type MineDataset, type MineEstimate, type MineOptions } from '../objectives/mine.ts';
import { loadAtStart, loadLine, table, writeSection } from './results.ts';

const quick = process.argv.includes('--quick');
const SEEDS = quick ? 3 : 10;
const SIZES = quick ? [700, 2000] : [700, 5000];
const RHOS = [0.5, 0.75, 0.9];

const load0 = loadAtStart();
await initBackend();
const workers = defaultWorkers();

/** ln det of the m × m matrix with 1 on the diagonal and c elsewhere: (1 − c)^(m−1) (1 + (m−1)c). */
const logDetEqui = (m: number, c: number) => (m - 1) * Math.log(1 - c) + Math.log(1 + (m - 1) * c);

/** I(A; B) for A = first d, B = last d coordinates of an equicorrelated 2d-dimensional normal. */
const exactDense = (d: number, c: number) => 0.5 * (2 * logDetEqui(d, c) - logDetEqui(2 * d, c));

function gaussian(rho: number, n: number, rng: Rng, cube: boolean): MineDataset {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z1 = rng.normal();
    const y = rho * z1 + Math.sqrt(1 - rho * rho) * rng.normal();
    a[i] = z1;
    b[i] = cube ? y * y * y : y;
  }
  return { a, aDim: 1, b, bDim: 1, n };
}

/** x = √(1−c)·z + √c·w·1 has unit variances and all correlations c. */
function denseNormal(d: number, c: number, n: number, rng: Rng): MineDataset {
  const a = new Float32Array(n * d);
  const b = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const w = rng.normal();
    for (let j = 0; j < d; j++) a[i * d + j] = Math.sqrt(1 - c) * rng.normal() + Math.sqrt(c) * w;
    for (let j = 0; j < d; j++) b[i * d + j] = Math.sqrt(1 - c) * rng.normal() + Math.sqrt(c) * w;
  }
  return { a, aDim: d, b, bDim: d, n };
}

interface Case {
  label: string;
  exact: number;
  make: (n: number, rng: Rng) => MineDataset;
  /** options that differ from the defaults */
  options?: Partial<MineOptions>;
}

const cases: Case[] = [
  ...RHOS.map((rho) => ({ label: `Gaussian ρ = ${rho}`, exact: -0.5 * Math.log(1 - rho * rho), make: (n: number, r: Rng) => gaussian(rho, n, r, false) })),
  ...RHOS.map((rho) => ({ label: `Gaussian ρ = ${rho}, y → y³`, exact: -0.5 * Math.log(1 - rho * rho), make: (n: number, r: Rng) => gaussian(rho, n, r, true) })),
  { label: 'dense normal, d = 2 + 2, c = 0.5', exact: exactDense(2, 0.5), make: (n, r) => denseNormal(2, 0.5, n, r) },
  { label: 'dense normal, d = 5 + 5, c = 0.5', exact: exactDense(5, 0.5), make: (n, r) => denseNormal(5, 0.5, n, r) },
  // the same events without the rank-gauss input transform: what the default buys
  ...[false, true].map((cube) => ({
    label: `Gaussian ρ = 0.9${cube ? ', y → y³' : ''}, inputTransform = standardise`,
    exact: -0.5 * Math.log(1 - 0.81),
    make: (n: number, r: Rng) => gaussian(0.9, n, r, cube),
    options: { inputTransform: 'standardise' as const },
  })),
];

const rows: (string | number)[][] = [];
const t0 = performance.now();
const timing: string[] = [];
for (const n of SIZES) {
  // one batched call per distinct option set
  const est: MineEstimate[] = [];
  const owner: number[] = [];
  const optionSets = [...new Set(cases.map((c) => JSON.stringify(c.options ?? {})))];
  for (const optJson of optionSets) {
    const datasets: MineDataset[] = [];
    cases.forEach((c, ci) => {
      if (JSON.stringify(c.options ?? {}) !== optJson) return;
      for (let s = 0; s < SEEDS; s++) {
        // every Gaussian ρ case of a seed uses the same events: y³ rows are the same events cubed
        const rho = /ρ = ([0-9.]+)/.exec(c.label)?.[1];
        datasets.push(c.make(n, new Rng(`data/${rho ? `rho ${rho}` : c.label}/${n}/${s}`)));
        owner.push(ci);
      }
    });
    const tn = performance.now();
    est.push(...(await estimateMIBatched(datasets, { ...JSON.parse(optJson), workers }, new Rng(`mine-accuracy/${n}/${optJson}`))));
    const secs = (performance.now() - tn) / 1000;
    timing.push(`N = ${n}, options ${optJson}: ${datasets.length} estimators in ${secs.toFixed(0)} s (${workers} workers)`);
  }
  const nEval = Math.round(DEFAULT_MINE_OPTIONS.evalFraction * n);
  cases.forEach((c, ci) => {
    const e: MineEstimate[] = est.filter((_, i) => owner[i] === ci);
    const vals = e.map((x) => x.mi);
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, vals.length - 1));
    const epochs = e.reduce((s, x) => s + x.epochs, 0) / e.length;
    rows.push([
      c.label,
      n,
      c.exact.toFixed(4),
      mean.toFixed(4),
      (mean - c.exact).toFixed(4),
      sd.toFixed(4),
      Math.sqrt((Math.exp(c.exact) - 1) / n).toFixed(4),
      Math.sqrt((Math.exp(c.exact) - 1) / nEval).toFixed(4),
      epochs.toFixed(0),
    ]);
    console.log(rows[rows.length - 1]!.join('  '));
  });
}
const total = (performance.now() - t0) / 1000;

const o = DEFAULT_MINE_OPTIONS;
const body = [
  `MINE (Donsker–Varadhan bound on held-out events) against exact MI in nats, ${SEEDS} seeds per row, all seeds of one N trained as one batched call.`,
  `Defaults: inputs ${o.inputTransform} per candidate and column, encoders 1→${o.encoderHidden.join('→')}→${o.encoderOut}, joint ${2 * o.encoderOut}→${o.jointHidden.join('→')}→1, ${o.activation}, Adam lr ${o.learningRate}, batch ${o.batchSize}, ≤ ${o.maxEpochs} epochs, held out ${o.evalFraction * 100} % (product of marginals over ${o.evalShifts} shifted pairings), early stop after ${o.patience} evaluations (every ${o.evalEvery} epochs) without a gain of ${o.minDelta} nats.`,
  'Floors: √((e^I − 1)/N) with N all events, and with N the held-out events the estimate is computed on.',
  'Dense normal: A = first d, B = last d coordinates of a 2d-dimensional normal with all correlations 0.5; I = ½(2 ln det Σ_d − ln det Σ_2d) gives 0.2939 (d = 2) and 0.5928 (d = 5), the PHYSICS.md numbers.',
  '',
  table(['case', 'N', 'exact', 'mean estimate', 'mean error', 'sd', 'floor (N)', 'floor (held-out)', 'mean epochs'], rows),
  '',
  ...timing.map((t) => `- ${t}`),
  `- total ${total.toFixed(0)} s. ${loadLine(load0)}`,
].join('\n');
writeSection('mine-accuracy', 'MINE accuracy against exact mutual information', `npx tsx benchmarks/mine-accuracy.ts${quick ? ' --quick' : ''}`, body, backendInfo().name);
console.log(body);
