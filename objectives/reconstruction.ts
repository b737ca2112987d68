// RECO-OPT's objective (seed 002, Sec. IV "RECO-OPT", Table 3): an MLP R(y | θ)
// reconstructs the true energy E from the detector response y (and the design
// θ), trained on all candidates' events of the iteration; every event then gets
//     δ = ((Ê − E) / E)²,
// the paper's "normalized MSE": the squared *relative* error, so a 1 GeV and a
// 20 GeV photon weigh alike and δ measures the relative energy resolution
// σ_E/E that a calorimeter is judged by. The network is trained on exactly
// this loss, so it minimises the figure of merit it reports.
import { tf, tidyValues } from '../lib/tf.ts';
import { MLP, type Activation, type SerializedTensor, ACTIVATIONS, decodeFloat32, epochBatches, meanStd, stageEpochs, type StagedMlpTraining, newVariable, serializeTensor } from '../lib/nn.ts';
import { Rng } from '../lib/random.ts';
import type { Candidate, Objective, ObjectiveContext, ObjectiveResult } from '../lib/contracts.ts';
import { calibratedDeltas, calibrationScale, LAYER_EVENTS_PER_WEIGHT, layerCalibratedDeltas, pooledCalibratedDeltas } from './energy-calibration.ts';

/** Table 3 (RECO-OPT Reco): 3 layers, ELU, Adam at 4e-4 then 1e-5 (200 + 200 epochs there; fewer here, see RECONSTRUCTION_DEFAULTS). */
export interface ReconstructionOptions extends StagedMlpTraining {
  /** fraction of events held out of training to report a validation loss (δ is still computed for them) */
  validationFraction?: number;
  /** which column of x is the true energy E */
  energyColumn?: number;
  /** feed θ to the network as well as y: R(y | θ) (seed 002); false: R(y) */
  useTheta?: boolean;
  /** design bounds: θ is scaled to [−1, 1] by them (stable under transfer learning); default: data mean/std */
  thetaBounds?: { lower: number[]; upper: number[] };
  /**
   * add a trainable linear path beside the MLP, started at the weighted
   * least-squares fit of E on the inputs (see `linearStart`). A calorimeter is
   * nearly linear (E ≈ Σ y_i / f_i); with a few epochs per iteration the bare
   * MLP otherwise reports its own training error (≈ 1e-3 in δ) instead of a
   * good detector's resolution (4e-4 at 2 %).
   */
  linearSkip?: boolean;
  /**
   * give the linear path the products y_d·θ_e too: a sampling fraction that
   * changes with the design makes E ≈ y/f(θ), which near the current design is
   * close to bilinear in (y, θ); the MLP learns what is left.
   */
  linearInteractions?: boolean;
  /**
   * report δ after a per-candidate energy-scale calibration (objectives/energy-calibration.ts):
   * the network's scale drifts away from the designs it trained on, which would otherwise
   * pin the design where the network is best rather than where the detector is
   */
  calibrate?: boolean;
  /**
   * what the per-candidate calibration fits: 'scale' one energy scale; 'layers' the
   * scale plus a weight per scintillator layer and an offset (layer intercalibration,
   * objectives/energy-calibration.ts), so that δ follows the detector, not the
   * network's interpolation between designs; candidates with too few events for
   * their own weights (M = 5) share one fit whose weights are linear in θ
   */
  calibration?: 'scale' | 'layers';
  /** pseudo-events at Ê/E = 1 that shrink each candidate's scale toward 1 (few-event candidates) */
  calibrationPriorEvents?: number;
}

export type ResolvedReconstructionOptions = Required<Omit<ReconstructionOptions, 'thetaBounds'>> & Pick<ReconstructionOptions, 'thetaBounds'>;

export const RECONSTRUCTION_DEFAULTS: ResolvedReconstructionOptions = {
  hidden: 64,
  layers: 3,
  activation: 'elu',
  learningRates: [4e-4, 1e-5],
  epochs: [6, 1],
  minSteps: [480, 80],
  batchSize: 256,
  validationFraction: 0.1,
  energyColumn: 0,
  useTheta: true,
  linearSkip: true,
  linearInteractions: true,
  calibrate: true,
  calibration: 'layers',
  calibrationPriorEvents: 20,
};

