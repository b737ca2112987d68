// Conditional neural process for rare-event design (RESuM, seed 000 §4.1–4.2,
// §5.2, appendix 12). Each event (θ_k, φ_ki, X_ki) is a context point; an
// encoder MLP maps it to a representation, the mean over a design's context
// points is the design's representation r_k, and a decoder MLP maps
// (r_k, θ_k, φ_ki) to μ and σ of the score β_ki ~ N(μ, σ²) (Eq. 6, 13).
// μ = sigmoid(·) keeps the score β in (0, 1); σ = σ_min + softplus(·).
// Training: Gaussian likelihood of the (mixup) label under N(μ, σ²), with
// gradients reaching both heads (the public reference detaches σ so it never
// learns; here it does and ends near the label spread), plus a cross-entropy
// term on μ that keeps small probabilities well calibrated. Mixup of signal
// with background events, λ ~ Beta(0.1, 0.1), fights the 1 : 10⁴ imbalance.
// y_CNP(θ_k) = mean β over the design's events (Eq. 7).
// Two options for events whose signal region is small and sharp: random
// Fourier features of chosen φ columns (cnp-fourier.ts), and reading the rate
// from the prior-shifted odds of β rather than its mean (rateFrom 'odds').
import type { EventBatch } from '../lib/contracts.ts';
import { tf } from '../lib/tf.ts';
import { Rng } from '../lib/random.ts';
import { MLP, type SerializedTensor } from '../lib/nn.ts';
import { batchFeatures, buildTable, computeNorm, drawStep, headOfBatch, type FeatureNorm, type StepInputs } from './cnp-data.ts';
import { appendFourier, drawFourierMap, type FourierMap } from './cnp-fourier.ts';

export interface CnpOptions {
  /** width of the hidden layers of encoder and decoder (default 64) */
  hidden?: number;
  /** hidden layers per MLP (default 2) */
  layers?: number;
  /** size of the design representation r (default 16) */
  representation?: number;
  /** context points per design in a training step (default 32) */
  contextSize?: number;
  /** designs whose plain events are targets in one step (default 8) */
  designsPerStep?: number;
  /** plain target events per design per step (default 32) */
  eventsPerDesign?: number;
  /** signal–background mixup pairs per step (default 128) */
  mixupPairs?: number;
  /** λ ~ Beta(α, α), seed 000 §5.2 uses 0.1 */
  mixupAlpha?: number;
  /** training steps (default 600) */
  steps?: number;
  learningRate?: number;
  /** floor of σ (default 0.01) */
  sigmaMin?: number;
  /** weight of the cross-entropy term on μ (default 1; 0 = pure Gaussian likelihood) */
  bceWeight?: number;
  /** context points used to encode a design when scoring (default 512) */
  scoreContext?: number;
  /** L2 penalty on all weights, added to the loss (default 0); keeps the few signal events from being memorised */
  weightDecay?: number;
  /**
   * give θ to the networks (default true, as seed 000's CNP). Off when φ holds
   * the event's final state, through which the design acts: then θ adds nothing
   * the outcome depends on, and with a few hundred signals the networks use it
   * to memorise which designs had signals (RESULTS.md section resum).
   */
  useTheta?: boolean;
  /** random Fourier features appended to the inputs (default 0 = off; cnp-fourier.ts): lets the networks draw sharp edges in φ */
  fourierFeatures?: number;
  /** standard deviation of the Fourier frequencies, per standardised unit of φ (default 3) */
  fourierScale?: number;
  /** φ columns the Fourier features encode (default: all) */
  fourierColumns?: number[];
  /**
   * how a run's events become a rate (Cnp.rate): 'mean-score' (default) is the
   * paper's mean β (Eq. 7) times one constant; 'odds' maps every β back to t
   * through the prior shift of its odds first (β saturates towards 1 in regions
   * of high t, so the plain mean under-weights them), then one constant
   */
  rateFrom?: 'mean-score' | 'odds';
}

type ResolvedOptions = Required<CnpOptions>;

