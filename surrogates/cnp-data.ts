// Event tables for the conditional neural process (seed 000 §4.1, §5.2):
// every event becomes a row (θ_k, φ_ki) with its label X_ki, rows grouped by
// design; features are standardised with statistics kept in the model state.
// Mixup (Zhang et al. 2018, as seed 000 §5.2 applies it) pairs a signal event
// with a background event: x̂ = λ x_s + (1 − λ) x_b, ŷ = λ, λ ~ Beta(α, α).
import type { EventBatch } from '../lib/contracts.ts';
import type { Rng } from '../lib/random.ts';

export interface FeatureNorm {
  thetaMean: number[];
  thetaStd: number[];
  phiMean: number[];
  phiStd: number[];
}

/** All training events, standardised, grouped by design (rows of one design are contiguous). */
export interface EventTable {
  thetaDim: number;
  phiDim: number;
  /** rows × (thetaDim + phiDim) standardised features */
  features: Float32Array;
  labels: Uint8Array;
  /** design index of every row */
  design: Int32Array;
  /** first row of design k is designStart[k], its last designStart[k + 1] − 1 */
  designStart: Int32Array;
  /** rows with label 1 and with label 0 */
  signal: Int32Array;
  background: Int32Array;
}

function checkBatch(b: EventBatch, i: number): { phi: Float32Array; phiDim: number; outcome: Uint8Array } {
  if (!b || !b.phi || !b.outcome || !b.phiDim) throw new Error(`cnp batches[${i}]: needs phi, phiDim and outcome (a rare-event batch)`);
  if (b.phi.length !== b.n * b.phiDim) throw new Error(`cnp batches[${i}].phi: expected ${b.n * b.phiDim} values (n × phiDim), got ${b.phi.length}`);
  if (b.outcome.length !== b.n) throw new Error(`cnp batches[${i}].outcome: expected ${b.n} values, got ${b.outcome.length}`);
  if (!Array.isArray(b.theta) || b.theta.some((v) => !Number.isFinite(v))) throw new Error(`cnp batches[${i}].theta: must be finite numbers`);
  return { phi: b.phi, phiDim: b.phiDim, outcome: b.outcome };
}

/** Feature means and standard deviations (θ over designs, φ over up to 200 000 events). */
export function computeNorm(batches: EventBatch[]): FeatureNorm {
  if (batches.length === 0) throw new Error('cnp batches: at least one batch is needed');
  batches.forEach((b, i) => checkBatch(b, i));
  const thetaDim = batches[0]!.theta.length;
  const phiDim = batches[0]!.phiDim ?? 0;
  const tm = new Array<number>(thetaDim).fill(0);
  const ts = new Array<number>(thetaDim).fill(0);
  for (const b of batches) b.theta.forEach((v, j) => (tm[j]! += v / batches.length));
  for (const b of batches) b.theta.forEach((v, j) => (ts[j]! += (v - tm[j]!) ** 2 / batches.length));
  const pm = new Array<number>(phiDim).fill(0);
  const ps = new Array<number>(phiDim).fill(0);
  const total = batches.reduce((s, b) => s + b.n, 0);
  const stride = Math.max(1, Math.floor(total / 200_000));
  let count = 0;
  const visit = (f: (row: Float32Array, o: number) => void) => {
    let global = 0;
    for (const b of batches) {
      for (let i = 0; i < b.n; i++, global++) if (global % stride === 0) f(b.phi!, i * phiDim);
    }
  };
  visit((p, o) => {
    for (let j = 0; j < phiDim; j++) pm[j]! += p[o + j]!;
    count += 1;
  });
  for (let j = 0; j < phiDim; j++) pm[j]! /= Math.max(1, count);
  visit((p, o) => {
    for (let j = 0; j < phiDim; j++) ps[j]! += (p[o + j]! - pm[j]!) ** 2;
  });
  const floor = (v: number) => (v > 1e-12 ? v : 1);
  return {
    thetaMean: tm,
    thetaStd: ts.map((v) => floor(Math.sqrt(v))),
    phiMean: pm,
    phiStd: ps.map((v) => floor(Math.sqrt(v / Math.max(1, count - 1)))),
  };
}