/** Input/output scaling, fixed when the network is (re-)initialised. */
interface Scaling {
  inCenter: number[];
  inScale: number[];
  eCenter: number;
  eScale: number;
}

interface Model {
  yDim: number;
  thetaDim: number;
  scaling: Scaling;
  mlp: MLP;
  /** the linear path (weights [features, 1], bias [1]) when linearSkip is on */
  linear: { w: tf.Variable; b: tf.Variable; interactions: boolean } | null;
}

function trainableVariables(m: Model): tf.Variable[] {
  return m.linear ? [...m.mlp.variables(), m.linear.w, m.linear.b] : m.mlp.variables();
}

function disposeModel(m: Model | null): void {
  if (!m) return;
  m.mlp.dispose();
  m.linear?.w.dispose();
  m.linear?.b.dispose();
}

export interface ReconstructionState {
  kind: 'reconstruction';
  version: 1;
  options: ResolvedReconstructionOptions;
  /** weights: the MLP's, then (with linearSkip) the linear path's w and b */
  model: null | { yDim: number; thetaDim: number; scaling: Scaling; weights: SerializedTensor[] };
}

export class ReconstructionObjective implements Objective {
  readonly name = 'reconstruction';
  readonly kind = 'per-event' as const;
  readonly options: ResolvedReconstructionOptions;
  private model: Model | null = null;

  constructor(options: ReconstructionOptions = {}) {
    this.options = resolveOptions(options);
  }

  async evaluate(candidates: Candidate[], ctx: ObjectiveContext): Promise<ObjectiveResult> {
    const t0 = performance.now();
    const o = this.options;
    const ev = gatherEvents(candidates, o.energyColumn);
    const thetaDim = o.useTheta ? ev.thetaDim : 0;
    if (!ctx.warmStart || !this.model) {
      // Re-initialise weights and scaling; warm starts keep both (transfer learning).
      disposeModel(this.model);
      this.model = null;
      const scaling = fitScaling(ev, thetaDim, o.thetaBounds);
      const mlp = new MLP(layerSizes(ev.yDim + thetaDim, o), o.activation, ctx.rng);
      const model: Model = { yDim: ev.yDim, thetaDim, scaling, mlp, linear: null };
      if (o.linearSkip) {
        const interactions = o.linearInteractions && thetaDim > 0;
        const feats = linearFeatures(scaledInputs(ev, model), ev.n, ev.yDim, thetaDim, interactions);
        const start = linearStart(feats, feats.length / ev.n, ev.energy, scaling);
        model.linear = { w: newVariable(tf.tensor2d(start.w, [start.w.length, 1])), b: newVariable(tf.tensor1d([start.b])), interactions };
        // the MLP starts as a small correction on top of the linear fit
        tf.tidy(() => mlp.outputLayer().w.assign(tf.mul(mlp.outputLayer().w, 0.1)));
      }
      this.model = model;
    } else if (this.model.yDim !== ev.yDim || this.model.thetaDim !== thetaDim) {
      throw new Error(
        `reconstruction: warm start needs the same dimensions as before (y: ${this.model.yDim}, θ: ${this.model.thetaDim}), got y: ${ev.yDim}, θ: ${thetaDim}`,
      );
    }
    const m = this.model;
    const inputs = scaledInputs(ev, m);
    const n = ev.n;

    // Hold out a random fraction of the events for the validation loss.
    const perm = ctx.rng.permutation(n);
    const nVal = Math.min(n - 1, Math.round(o.validationFraction * n));
    const trainIdx = perm.slice(nVal);
    const valIdx = perm.slice(0, nVal);

    const inT = tf.tensor2d(inputs, [n, m.yDim + m.thetaDim]);
    const eT = tf.tensor1d(ev.energy);
    let ratios: Float32Array;
    try {
      const vars = trainableVariables(m);
      // Staged learning rates of Table 3, a fresh Adam per stage.
      for (let s = 0; s < o.epochs.length; s++) {
        if (o.epochs[s] === 0) continue;
        const opt = tf.train.adam(o.learningRates[s]!);
        const stageLength = stageEpochs(o.epochs[s]!, trainIdx.length, o.batchSize, o.minSteps[s] ?? 0);
        for (let e = 0; e < stageLength; e++) {
          for (const batch of epochBatches(trainIdx.length, o.batchSize, ctx.rng)) {
            tf.tidy(() => {
              const idx = tf.tensor1d(Int32Array.from(batch, (b) => trainIdx[b]!), 'int32');
              const xb = tf.gather(inT, idx) as tf.Tensor2D;
              const eb = tf.gather(eT, idx) as tf.Tensor1D;
              opt.minimize(() => tf.mean(relativeSquaredError(m, xb, eb)) as tf.Scalar, false, vars);
            });
          }
        }
        opt.dispose();
      }
      // Ê/E per event: the raw δ is (r − 1)², the calibrated one uses a per-candidate scale
      ratios = tidyValues(() => tf.div(predictEnergy(m, inT), eT));
    } finally {
      inT.dispose();
      eT.dispose();
    }

    const rawDeltas = ratios.map((r) => (r - 1) ** 2);
    const perEvent: Float32Array[] = [];
    const perCandidate: number[] = [];
    let offset = 0;
    let scaleDrift = 0;
    // too few events for a candidate's own layer weights (M = 5): one θ-linear calibration for all
    const pooled =
      o.calibrate && o.calibration === 'layers' && candidates.some((c) => c.batch.n < LAYER_EVENTS_PER_WEIGHT * (ev.yDim + 2))
        ? pooledCalibratedDeltas(ratios, ev.y, ev.yDim, ev.energy, candidates.map((c) => c.batch.n), candidates.map((c) => c.theta))
        : null;
    for (const [k, c] of candidates.entries()) {
      const r = ratios.subarray(offset, offset + c.batch.n);
      const d = !o.calibrate
        ? rawDeltas.slice(offset, offset + c.batch.n)
        : pooled
          ? pooled[k]!
          : o.calibration === 'layers'
          ? layerCalibratedDeltas(r, c.batch.y, ev.yDim, ev.energy.subarray(offset, offset + c.batch.n), o.calibrationPriorEvents)
          : calibratedDeltas(r, o.calibrationPriorEvents);
      scaleDrift += Math.abs(calibrationScale(r, o.calibrationPriorEvents) - 1) / candidates.length;
      offset += c.batch.n;
      perEvent.push(d);
      perCandidate.push(mean(d));
    }
    const info: Record<string, number> = {
      // the network's own loss (uncalibrated): what it is trained on
      trainLoss: meanAt(rawDeltas, trainIdx),
      /** mean |a − 1| over candidates: how far the network's energy scale is off */
      scaleDrift,
      events: n,
      epochs: o.epochs.reduce((a, b) => a + b, 0),
      seconds: (performance.now() - t0) / 1000,
    };
    if (nVal > 0) info.validationLoss = meanAt(rawDeltas, valIdx);
    return { perCandidate, perEvent, info };
  }

