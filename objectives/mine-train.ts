// Trains MINE estimators for a list of datasets in one stacked network and
// reports each dataset's mutual information (nats) on held-out events.
//
// Per dataset ("member"): inputs transformed per column (mine-transform.ts); a seeded split into
// training and held-out events; its own Glorot init, epoch shuffles and
// product-of-marginals permutations, all from its own Rng(seed). The held-out
// Donsker–Varadhan bound is evaluated every `evalEvery` epochs; a member stops
// when it has not improved by `minDelta` for `patience` evaluations (or at
// `maxEpochs`) and leaves the stack, so later epochs cost nothing for it.
import { Rng } from '../lib/random.ts';
import { StackedStatisticsNetwork, type MemberBatch, type MemberEvalData, type MineActivation } from './mine-network.ts';
import { INPUT_TRANSFORMS, transformColumns, type MineInputTransform } from './mine-transform.ts';

export interface MineOptions {
  /** hidden widths of each encoder (reference: 1→32→32→64 and dim(b)→32→32→64) */
  encoderHidden: number[];
  encoderOut: number;
  /** joint MLP hidden widths (reference: 128→128→1) */
  jointHidden: number[];
  activation: MineActivation;
  /**
   * per-candidate, per-column input transform (MI is invariant to it):
   * 'rank-gauss' (empirical copula → standard normal marginals) or 'standardise'
   */
  inputTransform: MineInputTransform;
  /** Adam step size */
  learningRate: number;
  /** events per mini-batch (reference: 512; with 490 training events that is one full batch per epoch) */
  batchSize: number;
  /** cap on epochs (reference code: 200) */
  maxEpochs: number;
  /** no early stop before this epoch */
  minEpochs: number;
  /** share of each dataset's events held out for the estimate */
  evalFraction: number;
  /** epochs between held-out evaluations */
  evalEvery: number;
  /**
   * number of shifted pairings (a_i, b_{i+s}) for the held-out product of marginals. At high MI the
   * log-mean-exp over few pairs carries most of an estimate's noise (Var e^T ≈ e^I − 1): near the end
   * of a 3-layer MI-OPT run (I ≈ 2.8 nats, M = 700) one estimate's sd is 0.23 nats with 4 shifts and
   * 0.14 with 32, for ≈ 10–30 % more CPU; at I ≈ 1.5 nats it makes no difference
   * (benchmarks/mine-eval-shifts.ts)
   */
  evalShifts: number;
  /** evaluations without an improvement of minDelta before a member stops */
  patience: number;
  minDelta: number;
  /** MINE's bias-corrected gradient: moving average of E[e^T] in the denominator (Belghazi et al. 2018, §3.2) */
  biasCorrection: boolean;
  /** rate α of that moving average */
  emaRate: number;
  /** worker threads training slices of the members (1 = in this thread); default: available cores */
  workers: number;
}

export const DEFAULT_MINE_OPTIONS: Readonly<Omit<MineOptions, 'workers'>> = Object.freeze({
  encoderHidden: [32, 32],
  encoderOut: 64,
  jointHidden: [128],
  activation: 'elu',
  inputTransform: 'rank-gauss',
  learningRate: 3e-3,
  batchSize: 512,
  maxEpochs: 200,
  minEpochs: 20,
  evalFraction: 0.3,
  evalEvery: 5,
  evalShifts: 32,
  patience: 4,
  minDelta: 0.005,
  biasCorrection: false,
  emaRate: 0.01,
});

export interface MineDataset {
  /** variable A, n × aDim row-major (e.g. the true energy) */
  a: Float32Array;
  aDim: number;
  /** variable B, n × bDim row-major (e.g. the energy per scintillator layer) */
  b: Float32Array;
  bDim: number;
  n: number;
}

export interface MineEstimate {
  /** held-out Donsker–Varadhan bound (nats) at the best evaluation */
  mi: number;
  /** held-out bound at the last evaluation */
  miLast: number;
  /** training bound (mean over the last epoch's batches) */
  trainBound: number;
  epochs: number;
  bestEpoch: number;
}

const ACTIVATIONS: readonly MineActivation[] = ['relu', 'elu', 'tanh'];

function checkPositiveInt(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`${path}: must be an integer ≥ ${min} (got ${String(v)})`);
  return v;
}

