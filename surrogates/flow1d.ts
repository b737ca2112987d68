// RECO-OPT's surrogate (seed 002, Sec. IV, Eq. 1, Algorithm 2): a conditional
// 1-D normalizing flow between z ~ N(0, 1) and w = log δ (the per-event
// reconstruction loss), conditioned on c = (x, θ). An MLP (Table 3: 3 layers,
// ELU) maps c to the bin masses of a piecewise-linear CDF; the math is in
// flow1d-transform.ts. predict(θ) = (1/M) Σ_m exp(w(z_m; x_m, θ)) with z_m, x_m
// drawn once per fit (common random numbers), so it is deterministic and its
// gradient is Algorithm 2, step 8.
//
// Wiring one RECO-OPT iteration (tl = transfer learning on/off):
//   const bounds = { lower: space.lower, upper: space.upper };
//   const reco = new ReconstructionObjective({ thetaBounds: bounds });
//   const flow = new Flow1DSurrogate({ thetaBounds: bounds });
//   const res = await reco.evaluate(candidates, { rng, warmStart: tl, iteration });
//   await flow.fit(surrogateData(candidates, res), { warmStart: tl, rng });
//   const grad = tf.grad((t: tf.Tensor1D) => flow.predict(t))(thetaTensor);
import { tf, tidyValues } from '../lib/tf.ts';
import { MLP, type Activation, type SerializedTensor, ACTIVATIONS, encodeFloat32, decodeFloat32, epochBatches, stageEpochs, type StagedMlpTraining } from '../lib/nn.ts';
import { Rng } from '../lib/random.ts';
import type { FitOptions, FitReport, Surrogate, SurrogateData } from '../lib/contracts.ts';
import { type BinGrid, binIndex, binMasses, binWidth, expectedExpW, logDensity, wFromU } from './flow1d-transform.ts';
import { normalCdf, normalQuantile } from '../lib/special.ts';
import { columnScaling, type ColumnScaling, wRangeFromData } from './flow1d-data.ts';


/** Table 3 (RECO-OPT Surr): 3-layer ELU MLP, Adam at 3e-4 / 1e-4 / 1e-5 (200 epochs each there; fewer here, see FLOW1D_DEFAULTS). */
export interface Flow1DOptions extends StagedMlpTraining {
  /** number of bins of the piecewise-linear map (N_bins) */
  nBins?: number;
  /** number M of fixed (z, x) samples that predict averages over */
  predictSamples?: number;
  /**
   * 'samples': (1/M) Σ exp(w(z_m)) as in Algorithm 2 (default);
   * 'expectation': the exact E_z[exp(w) | x_m, θ] averaged over the x_m (no z noise).
   */
  predictMode?: 'samples' | 'expectation';
  /** fixed [wMin, wMax] for w = log δ; by default chosen from the data at the first fit */
  range?: { wMin: number; wMax: number };
  /** margins added below / above the data range, as fractions of its span */
  rangeMargin?: { below: number; above: number };
  /** quantiles of w that bound the data range (the low tail of log δ is long: log χ²) */
  rangeQuantiles?: [number, number];
  /** design bounds: θ is scaled to [−1, 1] by them (stable under transfer learning); default: data mean/std */
  thetaBounds?: { lower: number[]; upper: number[] };
  /** factor on the output layer's initial weights (the bias starts at the marginal histogram of w) */
  outputInitScale?: number;
  /** floor of each bin's mass, so log p stays finite and no bin can die */
  minBinMass?: number;
  /** δ below this is treated as this before taking the log (δ = 0 happens) */
  deltaFloor?: number;
}

export type ResolvedFlow1DOptions = Required<Omit<Flow1DOptions, 'range' | 'thetaBounds'>> & Pick<Flow1DOptions, 'range' | 'thetaBounds'>;

export const FLOW1D_DEFAULTS: ResolvedFlow1DOptions = {
  nBins: 64,
  hidden: 64,
  layers: 3,
  activation: 'elu',
  learningRates: [3e-4, 1e-4, 1e-5],
  epochs: [4, 2, 1],
  minSteps: [160, 80, 40],
  batchSize: 512,
  predictSamples: 700,
  predictMode: 'samples',
  rangeMargin: { below: 0.5, above: 0.25 },
  rangeQuantiles: [0.005, 1],
  outputInitScale: 0.1,
  minBinMass: 1e-5,
  deltaFloor: 1e-12,
};