const DEFAULTS: ResolvedOptions = {
  hidden: 64,
  layers: 2,
  representation: 16,
  contextSize: 32,
  designsPerStep: 8,
  eventsPerDesign: 32,
  mixupPairs: 128,
  mixupAlpha: 0.1,
  steps: 600,
  learningRate: 1e-3,
  sigmaMin: 0.01,
  bceWeight: 1,
  scoreContext: 512,
  weightDecay: 0,
  useTheta: true,
  fourierFeatures: 0,
  fourierScale: 3,
  fourierColumns: [],
  rateFrom: 'mean-score',
};

function resolve(options: CnpOptions): ResolvedOptions {
  const o = { ...DEFAULTS, ...options };
  const positiveInt: (keyof ResolvedOptions)[] = ['hidden', 'layers', 'representation', 'contextSize', 'designsPerStep', 'eventsPerDesign', 'scoreContext'];
  for (const k of positiveInt) {
    if (!Number.isInteger(o[k]) || (o[k] as number) < 1) throw new Error(`cnp options.${k}: must be a positive integer (got ${o[k]})`);
  }
  if (!Number.isInteger(o.mixupPairs) || o.mixupPairs < 0) throw new Error(`cnp options.mixupPairs: must be an integer ≥ 0 (got ${o.mixupPairs})`);
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new Error(`cnp options.steps: must be an integer ≥ 0 (got ${o.steps})`);
  if (!(o.mixupAlpha > 0)) throw new Error(`cnp options.mixupAlpha: must be > 0 (got ${o.mixupAlpha})`);
  if (!(o.learningRate > 0)) throw new Error(`cnp options.learningRate: must be > 0 (got ${o.learningRate})`);
  if (!(o.sigmaMin > 0)) throw new Error(`cnp options.sigmaMin: must be > 0 (got ${o.sigmaMin})`);
  if (!(o.weightDecay >= 0)) throw new Error(`cnp options.weightDecay: must be ≥ 0 (got ${o.weightDecay})`);
  if (!(o.bceWeight >= 0)) throw new Error(`cnp options.bceWeight: must be ≥ 0 (got ${o.bceWeight})`);
  if (!Number.isInteger(o.fourierFeatures) || o.fourierFeatures < 0) throw new Error(`cnp options.fourierFeatures: must be an integer ≥ 0 (got ${o.fourierFeatures})`);
  if (!Array.isArray(o.fourierColumns)) throw new Error('cnp options.fourierColumns: must be an array of φ column indices');
  if (o.rateFrom !== 'mean-score' && o.rateFrom !== 'odds') throw new Error(`cnp options.rateFrom: must be 'mean-score' or 'odds' (got ${JSON.stringify(o.rateFrom)})`);
  if (typeof o.useTheta !== 'boolean') throw new Error(`cnp options.useTheta: must be true or false (got ${JSON.stringify(o.useTheta)})`);
  return o;
}

export interface CnpState {
  kind: 'cnp';
  version: 1;
  options: ResolvedOptions;
  norm: FeatureNorm;
  encoder: SerializedTensor[];
  decoder: SerializedTensor[];
  prior: { natural: number; training: number };
  /** signal fraction / mean score of the training events (scaledScore); absent in states saved before it existed */
  scale?: number;
  /** signal fraction / mean prior-shifted rate of the training events (rate with rateFrom 'odds') */
  oddsScale?: number;
  /** the Fourier frequencies (options.fourierFeatures > 0) */
  fourier?: FourierMap;
}

/** Events per training batch scored to fix the scale of scaledScore (up to 2·10⁵ in all). */
const SCALE_EVENTS_TOTAL = 200_000;

/** Per-event prediction: the score β = μ and its spread σ. */
export interface CnpPrediction {
  mu: Float32Array;
  sigma: Float32Array;
}

function withoutTheta(batch: EventBatch): EventBatch {
  return { ...batch, theta: [] };
}

export class Cnp {
  readonly options: ResolvedOptions;
  readonly norm: FeatureNorm;
  readonly thetaDim: number;
  readonly phiDim: number;
  /** width of a network input row: θ ‖ φ ‖ Fourier features */
  readonly inputDim: number;
  private readonly fourier: FourierMap | null;
  private readonly encoder: MLP;
  private readonly decoder: MLP;
  /** mean training loss over the last 10 % of steps of the last training call */
  lastLoss = NaN;
  /**
   * Signal fraction in the natural data and in the mixup-balanced training
   * targets; β is calibrated to the latter, so a prior-shift correction of its
   * odds gives an estimate of t itself (rateEstimate).
   */
  prior = { natural: NaN, training: NaN };
  /** the training events' signal fraction over their mean score β: puts the mean score on the rate scale (scaledScore) */
  scale = NaN;
  /** the training events' signal fraction over their mean prior-shifted rate (rate with rateFrom 'odds') */
  oddsScale = NaN;

