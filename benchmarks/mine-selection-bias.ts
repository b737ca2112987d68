// MINE reports the best held-out bound over its evaluations, so the held-out events both score
// the network and pick its epoch. How optimistic does that make one estimate? At every evaluation
// the same networks are also scored on fresh events from the same distribution (as many as are
// held out); the optimism is the reported estimate minus the fresh bound at the epoch it came from.
// Bivariate Gaussians with exact MI; 'standardise' inputs, so fresh events get the same input map
// as the member's own events (its mean and sd).
//
// Usage: npx tsx benchmarks/mine-selection-bias.ts [--reps 40]
import { backendInfo, initBackend } from '../lib/backend.ts';
import { Rng } from '../lib/random.ts';
import { mineSplit, resolveMineOptions, trainEqualShape, type MineDataset } from '../objectives/mine-train.ts';
import type { MemberEvalData } from '../objectives/mine-network.ts';
import { integerFlag, stageLogger, table, writeSection } from './results.ts';
import { gaussianPair } from './functions/gaussian-pair.ts';

const args = process.argv.slice(2);
const reps = integerFlag(args, '--reps', 40, 3);
await initBackend();
const log = stageLogger();

/** x standardised with the mean and sd (1/n) of `ref`, as objectives/mine-transform.ts standardises ref itself. */
function standardiseLike(x: Float32Array, ref: Float32Array): Float32Array {
  const m = ref.reduce((s, v) => s + v, 0) / ref.length;
  const sd = Math.sqrt(ref.reduce((s, v) => s + (v - m) ** 2, 0) / ref.length);
  return Float32Array.from(x, (v) => (v - m) / sd);
}

const meanSe = (v: number[]) => {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
  return { m, se: sd / Math.sqrt(v.length) };
};

const o = resolveMineOptions({ inputTransform: 'standardise' }, 1);
const rows: (string | number)[][] = [];
for (const M of [50, 700]) {
  for (const rho of [0.5, 0.9, 0.99]) {
    const exact = -0.5 * Math.log(1 - rho * rho);
    const rng = new Rng(`selection-bias/${M}/${rho}`);
    const { nEval } = mineSplit(M, o.evalFraction);
    const data: MineDataset[] = [];
    const fresh: MemberEvalData[] = [];
    for (let r = 0; r < reps; r++) {
      const d = gaussianPair(rho, M, rng);
      const f = gaussianPair(rho, nEval, rng);
      data.push(d);
      fresh.push({ a: standardiseLike(f.a, d.a), b: standardiseLike(f.b, d.b) });
    }
    const best = new Array<number>(reps).fill(-Infinity);
    const freshAtBest = new Array<number>(reps).fill(NaN);
    const est = trainEqualShape(data, data.map((_, r) => `selection-bias/${M}/${rho}/${r}`), o, (_epoch, members, heldOut, evaluateOn) => {
      const f = evaluateOn(members.map((i) => fresh[i]!));
      members.forEach((i, j) => {
        if (heldOut[j]! > best[i]!) {
          best[i] = heldOut[j]!;
          freshAtBest[i] = f[j]!;
        }
      });
    });
    // the probe followed the estimator's own choice
    est.forEach((e, i) => {
      if (e.mi !== best[i]) throw new Error(`member ${i}: probe best ${best[i]} ≠ estimate ${e.mi}`);
    });
    const reported = meanSe(est.map((e) => e.mi));
    const scored = meanSe(freshAtBest);
    const optimism = meanSe(est.map((e, i) => e.mi - freshAtBest[i]!));
    rows.push([M, nEval, rho, exact.toFixed(3), reported.m.toFixed(3), scored.m.toFixed(3), `${optimism.m.toFixed(3)} ± ${optimism.se.toFixed(3)}`]);
    log(`M ${M}, ρ ${rho}: reported ${reported.m.toFixed(3)}, fresh ${scored.m.toFixed(3)}, optimism ${optimism.m.toFixed(3)} ± ${optimism.se.toFixed(3)}`);
  }
}

const body = [
  `MINE with the defaults of objectives/mine-train.ts except inputTransform 'standardise', ${reps} independent datasets per row (bivariate Gaussian, exact I = −½ ln(1 − ρ²)).`,
  'reported: the estimate as MI-OPT uses it (the best held-out bound over the evaluations). fresh: the same network at the same epoch scored on as many fresh',
  'events as are held out. optimism: reported − fresh, mean ± standard error over the datasets.',
  '',
  table(['M', 'held out', 'ρ', 'exact I', 'reported', 'fresh at that epoch', 'optimism (nats)'], rows),
].join('\n');
const flags = args.length ? ` ${args.join(' ')}` : '';
writeSection('mine-selection-bias', 'MINE: how optimistic is the best held-out bound?', `npx tsx benchmarks/mine-selection-bias.ts${flags}`, body, backendInfo().name);
log('done');