/** Extra per-call settings on top of the Surrogate contract's FitOptions. */
export interface Flow1DFitOptions extends FitOptions {
  /** override the epochs per stage for this fit (e.g. [0, 0, 0] to only refresh the predict samples) */
  epochs?: number[];
}

/** What the last fit saw, for diagnostics and the run history. */
export interface Flow1DFitInfo {
  events: number;
  /** fraction of events whose w fell below wMin / above wMax and were clamped */
  clampedBelow: number;
  clampedAbove: number;
  seconds: number;
  steps: number;
}

interface TrainedModel {
  xDim: number;
  thetaDim: number;
  grid: BinGrid;
  scaling: ColumnScaling;
  mlp: MLP;
  /** fixed predict samples: raw x (M × xDim), z (M) */
  fixedX: Float32Array;
  fixedZ: Float32Array;
  /** their tensors: scaled x [M, xDim] and u = Φ(z) [M, 1] */
  fixedXScaled: tf.Tensor2D;
  fixedU: tf.Tensor2D;
}

/** Serialised form (plain JSON). */
export interface Flow1DState {
  kind: 'flow1d';
  version: 1;
  options: ResolvedFlow1DOptions;
  model: null | {
    xDim: number;
    thetaDim: number;
    grid: BinGrid;
    scaling: ColumnScaling;
    weights: SerializedTensor[];
    fixedX: string;
    fixedZ: string;
  };
}

export class Flow1DSurrogate implements Surrogate {
  readonly name = 'flow1d';
  readonly options: ResolvedFlow1DOptions;
  lastFit: Flow1DFitInfo | null = null;
  private model: TrainedModel | null = null;

  constructor(options: Flow1DOptions = {}) {
    this.options = resolveOptions(options);
  }

  /** The w = log δ grid in use (null before the first fit). */
  get grid(): BinGrid | null {
    return this.model ? { ...this.model.grid } : null;
  }

  async fit(data: SurrogateData, opts: Flow1DFitOptions): Promise<FitReport> {
    const t0 = performance.now();
    const ev = checkEvents(data);
    const thetaDim = data.theta[0]!.length;
    const o = this.options;
    const epochs = opts.epochs ?? o.epochs;
    if (epochs.length !== o.learningRates.length || epochs.some((e) => !Number.isInteger(e) || e < 0)) {
      throw new Error(`flow1d.fit: epochs must be ${o.learningRates.length} non-negative integers, one per learning rate (got [${epochs}])`);
    }
    const w = new Float64Array(ev.n);
    for (let i = 0; i < ev.n; i++) w[i] = Math.log(Math.max(ev.delta[i]!, o.deltaFloor));

    if (!opts.warmStart || !this.model) {
      // Re-initialise weights, w range and input scaling; warm starts keep all three
      // so the transferred weights keep their meaning (seed 002, transfer learning).
      const grid: BinGrid = { ...(o.range ?? wRangeFromData(w, o.rangeQuantiles, o.rangeMargin)), nBins: o.nBins };
      const scaling = columnScaling(ev.x, ev.xDim, data.theta, o.thetaBounds);
      const mlp = new MLP(layerSizes(ev.xDim + thetaDim, o), o.activation, opts.rng);
      startFromMarginal(mlp, binIndex(w, grid), o.nBins, o.outputInitScale);
      this.replaceModel({ xDim: ev.xDim, thetaDim, grid, scaling, mlp }, new Float32Array(0), new Float32Array(0));
    } else if (this.model.xDim !== ev.xDim || this.model.thetaDim !== thetaDim) {
      throw new Error(
        `flow1d.fit: warm start needs the same dimensions as before (x: ${this.model.xDim}, θ: ${this.model.thetaDim}), got x: ${ev.xDim}, θ: ${thetaDim}`,
      );
    }
    const m = this.model!;
    const bins = binIndex(w, m.grid);
    let below = 0;
    let above = 0;
    for (let i = 0; i < ev.n; i++) {
      if (w[i]! < m.grid.wMin) below++;
      else if (w[i]! > m.grid.wMax) above++;
    }

    const cond = buildConditions(ev.x, ev.xDim, ev.candidate, data.theta, m.scaling);
    const condT = tf.tensor2d(cond, [ev.n, m.xDim + m.thetaDim]);
    const binsT = tf.tensor1d(bins, 'int32');
    let steps = 0;
    try {
      const vars = m.mlp.variables();
      // Staged learning rates of Table 3, a fresh Adam per stage.
      for (let s = 0; s < epochs.length; s++) {
        if (epochs[s] === 0) continue;
        const opt = tf.train.adam(o.learningRates[s]!);
        const stageLength = stageEpochs(epochs[s]!, ev.n, o.batchSize, o.minSteps[s] ?? 0);
        for (let e = 0; e < stageLength; e++) {
          for (const batch of epochBatches(ev.n, o.batchSize, opts.rng)) {
            tf.tidy(() => {
              const idx = tf.tensor1d(batch, 'int32');
              const c = tf.gather(condT, idx) as tf.Tensor2D;
              const b = tf.gather(binsT, idx) as tf.Tensor1D;
              opt.minimize(() => tf.neg(tf.mean(logDensity(binMasses(m.mlp.apply(c), o.minBinMass), b, m.grid))) as tf.Scalar, false, vars);
            });
            steps++;
          }
        }
        opt.dispose();
      }
      const loss = tf.tidy(() => tf.neg(tf.mean(logDensity(binMasses(m.mlp.apply(condT), o.minBinMass), binsT, m.grid))).dataSync()[0]!);

      // Common random numbers for predict: M truths resampled from this fit's events, M base draws.
      const M = o.predictSamples;
      const fixedX = new Float32Array(M * m.xDim);
      const fixedZ = new Float32Array(M);
      for (let j = 0; j < M; j++) {
        const i = opts.rng.int(ev.n);
        for (let d = 0; d < m.xDim; d++) fixedX[j * m.xDim + d] = ev.x[i * m.xDim + d]!;
        fixedZ[j] = opts.rng.normal();
      }
      this.replaceModel(m, fixedX, fixedZ);
      this.lastFit = { events: ev.n, clampedBelow: below / ev.n, clampedAbove: above / ev.n, seconds: (performance.now() - t0) / 1000, steps };
      return { loss, epochs: epochs.reduce((a, b) => a + b, 0) };
    } finally {
      condT.dispose();
      binsT.dispose();
    }
  }