  /** Ê for responses y (n × yDim) at design θ, with the current network. */
  reconstruct(y: ArrayLike<number>, theta: readonly number[]): Float32Array {
    const m = this.model;
    if (!m) throw new Error('reconstruction.reconstruct: the model has not been trained (or loaded) yet');
    if (y.length % m.yDim !== 0) throw new Error(`reconstruction.reconstruct: y length ${y.length} is not a multiple of yDim ${m.yDim}`);
    if (m.thetaDim > 0 && theta.length !== m.thetaDim) throw new Error(`reconstruction.reconstruct: theta must have ${m.thetaDim} entries (got ${theta.length})`);
    const n = y.length / m.yDim;
    const inputs = scaledInputs({ n, yDim: m.yDim, y: Float32Array.from(y), thetaRows: Array<readonly number[]>(n).fill(theta) }, m);
    return tidyValues(() => predictEnergy(m, tf.tensor2d(inputs, [n, m.yDim + m.thetaDim])));
  }

  async state(): Promise<ReconstructionState> {
    const m = this.model;
    return {
      kind: 'reconstruction',
      version: 1,
      options: structuredClone(this.options),
      model: m && {
        yDim: m.yDim,
        thetaDim: m.thetaDim,
        scaling: structuredClone(m.scaling),
        weights: [...m.mlp.getWeights(), ...(m.linear ? [serializeTensor(m.linear.w), serializeTensor(m.linear.b)] : [])],
      },
    };
  }