function checkPositive(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${path}: must be a positive number (got ${String(v)})`);
  return v;
}

const MINE_OPTION_NAMES: readonly string[] = [...Object.keys(DEFAULT_MINE_OPTIONS), 'workers'];

/**
 * Fills in defaults and checks every field; errors name it as `${field}.<name>`
 * (e.g. "problemOptions.mine.maxEpochs"). An unknown name is an error, not ignored:
 * a misspelled "maxepochs" would otherwise silently run the default 200 epochs.
 */
export function resolveMineOptions(partial: Partial<MineOptions> = {}, defaultWorkers = 1, field = 'mine options'): MineOptions {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) throw new Error(`${field}: must be an object of MINE settings`);
  for (const key of Object.keys(partial)) {
    if (!MINE_OPTION_NAMES.includes(key)) throw new Error(`${field}.${key}: unknown field (known: ${MINE_OPTION_NAMES.join(', ')})`);
  }
  const o: MineOptions = { ...DEFAULT_MINE_OPTIONS, workers: defaultWorkers, ...partial } as MineOptions;
  const positiveInt = (v: unknown, name: string, min = 1) => checkPositiveInt(v, `${field}.${name}`, min);
  const positive = (v: unknown, name: string) => checkPositive(v, `${field}.${name}`);
  for (const [name, list] of [
    ['encoderHidden', o.encoderHidden],
    ['jointHidden', o.jointHidden],
  ] as const) {
    if (!Array.isArray(list)) throw new Error(`${field}.${name}: must be an array of layer widths`);
    list.forEach((w, i) => positiveInt(w, `${name}[${i}]`));
  }
  if (o.jointHidden.length < 1) throw new Error(`${field}.jointHidden: needs at least one hidden layer`);
  positiveInt(o.encoderOut, 'encoderOut');
  if (!ACTIVATIONS.includes(o.activation)) throw new Error(`${field}.activation: one of ${ACTIVATIONS.join(', ')} (got ${String(o.activation)})`);
  if (!INPUT_TRANSFORMS.includes(o.inputTransform)) throw new Error(`${field}.inputTransform: one of ${INPUT_TRANSFORMS.join(', ')} (got ${String(o.inputTransform)})`);
  positive(o.learningRate, 'learningRate');
  positiveInt(o.batchSize, 'batchSize', 2);
  positiveInt(o.maxEpochs, 'maxEpochs');
  positiveInt(o.minEpochs, 'minEpochs', 0);
  if (!(o.evalFraction > 0 && o.evalFraction < 1)) throw new Error(`${field}.evalFraction: must be in (0, 1) (got ${o.evalFraction})`);
  positiveInt(o.evalEvery, 'evalEvery');
  positiveInt(o.evalShifts, 'evalShifts');
  positiveInt(o.patience, 'patience');
  if (!(o.minDelta >= 0)) throw new Error(`${field}.minDelta: must be ≥ 0 (got ${o.minDelta})`);
  if (typeof o.biasCorrection !== 'boolean') throw new Error(`${field}.biasCorrection: must be true or false`);
  if (!(o.emaRate > 0 && o.emaRate <= 1)) throw new Error(`${field}.emaRate: must be in (0, 1] (got ${o.emaRate})`);
  positiveInt(o.workers, 'workers');
  return o;
}

/**
 * Events one estimate needs at least in each part of its split. The held-out bound both scores
 * the estimator and picks its epoch: with 2–3 held-out events a network that separates them from
 * their shuffled pairs "improves" for all 200 epochs and reports 10²–10⁶ nats (at n = 8, ρ = 0.99:
 * median 496 nats against an exact 1.96); with 10 held out the estimates stay within their noise.
 */
export const MINE_MIN_PART_EVENTS = 10;

/** How n events split: the first nEval of a seeded permutation are held out, the rest train. */
export function mineSplit(n: number, evalFraction: number): { nEval: number; nTrain: number } {
  const nEval = Math.max(2, Math.round(evalFraction * n));
  return { nEval, nTrain: n - nEval };
}

/** The fewest events per dataset that leave MINE_MIN_PART_EVENTS both held out and for training. */
export function mineMinEvents(evalFraction: number = DEFAULT_MINE_OPTIONS.evalFraction): number {
  for (let n = 2 * MINE_MIN_PART_EVENTS; ; n++) {
    const { nEval, nTrain } = mineSplit(n, evalFraction);
    if (nEval >= MINE_MIN_PART_EVENTS && nTrain >= MINE_MIN_PART_EVENTS) return n;
  }
}

function tooFewEvents(n: number, evalFraction: number): string | null {
  const min = mineMinEvents(evalFraction);
  if (n >= min) return null;
  return `MINE holds out ${Math.round(evalFraction * 100)} % of each candidate's events to score its estimate and needs ${MINE_MIN_PART_EVENTS} there and ${MINE_MIN_PART_EVENTS} to train on: at least ${min} events (got ${n})`;
}

