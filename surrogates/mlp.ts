// MLP regressor θ → δ (the MI-OPT surrogate, and the default for analytic
// problems). Inputs are mapped by a fixed affine normaliser so that, with
// transfer learning, warm-started weights mean the same thing every iteration;
// targets are standardised per fit and the output layer is rescaled so a
// warm-started network predicts the same values in the new units.
import { tf } from '../lib/tf.ts';
import type { FitOptions, FitReport, Surrogate, SurrogateData } from '../lib/contracts.ts';
import { MLP, epochBatches, meanStd, type Activation, type SerializedTensor } from '../lib/nn.ts';
import { Rng } from '../lib/random.ts';

export interface MlpSurrogateOptions {
  /** fixed input map: u = (θ − center) / scale */
  center: number[];
  scale: number[];
  hidden?: number[];
  activation?: Activation;
  learningRate?: number;
  epochs?: number;
  batchSize?: number;
  /**
   * L2 weight decay on the standardised fit (default 1e-4). Noisy targets need more: MI-OPT
   * uses 1e-2 (pipelines/mi-opt.ts, measured by benchmarks/mi-surrogate-replay.ts); on the
   * analytic problems 1e-2 slows the final approach to a quadratic's minimum.
   */
  weightDecay?: number;
  /**
   * share of the candidates held out to stop training early (0, the default: train all epochs
   * on all). The weights with the lowest held-out loss are kept. Another guard against fitting
   * noise; replaying recorded MI-OPT iterations, weight decay was the more reliable of the two.
   */
  validationFraction?: number;
  /** seed of the initial weights (the Rng passed to fit re-draws them when warmStart is false) */
  seed?: number | string;
}

/** Checks the trainable settings a user may give (surrogateOptions); errors name the field. */
function checkMlpOptions(o: MlpSurrogateOptions): void {
  const int = (v: number | undefined, name: string, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new Error(`mlp surrogate: ${name} must be an integer ≥ ${min} (got ${JSON.stringify(v)})`);
  };
  int(o.epochs, 'epochs', 1);
  int(o.batchSize, 'batchSize', 1);
  o.hidden?.forEach((w, i) => int(w, `hidden[${i}]`, 1));
  if (o.learningRate !== undefined && !(o.learningRate > 0 && Number.isFinite(o.learningRate))) throw new Error(`mlp surrogate: learningRate must be a positive number (got ${JSON.stringify(o.learningRate)})`);
  if (o.weightDecay !== undefined && !(o.weightDecay >= 0 && Number.isFinite(o.weightDecay))) throw new Error(`mlp surrogate: weightDecay must be ≥ 0 (got ${JSON.stringify(o.weightDecay)})`);
  if (o.validationFraction !== undefined && !(o.validationFraction >= 0 && o.validationFraction < 1)) throw new Error(`mlp surrogate: validationFraction must be in [0, 1) (got ${JSON.stringify(o.validationFraction)})`);
}

const FULL_BATCH = (k: number): Int32Array => Int32Array.from({ length: k }, (_, i) => i);

interface MlpSurrogateState {
  kind: 'mlp';
  weights: SerializedTensor[];
  targetMean: number;
  targetStd: number;
  fitted: boolean;
}

export class MlpSurrogate implements Surrogate {
  readonly name = 'mlp';
  private net: MLP;
  private readonly center: tf.Tensor1D;
  private readonly scale: tf.Tensor1D;
  private targetMean = 0;
  private targetStd = 1;
  private fitted = false;
  private readonly opts: Required<Omit<MlpSurrogateOptions, 'seed'>>;

  constructor(options: MlpSurrogateOptions) {
    const dim = options.center.length;
    if (options.scale.length !== dim) throw new Error('mlp surrogate: center and scale must have the same length');
    options.scale.forEach((s, i) => {
      if (!(s > 0)) throw new Error(`mlp surrogate: scale[${i}] must be > 0, got ${s}`);
    });
    checkMlpOptions(options);
    this.opts = {
      center: options.center,
      scale: options.scale,
      hidden: options.hidden ?? [64, 64],
      activation: options.activation ?? 'elu',
      learningRate: options.learningRate ?? 5e-3,
      epochs: options.epochs ?? 300,
      batchSize: options.batchSize ?? 64,
      weightDecay: options.weightDecay ?? 1e-4,
      validationFraction: options.validationFraction ?? 0,
    };
    const vf = this.opts.validationFraction;
    if (!(vf >= 0 && vf < 1)) throw new Error(`mlp surrogate: validationFraction must be in [0, 1) (got ${vf})`);
    this.net = new MLP([dim, ...this.opts.hidden, 1], this.opts.activation, new Rng(options.seed ?? 'mlp-surrogate'));
    this.center = tf.keep(tf.tensor1d(options.center));
    this.scale = tf.keep(tf.tensor1d(options.scale));
  }

  private inputs(theta: tf.Tensor2D): tf.Tensor2D {
    return tf.div(tf.sub(theta, this.center), this.scale) as tf.Tensor2D;
  }