  /** E[δ̂](θ) ≈ (1/M) Σ_m exp(S(z_m, x_m, θ)); differentiable w.r.t. θ ([F]). */
  predict(theta: tf.Tensor1D): tf.Scalar {
    const m = this.requireModel('predict');
    if (theta.rank !== 1 || theta.shape[0] !== m.thetaDim) {
      throw new Error(`flow1d.predict: theta must have shape [${m.thetaDim}] (got [${theta.shape}])`);
    }
    return tf.tidy(() => {
      const M = m.fixedXScaled.shape[0];
      const t = tf.div(tf.sub(theta, tf.tensor1d(m.scaling.thetaCenter)), tf.tensor1d(m.scaling.thetaScale));
      const cond = tf.concat([m.fixedXScaled, tf.tile(tf.reshape(t, [1, m.thetaDim]), [M, 1])], 1) as tf.Tensor2D;
      const masses = binMasses(m.mlp.apply(cond), this.options.minBinMass);
      const perSample = this.options.predictMode === 'expectation' ? expectedExpW(masses, m.grid) : tf.exp(wFromU(masses, m.fixedU, m.grid));
      return tf.mean(perSample) as tf.Scalar;
    });
  }

  /** The flow's inverse: w = log δ̂ for base draws z at truths x (n × xDim, or one row for all) and design θ. */
  inverse(z: ArrayLike<number>, x: ArrayLike<number>, theta: readonly number[]): Float32Array {
    const u = Float32Array.from(z, (v) => normalCdf(v));
    return this.wAtU(u, x, theta, 'inverse');
  }

  /** The flow's forward map z = Φ⁻¹(F(w)); w outside [wMin, wMax] is clamped to the edge first (Eq. 1). */
  forward(w: ArrayLike<number>, x: ArrayLike<number>, theta: readonly number[]): Float64Array {
    const m = this.requireModel('forward');
    const masses = this.massesAt(x, theta, w.length, 'forward');
    const N = m.grid.nBins;
    const h = binWidth(m.grid);
    const out = new Float64Array(w.length);
    for (let j = 0; j < w.length; j++) {
      const wc = Math.min(Math.max(w[j]!, m.grid.wMin), m.grid.wMax);
      const k = Math.min(N - 1, Math.floor((wc - m.grid.wMin) / h));
      let c = 0;
      for (let i = 0; i < k; i++) c += masses[j * N + i]!;
      const u = c + (masses[j * N + k]! * (wc - (m.grid.wMin + k * h))) / h;
      out[j] = normalQuantile(Math.min(Math.max(u, 1e-12), 1 - 1e-12));
    }
    return out;
  }