/** Standardised feature rows (θ, φ) of one batch. */
export function batchFeatures(b: EventBatch, norm: FeatureNorm, field = 'batch'): Float32Array {
  const { phi, phiDim } = checkBatch(b, 0);
  const td = norm.thetaMean.length;
  if (b.theta.length !== td) throw new Error(`cnp ${field}.theta: expected ${td} values, got ${b.theta.length}`);
  if (phiDim !== norm.phiMean.length) throw new Error(`cnp ${field}.phiDim: expected ${norm.phiMean.length}, got ${phiDim}`);
  const w = td + phiDim;
  const out = new Float32Array(b.n * w);
  const th = b.theta.map((v, j) => (v - norm.thetaMean[j]!) / norm.thetaStd[j]!);
  for (let i = 0; i < b.n; i++) {
    const o = i * w;
    for (let j = 0; j < td; j++) out[o + j] = th[j]!;
    for (let j = 0; j < phiDim; j++) out[o + td + j] = (phi[i * phiDim + j]! - norm.phiMean[j]!) / norm.phiStd[j]!;
  }
  return out;
}

/**
 * The training table. extend (optional) maps a batch's n standardised rows to
 * wider ones (e.g. Fourier features); its extra columns count as φ columns here.
 */
export function buildTable(batches: EventBatch[], norm: FeatureNorm, extend?: (rows: Float32Array, n: number) => Float32Array, extraColumns = 0): EventTable {
  const thetaDim = norm.thetaMean.length;
  const phiDim = norm.phiMean.length + extraColumns;
  const w = thetaDim + phiDim;
  const total = batches.reduce((s, b, i) => (checkBatch(b, i), s + b.n), 0);
  const features = new Float32Array(total * w);
  const labels = new Uint8Array(total);
  const design = new Int32Array(total);
  const designStart = new Int32Array(batches.length + 1);
  const sig: number[] = [];
  const bkg: number[] = [];
  let row = 0;
  batches.forEach((b, k) => {
    designStart[k] = row;
    const rows = batchFeatures(b, norm, `batches[${k}]`);
    const wide = extend ? extend(rows, b.n) : rows;
    if (wide.length !== b.n * w) throw new Error(`cnp batches[${k}]: feature rows have ${wide.length / Math.max(1, b.n)} columns, expected ${w}`);
    features.set(wide, row * w);
    for (let i = 0; i < b.n; i++, row++) {
      labels[row] = b.outcome![i]! ? 1 : 0;
      design[row] = k;
      (labels[row] ? sig : bkg).push(row);
    }
  });
  designStart[batches.length] = row;
  return { thetaDim, phiDim, features, labels, design, designStart, signal: Int32Array.from(sig), background: Int32Array.from(bkg) };
}

/** One mixup draw: row pairs and their mixing weights λ (label of the mixed row = λ). */
export interface MixupDraw {
  signalRows: Int32Array;
  backgroundRows: Int32Array;
  lambda: Float32Array;
}

/** m signal–background pairs with λ ~ Beta(alpha, alpha) (seed 000 §5.2: α = 0.1). */
export function drawMixup(table: EventTable, m: number, alpha: number, rng: Rng): MixupDraw {
  if (table.signal.length === 0 || table.background.length === 0 || m === 0) {
    return { signalRows: new Int32Array(0), backgroundRows: new Int32Array(0), lambda: new Float32Array(0) };
  }
  const signalRows = new Int32Array(m);
  const backgroundRows = new Int32Array(m);
  const lambda = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    signalRows[i] = table.signal[rng.int(table.signal.length)]!;
    backgroundRows[i] = table.background[rng.int(table.background.length)]!;
    lambda[i] = rng.beta(alpha, alpha);
  }
  return { signalRows, backgroundRows, lambda };
}