  constructor(norm: FeatureNorm, options: CnpOptions, rng: Rng, fourier?: FourierMap) {
    this.options = resolve(options);
    this.norm = norm;
    this.thetaDim = norm.thetaMean.length;
    this.phiDim = norm.phiMean.length;
    const o = this.options;
    if (o.fourierFeatures > 0) {
      const columns = o.fourierColumns.length ? o.fourierColumns : Array.from({ length: this.phiDim }, (_, j) => j);
      this.fourier = fourier ?? drawFourierMap(o.fourierFeatures, o.fourierScale, columns, this.phiDim, rng);
    } else {
      this.fourier = null;
    }
    const w = this.thetaDim + this.phiDim + 2 * (this.fourier?.count ?? 0);
    this.inputDim = w;
    const hidden = new Array<number>(o.layers).fill(o.hidden);
    this.encoder = new MLP([w + 1, ...hidden, o.representation], 'relu', rng);
    this.decoder = new MLP([o.representation + w, ...hidden, 2], 'relu', rng);
  }

  static fromState(state: unknown): Cnp {
    const s = state as CnpState;
    if (!s || s.kind !== 'cnp' || s.version !== 1) throw new Error('cnp state: not a CNP state (kind "cnp", version 1)');
    const cnp = new Cnp(s.norm, s.options, new Rng('cnp-load'), s.fourier);
    cnp.encoder.setWeights(s.encoder);
    cnp.decoder.setWeights(s.decoder);
    if (s.prior) cnp.prior = { ...s.prior };
    if (s.scale !== undefined) cnp.scale = s.scale;
    if (s.oddsScale !== undefined) cnp.oddsScale = s.oddsScale;
    return cnp;
  }

  state(): CnpState {
    return {
      kind: 'cnp',
      version: 1,
      options: { ...this.options },
      norm: structuredClone(this.norm),
      encoder: this.encoder.getWeights(),
      decoder: this.decoder.getWeights(),
      prior: { ...this.prior },
      scale: this.scale,
      oddsScale: this.oddsScale,
      ...(this.fourier ? { fourier: structuredClone(this.fourier) } : {}),
    };
  }

  /** Loads weights from a state of the same shape (e.g. to reuse a trained CNP). */
  load(state: unknown): void {
    const s = state as CnpState;
    if (!s || s.kind !== 'cnp') throw new Error('cnp state: not a CNP state');
    this.encoder.setWeights(s.encoder);
    this.decoder.setWeights(s.decoder);
    if (s.prior) this.prior = { ...s.prior };
    if (s.scale !== undefined) this.scale = s.scale;
    if (s.oddsScale !== undefined) this.oddsScale = s.oddsScale;
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }

  /** The batch as the networks see it: without θ when options.useTheta is off. */
  private networkInput(batch: EventBatch): EventBatch {
    return this.options.useTheta ? batch : withoutTheta(batch);
  }

  /** n standardised rows θ ‖ φ → the rows the networks see: θ ‖ φ ‖ Fourier features. */
  private widen(rows: Float32Array, n: number): Float32Array {
    return this.fourier ? appendFourier(rows, n, this.thetaDim + this.phiDim, this.thetaDim, this.fourier) : rows;
  }

  /** Decoder output → (μ, σ) tensors. */
  private heads(out: tf.Tensor2D): { logit: tf.Tensor1D; mu: tf.Tensor1D; sigma: tf.Tensor1D } {
    const logit = tf.squeeze(tf.slice(out, [0, 0], [-1, 1]), [1]) as tf.Tensor1D;
    const raw = tf.squeeze(tf.slice(out, [0, 1], [-1, 1]), [1]) as tf.Tensor1D;
    return { logit, mu: tf.sigmoid(logit) as tf.Tensor1D, sigma: tf.add(tf.softplus(raw), this.options.sigmaMin) as tf.Tensor1D };
  }