  /** Samples δ̂ = exp(S(z, x; θ)) (Algorithm 2, step 7). */
  sample(z: ArrayLike<number>, x: ArrayLike<number>, theta: readonly number[]): Float32Array {
    return this.inverse(z, x, theta).map(Math.exp);
  }

  /** log p(w | x, θ), the density of w = log δ (for δ itself subtract w). */
  logProb(w: ArrayLike<number>, x: ArrayLike<number>, theta: readonly number[]): Float32Array {
    const m = this.requireModel('logProb');
    const cond = this.conditionsFor(x, theta, w.length, 'logProb');
    const bins = binIndex(w, m.grid);
    return tf.tidy(() => {
      const masses = binMasses(m.mlp.apply(tf.tensor2d(cond, [w.length, m.xDim + m.thetaDim])), this.options.minBinMass);
      return logDensity(masses, tf.tensor1d(bins, 'int32'), m.grid).dataSync() as Float32Array;
    });
  }

  /** Quantile q ∈ (0, 1) of δ given x and θ (exp of the w quantile, since exp is monotone). */
  quantile(q: number, x: ArrayLike<number>, theta: readonly number[]): Float32Array {
    if (!(q > 0 && q < 1)) throw new Error(`flow1d.quantile: q must lie in (0, 1) (got ${q})`);
    const m = this.requireModel('quantile');
    const n = Math.max(1, x.length / m.xDim);
    return this.wAtU(new Float32Array(n).fill(q), x, theta, 'quantile').map(Math.exp);
  }

  async state(): Promise<Flow1DState> {
    const m = this.model;
    return {
      kind: 'flow1d',
      version: 1,
      options: structuredClone(this.options),
      model: m && {
        xDim: m.xDim,
        thetaDim: m.thetaDim,
        grid: { ...m.grid },
        scaling: structuredClone(m.scaling),
        weights: m.mlp.getWeights(),
        fixedX: encodeFloat32(m.fixedX),
        fixedZ: encodeFloat32(m.fixedZ),
      },
    };
  }

  async load(state: unknown): Promise<void> {
    const s = state as Flow1DState;
    if (!s || s.kind !== 'flow1d' || s.version !== 1) throw new Error('flow1d.load: state is not a flow1d state (version 1)');
    const o = resolveOptions(s.options);
    Object.assign(this.options, o);
    this.disposeModel();
    if (!s.model) return;
    const sm = s.model;
    // Weights come from the state; the Rng only fills the variables before setWeights.
    const mlp = new MLP(layerSizes(sm.xDim + sm.thetaDim, o), o.activation, new Rng('flow1d-load'));
    mlp.setWeights(sm.weights);
    this.replaceModel({ xDim: sm.xDim, thetaDim: sm.thetaDim, grid: sm.grid, scaling: sm.scaling, mlp }, decodeFloat32(sm.fixedX), decodeFloat32(sm.fixedZ));
  }

  dispose(): void {
    this.disposeModel();
  }

  // ---- internals ----

  private requireModel(what: string): TrainedModel {
    if (!this.model) throw new Error(`flow1d.${what}: the surrogate has not been fitted (or loaded) yet`);
    return this.model;
  }

  private replaceModel(base: Pick<TrainedModel, 'xDim' | 'thetaDim' | 'grid' | 'scaling' | 'mlp'>, fixedX: Float32Array, fixedZ: Float32Array): void {
    const M = fixedZ.length;
    const xs = new Float32Array(M * base.xDim);
    for (let j = 0; j < M; j++) {
      for (let d = 0; d < base.xDim; d++) xs[j * base.xDim + d] = (fixedX[j * base.xDim + d]! - base.scaling.xCenter[d]!) / base.scaling.xScale[d]!;
    }
    const u = Float32Array.from(fixedZ, (v) => normalCdf(v));
    const old = this.model;
    if (old) {
      old.fixedXScaled.dispose();
      old.fixedU.dispose();
      if (old.mlp !== base.mlp) old.mlp.dispose();
    }
    this.model = {
      ...base,
      fixedX,
      fixedZ,
      fixedXScaled: tf.tensor2d(xs, [M, base.xDim]),
      fixedU: tf.tensor2d(u, [M, 1]),
    };
  }