/** Inputs of one training step, built in plain arrays before any tensor exists. */
export interface StepInputs {
  /** groups·contextSize context rows: features then label */
  context: Float32Array;
  groups: number;
  /** target rows (features), their labels, and the representation mix: weightA·r[slotA] + (1 − weightA)·r[slotB] */
  target: Float32Array;
  labels: Float32Array;
  slotA: Int32Array;
  slotB: Int32Array;
  weightA: Float32Array;
  /** how many of the targets are mixup pairs (they come last) */
  mixed: number;
}

export interface StepOptions {
  designsPerStep: number;
  eventsPerDesign: number;
  mixupPairs: number;
  mixupAlpha: number;
  contextSize: number;
}

/**
 * Draws one training step: designsPerStep designs with eventsPerDesign plain
 * target events each, mixupPairs mixed targets, and contextSize context events
 * for every design a target needs.
 */
export function drawStep(table: EventTable, o: StepOptions, rng: Rng): StepInputs {
  const w = table.thetaDim + table.phiDim;
  const nDesigns = table.designStart.length - 1;
  const slots = new Map<number, number>();
  const slotOf = (k: number) => {
    let s = slots.get(k);
    if (s === undefined) {
      s = slots.size;
      slots.set(k, s);
    }
    return s;
  };
  const plainDesigns: number[] = [];
  const perm = rng.permutation(nDesigns);
  for (let i = 0; i < Math.min(o.designsPerStep, nDesigns); i++) plainDesigns.push(perm[i]!);
  const mix = drawMixup(table, o.mixupPairs, o.mixupAlpha, rng);
  const nPlain = plainDesigns.length * o.eventsPerDesign;
  const nT = nPlain + mix.lambda.length;
  const target = new Float32Array(nT * w);
  const labels = new Float32Array(nT);
  const slotA = new Int32Array(nT);
  const slotB = new Int32Array(nT);
  const weightA = new Float32Array(nT);
  let t = 0;
  for (const k of plainDesigns) {
    const a = table.designStart[k]!;
    const len = table.designStart[k + 1]! - a;
    const s = slotOf(k);
    for (let i = 0; i < o.eventsPerDesign; i++, t++) {
      const row = a + rng.int(len);
      target.set(table.features.subarray(row * w, (row + 1) * w), t * w);
      labels[t] = table.labels[row]!;
      slotA[t] = s;
      slotB[t] = s;
      weightA[t] = 1;
    }
  }
  for (let i = 0; i < mix.lambda.length; i++, t++) {
    const rs = mix.signalRows[i]!;
    const rb = mix.backgroundRows[i]!;
    const lam = mix.lambda[i]!;
    for (let j = 0; j < w; j++) target[t * w + j] = lam * table.features[rs * w + j]! + (1 - lam) * table.features[rb * w + j]!;
    labels[t] = lam;
    slotA[t] = slotOf(table.design[rs]!);
    slotB[t] = slotOf(table.design[rb]!);
    weightA[t] = lam;
  }
  const groups = slots.size;
  const C = o.contextSize;
  const context = new Float32Array(groups * C * (w + 1));
  for (const [k, s] of slots) {
    const a = table.designStart[k]!;
    const len = table.designStart[k + 1]! - a;
    for (let c = 0; c < C; c++) {
      const row = a + rng.int(len);
      const off = (s * C + c) * (w + 1);
      context.set(table.features.subarray(row * w, (row + 1) * w), off);
      context[off + w] = table.labels[row]!;
    }
  }
  return { context, groups, target, labels, slotA, slotB, weightA, mixed: mix.lambda.length };
}

/** The first `count` events of a batch (views, no copy). */
export function headOfBatch(b: EventBatch, count: number): EventBatch {
  const n = Math.min(b.n, count);
  if (n === b.n) return b;
  const phiDim = b.phiDim ?? b.xDim;
  const phi = (b.phi ?? b.x).subarray(0, n * phiDim);
  return {
    ...b,
    n,
    x: b.x.subarray(0, n * b.xDim),
    y: b.y.subarray(0, n * b.yDim),
    phi,
    outcome: b.outcome?.subarray(0, n),
  };
}