  /** Mean representation of context rows (features + label) → [1, R]. */
  private encodeContext(rows: Float32Array, count: number): tf.Tensor2D {
    const w = this.inputDim + 1;
    const enc = this.encoder.apply(tf.tensor2d(rows, [count, w]));
    return tf.mean(enc, 0, true) as tf.Tensor2D;
  }

  /** Training loss of one step (called inside optimizer.minimize). */
  private stepLoss(inp: StepInputs): tf.Scalar {
    const o = this.options;
    const w = this.inputDim;
    const ctx = tf.tensor2d(inp.context, [inp.context.length / (w + 1), w + 1]);
    const enc = this.encoder.apply(ctx);
    const reps = tf.mean(tf.reshape(enc, [inp.groups, -1, o.representation]), 1) as tf.Tensor2D;
    // each target's representation is a λ-weighted mix of two design representations:
    // a [targets × designs] mixing matrix times reps (gather has no gradient kernel on wasm)
    const nT = inp.labels.length;
    const mixing = new Float32Array(nT * inp.groups);
    for (let t = 0; t < nT; t++) {
      mixing[t * inp.groups + inp.slotA[t]!]! += inp.weightA[t]!;
      mixing[t * inp.groups + inp.slotB[t]!]! += 1 - inp.weightA[t]!;
    }
    const rep = tf.matMul(tf.tensor2d(mixing, [nT, inp.groups]), reps);
    const x = tf.tensor2d(inp.target, [inp.labels.length, w]);
    const out = this.decoder.apply(tf.concat([rep, x], 1) as tf.Tensor2D);
    const { logit, mu, sigma } = this.heads(out);
    const y = tf.tensor1d(inp.labels);
    // Gaussian likelihood of the label under β ~ N(μ, σ²) (seed 000 Eq. 6), both heads trained
    const nll = tf.add(tf.log(sigma), tf.div(tf.square(tf.sub(y, mu)), tf.mul(2, tf.square(sigma))));
    let loss = tf.mean(nll);
    if (o.bceWeight > 0) {
      // soft-label cross-entropy from logits: softplus(z) − y·z
      const bce = tf.mean(tf.sub(tf.softplus(logit), tf.mul(y, logit)));
      loss = tf.add(loss, tf.mul(o.bceWeight, bce));
    }
    if (o.weightDecay > 0) {
      const l2 = [...this.encoder.variables(), ...this.decoder.variables()].map((v) => tf.sum(tf.square(v)));
      loss = tf.add(loss, tf.mul(o.weightDecay, tf.addN(l2)));
    }
    return loss as tf.Scalar;
  }

  /**
   * Trains on the given batches (one per design) for options.steps steps,
   * starting from the current weights (call again with new batches for transfer).
   */
  train(batches: EventBatch[], rng: Rng, steps = this.options.steps): { loss: number; steps: number } {
    if (batches.length === 0) throw new Error('cnp batches: at least one batch is needed');
    const extra = this.inputDim - this.thetaDim - this.phiDim;
    const table = buildTable(batches.map((b) => this.networkInput(b)), this.norm, (rows, n) => this.widen(rows, n), extra);
    const optimizer = tf.train.adam(this.options.learningRate);
    const vars = [...this.encoder.variables(), ...this.decoder.variables()];
    const tail: number[] = [];
    const keep = Math.max(1, Math.ceil(steps / 10));
    try {
      for (let s = 0; s < steps; s++) {
        const inp = drawStep(table, this.options, rng);
        const loss = tf.tidy(() => optimizer.minimize(() => this.stepLoss(inp), true, vars) as tf.Scalar);
        const v = loss.dataSync()[0]!;
        loss.dispose();
        if (!Number.isFinite(v)) throw new Error(`cnp training: loss became ${v} at step ${s} (lower options.learningRate)`);
        if (s >= steps - keep) tail.push(v);
      }
    } finally {
      optimizer.dispose();
    }
    this.lastLoss = tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : NaN;
    // expected label mean of a step: plain targets at the natural rate, mixed ones at E[λ] = ½
    const natural = table.signal.length / Math.max(1, table.labels.length);
    const o = this.options;
    const plain = Math.min(o.designsPerStep, table.designStart.length - 1) * o.eventsPerDesign;
    const mixed = table.signal.length > 0 ? o.mixupPairs : 0;
    this.prior = { natural, training: (plain * natural + 0.5 * mixed) / Math.max(1, plain + mixed) };
    const scales = this.rateScales(batches, natural);
    this.scale = scales.score;
    this.oddsScale = scales.odds;
    return { loss: this.lastLoss, steps };
  }