  private disposeModel(): void {
    if (!this.model) return;
    this.model.fixedXScaled.dispose();
    this.model.fixedU.dispose();
    this.model.mlp.dispose();
    this.model = null;
  }

  /** Scaled conditions for n points: x is n × xDim (or one row, broadcast), one θ for all. */
  private conditionsFor(x: ArrayLike<number>, theta: readonly number[], n: number, what: string): Float32Array {
    const m = this.requireModel(what);
    if (theta.length !== m.thetaDim) throw new Error(`flow1d.${what}: theta must have ${m.thetaDim} entries (got ${theta.length})`);
    const broadcast = x.length === m.xDim;
    if (!broadcast && x.length !== n * m.xDim) {
      throw new Error(`flow1d.${what}: x must hold ${n} × ${m.xDim} values or one row of ${m.xDim} (got ${x.length})`);
    }
    const C = m.xDim + m.thetaDim;
    const out = new Float32Array(n * C);
    for (let j = 0; j < n; j++) {
      for (let d = 0; d < m.xDim; d++) out[j * C + d] = (x[(broadcast ? 0 : j * m.xDim) + d]! - m.scaling.xCenter[d]!) / m.scaling.xScale[d]!;
      for (let d = 0; d < m.thetaDim; d++) out[j * C + m.xDim + d] = (theta[d]! - m.scaling.thetaCenter[d]!) / m.scaling.thetaScale[d]!;
    }
    return out;
  }

  private massesAt(x: ArrayLike<number>, theta: readonly number[], n: number, what: string): Float32Array {
    const m = this.requireModel(what);
    const cond = this.conditionsFor(x, theta, n, what);
    return tidyValues(() => binMasses(m.mlp.apply(tf.tensor2d(cond, [n, m.xDim + m.thetaDim])), this.options.minBinMass));
  }

  private wAtU(u: Float32Array, x: ArrayLike<number>, theta: readonly number[], what: string): Float32Array {
    const m = this.requireModel(what);
    const n = u.length;
    const cond = this.conditionsFor(x, theta, n, what);
    return tf.tidy(() => {
      const masses = binMasses(m.mlp.apply(tf.tensor2d(cond, [n, m.xDim + m.thetaDim])), this.options.minBinMass);
      return wFromU(masses, tf.tensor2d(u, [n, 1]), m.grid).dataSync() as Float32Array;
    });
  }
}

/**
 * Starts the network at the marginal histogram of w (output bias = log of the
 * smoothed bin frequencies, output weights shrunk), so training only has to
 * learn how the distribution moves with (x, θ) — with a few epochs per fit
 * this matters more than anything else for the quality of a cold start.
 */
function startFromMarginal(mlp: MLP, bins: Int32Array, nBins: number, weightScale: number): void {
  const counts = new Float64Array(nBins).fill(0.5);
  for (let i = 0; i < bins.length; i++) counts[bins[i]!]! += 1;
  const total = counts.reduce((a, b) => a + b, 0);
  const { w, b } = mlp.outputLayer();
  tf.tidy(() => {
    b.assign(tf.tensor1d(Array.from(counts, (c) => Math.log(c / total))));
    w.assign(tf.mul(w, weightScale));
  });
}

function layerSizes(inputDim: number, o: ResolvedFlow1DOptions): number[] {
  return [inputDim, ...Array<number>(o.layers - 1).fill(o.hidden), o.nBins];
}