/** For a run's config: `events` per candidate must give MINE enough to train and to score on. */
export function checkMineEvents(events: number, evalFraction: number = DEFAULT_MINE_OPTIONS.evalFraction): void {
  const why = tooFewEvents(events, evalFraction);
  if (why) throw new Error(`events: ${why}`);
}

/** Checks one dataset's shape; `field` names it in the error (e.g. "datasets[3]"). */
export function validateDataset(d: MineDataset, field: string, evalFraction: number = DEFAULT_MINE_OPTIONS.evalFraction): void {
  if (!Number.isInteger(d.n)) throw new Error(`${field}.n: must be an integer (got ${d.n})`);
  const why = tooFewEvents(d.n, evalFraction);
  if (why) throw new Error(`${field}.n: ${why}`);
  if (!Number.isInteger(d.aDim) || d.aDim < 1) throw new Error(`${field}.aDim: must be a positive integer (got ${d.aDim})`);
  if (!Number.isInteger(d.bDim) || d.bDim < 1) throw new Error(`${field}.bDim: must be a positive integer (got ${d.bDim})`);
  if (!(d.a instanceof Float32Array)) throw new Error(`${field}.a: must be a Float32Array`);
  if (!(d.b instanceof Float32Array)) throw new Error(`${field}.b: must be a Float32Array`);
  if (d.a.length !== d.n * d.aDim) throw new Error(`${field}.a: length ${d.a.length} ≠ n × aDim = ${d.n} × ${d.aDim}`);
  if (d.b.length !== d.n * d.bDim) throw new Error(`${field}.b: length ${d.b.length} ≠ n × bDim = ${d.n} × ${d.bDim}`);
  for (const [name, arr] of [['a', d.a], ['b', d.b]] as const) {
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i]!)) throw new Error(`${field}.${name}: value ${arr[i]} at index ${i} is not finite`);
    }
  }
}

function gatherRows(x: Float32Array, dim: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r]! * dim;
    for (let j = 0; j < dim; j++) out[r * dim + j] = x[src + j]!;
  }
  return out;
}

interface Member {
  index: number;
  rng: Rng;
  aTrain: Float32Array;
  bTrain: Float32Array;
  eval: MemberEvalData;
  best: number;
  bestEpoch: number;
  last: number;
  trainSum: number;
  trainCount: number;
}

/** Shifts s_p spread over (0, n): pairs (a_i, b_{(i+s) mod n}) are never joint pairs. */
export function evalShiftList(nEval: number, count: number): number[] {
  const out = new Set<number>();
  for (let p = 1; p <= count; p++) {
    const s = Math.floor((p * nEval) / (count + 1));
    if (s >= 1 && s < nEval) out.add(s);
  }
  if (out.size === 0) out.add(1);
  return [...out];
}

/**
 * Trains one stacked network for datasets of equal shape (same n, aDim, bDim)
 * and returns one estimate per dataset, in order. seeds[i] seeds dataset i's Rng.
 */
/**
 * What a probe sees at each held-out evaluation (diagnostics, e.g. benchmarks/mine-selection-bias.ts):
 * the datasets still training (their indices in the call), their held-out bounds, and the bound of
 * the same networks on other events (already input-transformed, as many rows as held out).
 */
export interface MineEvaluationProbe {
  (epoch: number, members: readonly number[], heldOut: Float64Array, evaluateOn: (data: MemberEvalData[]) => Float64Array): void;
}