  /**
   * natural signal fraction / mean β, and / mean prior-shifted rate, over the
   * first events of every training batch (each encoded from its own design).
   */
  private rateScales(batches: EventBatch[], natural: number): { score: number; odds: number } {
    const perBatch = Math.max(1, Math.floor(SCALE_EVENTS_TOTAL / batches.length));
    let sum = 0;
    let sumOdds = 0;
    let count = 0;
    const shift = this.priorShift();
    for (const b of batches) {
      const mu = this.score(headOfBatch(b, perBatch));
      for (let i = 0; i < mu.length; i++) sum += mu[i]!;
      if (Number.isFinite(shift)) sumOdds += shiftedRateSum(mu, shift);
      count += mu.length;
    }
    return { score: sum > 0 ? (natural * count) / sum : NaN, odds: sumOdds > 0 ? (natural * count) / sumOdds : NaN };
  }

  /** [r/(1 − r)]/[π/(1 − π)]: r natural signal fraction, π the balanced one β is calibrated to (NaN before training on signal). */
  private priorShift(): number {
    const { natural: r, training: pi } = this.prior;
    return r > 0 && pi > 0 && pi < 1 ? r / (1 - r) / (pi / (1 - pi)) : NaN;
  }

  /** μ and σ for every event of a batch; the design is encoded from up to scoreContext of its own events. */
  predict(batch: EventBatch): CnpPrediction {
    const feats = this.widen(batchFeatures(this.networkInput(batch), this.norm), batch.n);
    const w = this.inputDim;
    const n = batch.n;
    const mu = new Float32Array(n);
    const sigma = new Float32Array(n);
    if (n === 0) return { mu, sigma };
    // evenly spaced context events (deterministic: the same batch always gets the same score)
    const c = Math.min(n, this.options.scoreContext);
    const ctx = new Float32Array(c * (w + 1));
    for (let i = 0; i < c; i++) {
      const row = Math.floor((i * n) / c);
      ctx.set(feats.subarray(row * w, (row + 1) * w), i * (w + 1));
      ctx[i * (w + 1) + w] = batch.outcome![row]! ? 1 : 0;
    }
    const rep = tf.keep(tf.tidy(() => this.encodeContext(ctx, c)));
    try {
      const chunk = 8192;
      for (let a = 0; a < n; a += chunk) {
        const m = Math.min(chunk, n - a);
        const [muT, sigmaT] = tf.tidy(() => {
          const x = tf.tensor2d(feats.subarray(a * w, (a + m) * w), [m, w]);
          const out = this.decoder.apply(tf.concat([tf.tile(rep, [m, 1]), x], 1) as tf.Tensor2D);
          const h = this.heads(out);
          return [h.mu, h.sigma];
        });
        mu.set(muT.dataSync() as Float32Array, a);
        sigma.set(sigmaT.dataSync() as Float32Array, a);
        muT.dispose();
        sigmaT.dispose();
      }
    } finally {
      rep.dispose();
    }
    return { mu, sigma };
  }

  /** The CNP score β ∈ (0, 1) of every event (seed 000 §4.2). */
  score(batch: EventBatch): Float32Array {
    return this.predict(batch).mu;
  }

  /** y_CNP = mean β over the design's events (seed 000 Eq. 7). */
  designScore(batch: EventBatch): number {
    return this.designSummary(batch).score;
  }

  /**
   * Mean over the batch of the prior-shift-corrected score: the odds β/(1 − β)
   * scaled by [r/(1 − r)]/[π/(1 − π)] (r natural signal fraction, π the
   * mixup-balanced one). An estimate of t̄(θ) on the scale of the data; the plain
   * designScore is the paper's y_CNP, a monotone but compressed proxy.
   */
  rateEstimate(batch: EventBatch): number {
    const shift = this.priorShift();
    if (!Number.isFinite(shift)) throw new Error('cnp rateEstimate: needs a CNP trained on batches that contain signal events');
    const mu = this.score(batch);
    return shiftedRateSum(mu, shift) / Math.max(1, mu.length);
  }