  async fit(data: SurrogateData, opts: FitOptions): Promise<FitReport> {
    const k = data.theta.length;
    if (k === 0 || data.target.length !== k) {
      throw new Error(`mlp surrogate: need one target per candidate (got ${k} designs, ${data.target.length} targets)`);
    }
    data.target.forEach((t, i) => {
      if (!Number.isFinite(t)) throw new Error(`mlp surrogate: target of candidate ${i} is ${t}`);
    });
    const { mean, std } = meanStd(data.target);
    if (!opts.warmStart || !this.fitted) {
      this.net.initialize(opts.rng);
    } else {
      // Re-express the output layer in the new target units: same function, new scale.
      const { w, b } = this.net.outputLayer();
      const ratio = this.targetStd / std;
      tf.tidy(() => {
        w.assign(tf.mul(w, ratio));
        b.assign(tf.div(tf.add(tf.mul(b, this.targetStd), this.targetMean - mean), std));
      });
    }
    this.targetMean = mean;
    this.targetStd = std;
    this.fitted = true;

    // Held-out candidates for early stopping (none when the fraction is 0 or K is tiny).
    const nVal = k >= 10 ? Math.round(this.opts.validationFraction * k) : 0;
    const order = nVal > 0 ? Array.from(opts.rng.permutation(k)) : Array.from({ length: k }, (_, i) => i);
    const valIdx = order.slice(0, nVal);
    const trainIdx = order.slice(nVal);
    const rows = (idx: number[]) => ({
      x: tf.tidy(() => this.inputs(tf.tensor2d(idx.map((i) => data.theta[i]!)))),
      y: tf.tensor2d(idx.map((i) => [(data.target[i]! - mean) / std])),
    });
    const train = rows(trainIdx);
    const val = nVal > 0 ? rows(valIdx) : null;
    const kt = trainIdx.length;
    const optimizer = tf.train.adam(this.opts.learningRate);
    const vars = this.net.variables();
    const weightVars = vars.filter((v) => v.shape.length === 2);
    let lastLoss = NaN;
    let best: { loss: number; epoch: number; weights: tf.Tensor[] } | null = null;
    const validationLoss = (): number =>
      tf.tidy(() => tf.losses.meanSquaredError(val!.y, this.net.apply(val!.x)).dataSync()[0]!);
    if (val) best = { loss: validationLoss(), epoch: 0, weights: vars.map((v) => tf.keep(v.clone())) };
    for (let epoch = 0; epoch < this.opts.epochs; epoch++) {
      const batches = kt <= this.opts.batchSize ? [FULL_BATCH(kt)] : epochBatches(kt, this.opts.batchSize, opts.rng);
      for (const idx of batches) {
        const cost = optimizer.minimize(() => {
          // Full batch (the usual case, K ≤ batch size): no gather, fewer ops per step.
          const whole = idx.length === kt;
          const ids = whole ? null : tf.tensor1d(idx, 'int32');
          const xb = ids ? (tf.gather(train.x, ids) as tf.Tensor2D) : train.x;
          const yb = ids ? tf.gather(train.y, ids) : train.y;
          const mse = tf.losses.meanSquaredError(yb, this.net.apply(xb));
          const l2 = weightVars.reduce((s: tf.Scalar, w) => tf.add(s, tf.sum(tf.square(w))) as tf.Scalar, tf.scalar(0));
          return tf.add(mse, tf.mul(l2, this.opts.weightDecay)) as tf.Scalar;
        }, epoch === this.opts.epochs - 1, vars);
        if (cost) {
          lastLoss = (await cost.data())[0]!;
          cost.dispose();
        }
      }
      if (best) {
        const v = validationLoss();
        if (v < best.loss) {
          best.weights.forEach((w) => w.dispose());
          best = { loss: v, epoch: epoch + 1, weights: vars.map((w) => tf.keep(w.clone())) };
        }
      }
    }
    optimizer.dispose();
    train.x.dispose();
    train.y.dispose();
    let report: FitReport = { loss: lastLoss, epochs: this.opts.epochs };
    if (best && val) {
      const kept = best;
      vars.forEach((v, i) => v.assign(kept.weights[i]!));
      kept.weights.forEach((w) => w.dispose());
      report = { loss: lastLoss, epochs: kept.epoch, validationLoss: kept.loss };
      val.x.dispose();
      val.y.dispose();
    }
    return report;
  }

  predict(theta: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const out = this.net.apply(this.inputs(tf.expandDims(theta, 0) as tf.Tensor2D));
      return tf.add(tf.mul(tf.squeeze(out), this.targetStd), this.targetMean) as tf.Scalar;
    });
  }

  async state(): Promise<MlpSurrogateState> {
    return { kind: 'mlp', weights: this.net.getWeights(), targetMean: this.targetMean, targetStd: this.targetStd, fitted: this.fitted };
  }

  async load(state: unknown): Promise<void> {
    const s = state as MlpSurrogateState;
    if (!s || s.kind !== 'mlp') throw new Error('mlp surrogate: state is not an MLP surrogate state');
    this.net.setWeights(s.weights);
    this.targetMean = s.targetMean;
    this.targetStd = s.targetStd;
    this.fitted = s.fitted;
  }

  dispose(): void {
    this.net.dispose();
    this.center.dispose();
    this.scale.dispose();
  }
}