  async load(state: unknown): Promise<void> {
    const s = state as ReconstructionState;
    if (!s || s.kind !== 'reconstruction' || s.version !== 1) throw new Error('reconstruction.load: state is not a reconstruction state (version 1)');
    const o = resolveOptions(s.options);
    Object.assign(this.options, o);
    this.dispose();
    if (!s.model) return;
    const sm = s.model;
    // Weights come from the state; the Rng only fills the variables before setWeights.
    const mlp = new MLP(layerSizes(sm.yDim + sm.thetaDim, o), o.activation, new Rng('reconstruction-load'));
    const nMlp = mlp.variables().length;
    if (sm.weights.length !== nMlp + (o.linearSkip ? 2 : 0)) {
      mlp.dispose();
      throw new Error(`reconstruction.load: state has ${sm.weights.length} weight tensors, the options need ${nMlp + (o.linearSkip ? 2 : 0)}`);
    }
    mlp.setWeights(sm.weights.slice(0, nMlp));
    const lin = o.linearSkip ? sm.weights.slice(nMlp) : null;
    this.model = {
      yDim: sm.yDim,
      thetaDim: sm.thetaDim,
      scaling: sm.scaling,
      mlp,
      linear: lin && {
        w: newVariable(tf.tensor2d(decodeFloat32(lin[0]!.data), lin[0]!.shape as [number, number])),
        b: newVariable(tf.tensor1d(decodeFloat32(lin[1]!.data))),
        interactions: o.linearInteractions && sm.thetaDim > 0,
      },
    };
  }

  dispose(): void {
    disposeModel(this.model);
    this.model = null;
  }
}

/** Ê = eCenter + eScale · (MLP(in) [+ features(in)·w + b]), shape [n]. */
function predictEnergy(m: Model, inputs: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    let out: tf.Tensor2D = m.mlp.apply(inputs);
    if (m.linear) {
      let feats = inputs;
      if (m.linear.interactions) {
        // y_d·θ_e for every pair, [n, V·F], in the same order as linearFeatures
        const n = inputs.shape[0];
        const y = tf.reshape(tf.slice(inputs, [0, 0], [n, m.yDim]), [n, m.yDim, 1]);
        const t = tf.reshape(tf.slice(inputs, [0, m.yDim], [n, m.thetaDim]), [n, 1, m.thetaDim]);
        feats = tf.concat([inputs, tf.reshape(tf.mul(y, t), [n, m.yDim * m.thetaDim])], 1);
      }
      out = tf.add(out, tf.add(tf.matMul(feats, m.linear.w as tf.Tensor2D), m.linear.b));
    }
    return tf.add(tf.mul(tf.reshape(out, [-1]), m.scaling.eScale), m.scaling.eCenter) as tf.Tensor1D;
  });
}

function layerSizes(inputDim: number, o: ResolvedReconstructionOptions): number[] {
  return [inputDim, ...Array<number>(o.layers - 1).fill(o.hidden), 1];
}

/** The linear path's inputs: the scaled inputs, then (with interactions) y_d·θ_e, row-major. */
function linearFeatures(inputs: Float32Array, n: number, V: number, F: number, interactions: boolean): Float32Array {
  if (!interactions) return inputs;
  const C = V + F;
  const P = C + V * F;
  const out = new Float32Array(n * P);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < C; d++) out[i * P + d] = inputs[i * C + d]!;
    for (let d = 0; d < V; d++) for (let e = 0; e < F; e++) out[i * P + C + d * F + e] = inputs[i * C + d]! * inputs[i * C + V + e]!;
  }
  return out;
}

/**
 * Start of the linear path: weighted least squares Ê = β0 + Σ β_d in_d with
 * weights 1/E², i.e. the minimiser of the same relative loss δ over linear
 * models; returned in the network's output units ((Ê − eCenter)/eScale).
 * Solved from the (C+1)² normal equations in float64 with a tiny ridge.
 */
function linearStart(inputs: Float32Array, C: number, energy: Float32Array, s: Scaling): { w: Float32Array; b: number } {
  const P = C + 1;
  const A = new Float64Array(P * P);
  const rhs = new Float64Array(P);
  const row = new Float64Array(P);
  for (let i = 0; i < energy.length; i++) {
    const e = energy[i]!;
    const wt = 1 / (e * e);
    row[0] = 1;
    for (let d = 0; d < C; d++) row[d + 1] = inputs[i * C + d]!;
    for (let a = 0; a < P; a++) {
      rhs[a]! += wt * row[a]! * e;
      for (let b = 0; b < P; b++) A[a * P + b]! += wt * row[a]! * row[b]!;
    }
  }
  let trace = 0;
  for (let a = 0; a < P; a++) trace += A[a * P + a]!;
  for (let a = 0; a < P; a++) A[a * P + a]! += 1e-9 * trace;
  const beta = solveLinear(A, rhs, P);
  const w = new Float32Array(C);
  for (let d = 0; d < C; d++) w[d] = beta[d + 1]! / s.eScale;
  return { w, b: (beta[0]! - s.eCenter) / s.eScale };
}