export function trainEqualShape(datasets: MineDataset[], seeds: string[], o: MineOptions, probe?: MineEvaluationProbe): MineEstimate[] {
  const d0 = datasets[0]!;
  const { n, aDim, bDim } = d0;
  const { nEval, nTrain } = mineSplit(n, o.evalFraction);
  if (nTrain < 2) throw new Error(`mine: n = ${n} leaves ${nTrain} training events after holding out ${nEval}`);
  const members: Member[] = datasets.map((d, i) => {
    const rng = new Rng(seeds[i]!);
    const a = transformColumns(o.inputTransform, d.a, n, aDim);
    const b = transformColumns(o.inputTransform, d.b, n, bDim);
    const order = rng.permutation(n);
    const evalRows = order.subarray(0, nEval);
    const trainRows = order.subarray(nEval);
    return {
      index: i,
      rng,
      aTrain: gatherRows(a, aDim, trainRows),
      bTrain: gatherRows(b, bDim, trainRows),
      eval: { a: gatherRows(a, aDim, evalRows), b: gatherRows(b, bDim, evalRows) },
      best: -Infinity,
      bestEpoch: 0,
      last: NaN,
      trainSum: 0,
      trainCount: 0,
    };
  });
  // Weights are drawn after the split, from each member's own stream.
  const net = new StackedStatisticsNetwork(
    { aDim, bDim, encoderHidden: o.encoderHidden, encoderOut: o.encoderOut, jointHidden: o.jointHidden, activation: o.activation },
    members.map((m) => m.rng),
  );
  const shifts = evalShiftList(nEval, o.evalShifts);
  const adam = { learningRate: o.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  const results: MineEstimate[] = new Array(datasets.length);
  let active = members;
  try {
    for (let epoch = 1; epoch <= o.maxEpochs && active.length > 0; epoch++) {
      const orders = active.map((m) => m.rng.permutation(nTrain));
      for (const m of active) {
        m.trainSum = 0;
        m.trainCount = 0;
      }
      for (let start = 0; start < nTrain; start += o.batchSize) {
        const nb = Math.min(o.batchSize, nTrain - start);
        if (nb < 2) break; // a 1-event batch has no product-of-marginals pair
        const batches: MemberBatch[] = active.map((m, j) => {
          const rows = orders[j]!.subarray(start, start + nb);
          const shift = 1 + m.rng.int(nb - 1);
          return { a: gatherRows(m.aTrain, aDim, rows), b: gatherRows(m.bTrain, bDim, rows), shift };
        });
        const r = net.step(batches, adam, o.biasCorrection ? o.emaRate : 0);
        active.forEach((m, j) => {
          m.trainSum += r.meanJoint[j]! - r.logMeanExpMarginal[j]!;
          m.trainCount += 1;
        });
      }
      if (epoch % o.evalEvery !== 0 && epoch !== o.maxEpochs) continue;
      const values = net.evaluate(
        active.map((m) => m.eval),
        shifts,
      );
      probe?.(
        epoch,
        active.map((m) => m.index),
        values,
        (data) => net.evaluate(data, shifts),
      );
      const keep: number[] = [];
      active.forEach((m, j) => {
        const v = values[j]!;
        m.last = v;
        if (v > m.best + o.minDelta || m.bestEpoch === 0) m.bestEpoch = epoch;
        if (v > m.best) m.best = v;
        const stalled = epoch >= o.minEpochs && epoch - m.bestEpoch >= o.patience * o.evalEvery;
        if (stalled || epoch === o.maxEpochs || !Number.isFinite(v)) {
          results[m.index] = {
            mi: m.best,
            miLast: m.last,
            trainBound: m.trainSum / Math.max(1, m.trainCount),
            epochs: epoch,
            bestEpoch: m.bestEpoch,
          };
        } else keep.push(j);
      });
      if (keep.length < active.length) {
        net.keepMembers(keep);
        active = keep.map((j) => active[j]!);
      }
    }
  } finally {
    net.dispose();
  }
  return results;
}

/** Trains every dataset, grouping datasets of equal shape into one stacked network each. */
export function trainMembers(datasets: MineDataset[], seeds: string[], o: MineOptions): MineEstimate[] {
  const groups = new Map<string, number[]>();
  datasets.forEach((d, i) => {
    const key = `${d.n}/${d.aDim}/${d.bDim}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const out: MineEstimate[] = new Array(datasets.length);
  for (const idx of groups.values()) {
    const res = trainEqualShape(
      idx.map((i) => datasets[i]!),
      idx.map((i) => seeds[i]!),
      o,
    );
    idx.forEach((i, j) => (out[i] = res[j]!));
  }
  return out;
}