function resolveOptions(options: Flow1DOptions): ResolvedFlow1DOptions {
  const o: ResolvedFlow1DOptions = { ...FLOW1D_DEFAULTS, ...options };
  const posInt = (v: number, name: string, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`flow1d: option ${name} must be an integer ≥ ${min} (got ${v})`);
  };
  posInt(o.nBins, 'nBins', 2);
  posInt(o.hidden, 'hidden', 1);
  posInt(o.layers, 'layers', 1);
  posInt(o.batchSize, 'batchSize', 1);
  posInt(o.predictSamples, 'predictSamples', 1);
  if (!ACTIVATIONS.includes(o.activation)) throw new Error(`flow1d: option activation must be one of ${ACTIVATIONS.join(', ')} (got ${o.activation})`);
  if (o.learningRates.length === 0 || o.learningRates.some((r) => !(r > 0))) throw new Error(`flow1d: option learningRates must be positive numbers (got [${o.learningRates}])`);
  if (o.epochs.length !== o.learningRates.length || o.epochs.some((e) => !Number.isInteger(e) || e < 0)) {
    throw new Error(`flow1d: option epochs must be ${o.learningRates.length} non-negative integers, one per learning rate (got [${o.epochs}])`);
  }
  if (o.predictMode !== 'samples' && o.predictMode !== 'expectation') throw new Error(`flow1d: option predictMode must be 'samples' or 'expectation' (got ${o.predictMode})`);
  if (o.range && !(o.range.wMax > o.range.wMin)) throw new Error(`flow1d: option range needs wMin < wMax (got ${o.range.wMin}, ${o.range.wMax})`);
  if (!(o.minBinMass >= 0 && o.minBinMass * o.nBins < 0.5)) throw new Error(`flow1d: option minBinMass must be ≥ 0 and < 0.5 / nBins (got ${o.minBinMass})`);
  if (!(o.outputInitScale >= 0)) throw new Error(`flow1d: option outputInitScale must be ≥ 0 (got ${o.outputInitScale})`);
  if (!(o.deltaFloor > 0)) throw new Error(`flow1d: option deltaFloor must be > 0 (got ${o.deltaFloor})`);
  const [qlo, qhi] = o.rangeQuantiles;
  if (!(qlo >= 0 && qhi <= 1 && qlo < qhi)) throw new Error(`flow1d: option rangeQuantiles must satisfy 0 ≤ lo < hi ≤ 1 (got [${o.rangeQuantiles}])`);
  if (!(o.rangeMargin.below >= 0 && o.rangeMargin.above >= 0)) throw new Error('flow1d: option rangeMargin needs below ≥ 0 and above ≥ 0');
  return o;
}

/** Validates data.events and returns it with n. */
function checkEvents(data: SurrogateData): NonNullable<SurrogateData['events']> & { n: number } {
  const ev = data.events;
  if (!ev) throw new Error('flow1d.fit: data.events is required (the flow learns per-event δ)');
  const K = data.theta.length;
  if (K === 0) throw new Error('flow1d.fit: data.theta is empty');
  const F = data.theta[0]!.length;
  data.theta.forEach((t, k) => {
    if (t.length !== F) throw new Error(`flow1d.fit: data.theta[${k}] has ${t.length} entries, expected ${F}`);
    if (t.some((v) => !Number.isFinite(v))) throw new Error(`flow1d.fit: data.theta[${k}] is not finite`);
  });
  const n = ev.delta.length;
  if (n === 0) throw new Error('flow1d.fit: data.events.delta is empty');
  if (!(Number.isInteger(ev.xDim) && ev.xDim >= 1)) throw new Error(`flow1d.fit: data.events.xDim must be a positive integer (got ${ev.xDim})`);
  if (ev.candidate.length !== n) throw new Error(`flow1d.fit: data.events.candidate has ${ev.candidate.length} entries, delta has ${n}`);
  if (ev.x.length !== n * ev.xDim) throw new Error(`flow1d.fit: data.events.x has ${ev.x.length} values, expected ${n} × ${ev.xDim}`);
  for (let i = 0; i < n; i++) {
    const k = ev.candidate[i]!;
    if (!(k >= 0 && k < K)) throw new Error(`flow1d.fit: data.events.candidate[${i}] = ${k} is not a candidate index (0..${K - 1})`);
    const d = ev.delta[i]!;
    if (!(d >= 0) || !Number.isFinite(d)) throw new Error(`flow1d.fit: data.events.delta[${i}] = ${d} (candidate ${k}) must be finite and ≥ 0`);
  }
  for (let i = 0; i < ev.x.length; i++) {
    if (!Number.isFinite(ev.x[i]!)) throw new Error(`flow1d.fit: data.events.x has a non-finite value at event ${Math.floor(i / ev.xDim)}`);
  }
  return { ...ev, n };
}

/** Scaled condition rows (x, θ_candidate) for every event, n × (xDim + F). */
function buildConditions(x: Float32Array, xDim: number, candidate: Int32Array, theta: number[][], s: ColumnScaling): Float32Array {
  const F = theta[0]!.length;
  const C = xDim + F;
  const n = candidate.length;
  const out = new Float32Array(n * C);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < xDim; d++) out[i * C + d] = (x[i * xDim + d]! - s.xCenter[d]!) / s.xScale[d]!;
    const t = theta[candidate[i]!]!;
    for (let d = 0; d < F; d++) out[i * C + xDim + d] = (t[d]! - s.thetaCenter[d]!) / s.thetaScale[d]!;
  }
  return out;
}