/** Solves A x = b (A is P×P, row-major) by Gaussian elimination with partial pivoting. */
function solveLinear(A: Float64Array, b: Float64Array, P: number): Float64Array {
  const a = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < P; c++) {
    let piv = c;
    for (let r = c + 1; r < P; r++) if (Math.abs(a[r * P + c]!) > Math.abs(a[piv * P + c]!)) piv = r;
    if (a[piv * P + c] === 0) throw new Error('reconstruction: the inputs are degenerate (singular least-squares system)');
    if (piv !== c) {
      for (let k = 0; k < P; k++) [a[c * P + k], a[piv * P + k]] = [a[piv * P + k]!, a[c * P + k]!];
      [x[c], x[piv]] = [x[piv]!, x[c]!];
    }
    for (let r = c + 1; r < P; r++) {
      const f = a[r * P + c]! / a[c * P + c]!;
      if (f === 0) continue;
      for (let k = c; k < P; k++) a[r * P + k]! -= f * a[c * P + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let c = P - 1; c >= 0; c--) {
    let v = x[c]!;
    for (let k = c + 1; k < P; k++) v -= a[c * P + k]! * x[k]!;
    x[c] = v / a[c * P + c]!;
  }
  return x;
}

/** δ = ((Ê − E)/E)² per event, shape [n]. */
function relativeSquaredError(m: Model, inputs: tf.Tensor2D, energy: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.square(tf.div(tf.sub(predictEnergy(m, inputs), energy), energy)) as tf.Tensor1D);
}

interface Events {
  n: number;
  yDim: number;
  thetaDim: number;
  y: Float32Array;
  energy: Float32Array;
  /** θ of each event's candidate */
  thetaRows: (readonly number[])[];
}

/** Stacks all candidates' events, checking every field the objective reads. */
function gatherEvents(candidates: Candidate[], energyColumn: number): Events {
  if (candidates.length === 0) throw new Error('reconstruction: no candidates to evaluate');
  const first = candidates[0]!.batch;
  const yDim = first.yDim;
  const thetaDim = candidates[0]!.theta.length;
  let n = 0;
  for (const c of candidates) {
    const b = c.batch;
    const who = `candidate ${c.index}`;
    if (b.yDim !== yDim) throw new Error(`reconstruction: ${who} has yDim ${b.yDim}, the others ${yDim}`);
    if (c.theta.length !== thetaDim) throw new Error(`reconstruction: ${who} has ${c.theta.length} design parameters, the others ${thetaDim}`);
    if (!(energyColumn < b.xDim)) throw new Error(`reconstruction: energyColumn ${energyColumn} is outside x (xDim ${b.xDim}) of ${who}`);
    if (b.x.length !== b.n * b.xDim || b.y.length !== b.n * b.yDim) throw new Error(`reconstruction: ${who} has x/y lengths that do not match n = ${b.n}`);
    if (b.n === 0) throw new Error(`reconstruction: ${who} has no events`);
    n += b.n;
  }
  const y = new Float32Array(n * yDim);
  const energy = new Float32Array(n);
  const thetaRows: (readonly number[])[] = new Array(n);
  let i = 0;
  for (const c of candidates) {
    const b = c.batch;
    for (let j = 0; j < b.n; j++, i++) {
      const e = b.x[j * b.xDim + energyColumn]!;
      if (!(e > 0) || !Number.isFinite(e)) throw new Error(`reconstruction: candidate ${c.index}, event ${j}: true energy x = ${e} must be finite and > 0 (δ divides by it)`);
      energy[i] = e;
      for (let d = 0; d < yDim; d++) {
        const v = b.y[j * yDim + d]!;
        if (!Number.isFinite(v)) throw new Error(`reconstruction: candidate ${c.index}, event ${j}: response y[${d}] = ${v} is not finite`);
        y[i * yDim + d] = v;
      }
      thetaRows[i] = c.theta;
    }
  }
  return { n, yDim, thetaDim, y, energy, thetaRows };
}