  /**
   * y_CNP of a run as a rate per event, by options.rateFrom: the scaled mean
   * score (scaledScore) or the prior-shifted rate (rateEstimate) times the
   * constant that makes it match the training events' signal fraction.
   */
  rate(batch: EventBatch): number {
    if (this.options.rateFrom === 'mean-score') return this.scaledScore(batch);
    if (!(this.oddsScale > 0)) throw new Error('cnp rate: needs a CNP trained on batches that contain signal events');
    return this.rateEstimate(batch) * this.oddsScale;
  }

  /**
   * Each event's read-out on the rate scale, by options.rateFrom: the mean over
   * the batch is rate(batch). Shows which events a run's y_CNP comes from
   * (RESULTS.md moderator-cnp compares it with the true t per final state).
   */
  eventRates(batch: EventBatch): Float64Array {
    const mu = this.score(batch);
    const out = new Float64Array(mu.length);
    if (this.options.rateFrom === 'mean-score') {
      if (!(this.scale > 0)) throw new Error('cnp eventRates: needs a CNP trained on batches that contain signal events');
      for (let i = 0; i < mu.length; i++) out[i] = mu[i]! * this.scale;
      return out;
    }
    const shift = this.priorShift();
    if (!(this.oddsScale > 0) || !Number.isFinite(shift)) throw new Error('cnp eventRates: needs a CNP trained on batches that contain signal events');
    for (let i = 0; i < mu.length; i++) {
      const odds = scoreOdds(mu[i]!) * shift;
      out[i] = (odds / (1 + odds)) * this.oddsScale;
    }
    return out;
  }

  /**
   * y_CNP on the rate scale: the mean score times one constant fixed at training
   * (the training events' signal fraction over their mean score). Linear in the
   * mean score, so it ranks and spaces designs exactly as y_CNP does.
   */
  scaledScore(batch: EventBatch): number {
    if (!(this.scale > 0)) throw new Error('cnp scaledScore: needs a CNP trained on batches that contain signal events');
    return this.designScore(batch) * this.scale;
  }

  /** y_CNP and its spread √(Σσ²)/N (as the public RESuM code reports y_cnp_err). */
  designSummary(batch: EventBatch): { score: number; sigma: number } {
    const { mu, sigma } = this.predict(batch);
    let s = 0;
    let v = 0;
    for (let i = 0; i < mu.length; i++) {
      s += mu[i]!;
      v += sigma[i]! * sigma[i]!;
    }
    const n = Math.max(1, mu.length);
    return { score: s / n, sigma: Math.sqrt(v) / n };
  }
}

/** Largest float32 below 1: a float32 sigmoid of a logit above ~17.3 rounds to exactly 1. */
const MAX_SCORE = 1 - 2 ** -24;

/** Odds β/(1 − β) of one event's score, finite when the float32 sigmoid rounded β to 1 (∞/∞ would be NaN). */
function scoreOdds(mu: number): number {
  const m = Math.min(mu, MAX_SCORE);
  return m / (1 - m);
}

/** Σ over events of the prior-shifted probability: odds β/(1 − β) × shift, back to a probability. */
function shiftedRateSum(mu: Float32Array, shift: number): number {
  let s = 0;
  for (let i = 0; i < mu.length; i++) {
    const odds = scoreOdds(mu[i]!) * shift;
    s += odds / (1 + odds);
  }
  return s;
}

/**
 * Trains a CNP on rare-event batches (one per design, each with phi and outcome).
 * Normalisation comes from these batches; all weights and draws from rng.
 */
export function trainCnp(batches: EventBatch[], options: CnpOptions, rng: Rng): Cnp {
  if (!Array.isArray(batches) || batches.length === 0) throw new Error('cnp batches: at least one batch is needed');
  const useTheta = resolve(options).useTheta;
  const cnp = new Cnp(computeNorm(useTheta ? batches : batches.map(withoutTheta)), options, rng);
  cnp.train(batches, rng);
  return cnp;
}