function fitScaling(ev: Events, thetaDim: number, bounds?: { lower: number[]; upper: number[] }): Scaling {
  const inCenter: number[] = [];
  const inScale: number[] = [];
  for (let d = 0; d < ev.yDim; d++) {
    const col = new Float64Array(ev.n);
    for (let i = 0; i < ev.n; i++) col[i] = ev.y[i * ev.yDim + d]!;
    const { mean: mu, std } = meanStd(col);
    inCenter.push(mu);
    inScale.push(std);
  }
  for (let d = 0; d < thetaDim; d++) {
    if (bounds) {
      const lo = bounds.lower[d];
      const hi = bounds.upper[d];
      if (lo === undefined || hi === undefined || !(hi > lo)) throw new Error(`reconstruction: thetaBounds for parameter ${d} need lower < upper (got ${lo}, ${hi})`);
      inCenter.push((lo + hi) / 2);
      inScale.push((hi - lo) / 2);
    } else {
      const { mean: mu, std } = meanStd(ev.thetaRows.map((t) => t[d]!));
      inCenter.push(mu);
      inScale.push(std);
    }
  }
  const { mean: eCenter, std: eScale } = meanStd(ev.energy);
  return { inCenter, inScale, eCenter, eScale };
}

/** Rows (y, θ) scaled for the network, n × (yDim + thetaDim). */
function scaledInputs(ev: Pick<Events, 'n' | 'yDim' | 'y' | 'thetaRows'>, m: Model): Float32Array {
  const C = m.yDim + m.thetaDim;
  const s = m.scaling;
  const out = new Float32Array(ev.n * C);
  for (let i = 0; i < ev.n; i++) {
    for (let d = 0; d < m.yDim; d++) out[i * C + d] = (ev.y[i * m.yDim + d]! - s.inCenter[d]!) / s.inScale[d]!;
    const t = ev.thetaRows[i]!;
    for (let d = 0; d < m.thetaDim; d++) out[i * C + m.yDim + d] = (t[d]! - s.inCenter[m.yDim + d]!) / s.inScale[m.yDim + d]!;
  }
  return out;
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / Math.max(1, a.length);
}

function meanAt(a: Float32Array, idx: Int32Array): number {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += a[idx[i]!]!;
  return s / Math.max(1, idx.length);
}

function resolveOptions(options: ReconstructionOptions): ResolvedReconstructionOptions {
  const o: ResolvedReconstructionOptions = { ...RECONSTRUCTION_DEFAULTS, ...options };
  const int = (v: number, name: string, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`reconstruction: option ${name} must be an integer ≥ ${min} (got ${v})`);
  };
  int(o.hidden, 'hidden', 1);
  int(o.layers, 'layers', 1);
  int(o.batchSize, 'batchSize', 1);
  int(o.energyColumn, 'energyColumn', 0);
  if (!ACTIVATIONS.includes(o.activation)) throw new Error(`reconstruction: option activation must be one of ${ACTIVATIONS.join(', ')} (got ${o.activation})`);
  if (o.learningRates.length === 0 || o.learningRates.some((r) => !(r > 0))) throw new Error(`reconstruction: option learningRates must be positive numbers (got [${o.learningRates}])`);
  if (o.epochs.length !== o.learningRates.length || o.epochs.some((e) => !Number.isInteger(e) || e < 0)) {
    throw new Error(`reconstruction: option epochs must be ${o.learningRates.length} non-negative integers, one per learning rate (got [${o.epochs}])`);
  }
  if (!(o.validationFraction >= 0 && o.validationFraction < 1)) throw new Error(`reconstruction: option validationFraction must lie in [0, 1) (got ${o.validationFraction})`);
  if (o.calibration !== 'scale' && o.calibration !== 'layers') throw new Error(`reconstruction: option calibration must be 'scale' or 'layers' (got ${JSON.stringify(o.calibration)})`);
  if (!(o.calibrationPriorEvents >= 0)) throw new Error(`reconstruction: option calibrationPriorEvents must be ≥ 0 (got ${o.calibrationPriorEvents})`);
  return o;
}
