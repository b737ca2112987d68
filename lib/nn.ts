// Small neural-network building blocks on the common tfjs API, with every
// weight initialisation and batch shuffle drawn from a seeded Rng (tfjs
// model.fit shuffles with Math.random, so detopt trains with its own loop).
import { tf } from './tf.ts';
import type { Rng } from './random.ts';

export type Activation = 'relu' | 'elu' | 'tanh' | 'sigmoid' | 'softplus' | 'leakyrelu' | 'linear';

export const ACTIVATIONS: readonly Activation[] = ['relu', 'elu', 'tanh', 'sigmoid', 'softplus', 'leakyrelu', 'linear'];

/** Applies an activation by name (used where tf.fused cannot, e.g. ELU/softplus). */
export function activate(x: tf.Tensor, act: Activation): tf.Tensor {
  switch (act) {
    case 'relu':
      return tf.relu(x);
    case 'elu':
      return tf.elu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'softplus':
      return tf.softplus(x);
    case 'leakyrelu':
      return tf.leakyRelu(x, 0.2);
    case 'linear':
      return x;
  }
}

/** Activations that tf.fused.matMul applies inside the kernel (one op instead of three). */
const FUSED: Partial<Record<Activation, 'relu' | 'elu' | 'sigmoid' | 'leakyrelu' | 'linear'>> = {
  relu: 'relu',
  elu: 'elu',
  sigmoid: 'sigmoid',
  leakyrelu: 'leakyrelu',
  linear: 'linear',
};

/** Dense layer: out = act(x·W + b), W of shape [in, out]. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, act: Activation): tf.Tensor2D {
  const fused = FUSED[act];
  if (fused) {
    return tf.fused.matMul({
      a: x,
      b: w,
      bias: b,
      activation: fused,
      ...(fused === 'leakyrelu' ? { leakyreluAlpha: 0.2 } : {}),
    }) as tf.Tensor2D;
  }
  return activate(tf.add(tf.matMul(x, w), b), act) as tf.Tensor2D;
}

/**
 * A trainable variable holding `init`; the initial tensor is disposed (tf.variable
 * keeps its own reference, and the initial tensor would otherwise leak).
 */
export function newVariable(init: tf.Tensor, trainable = true): tf.Variable {
  const v = tf.variable(init, trainable);
  init.dispose();
  return v;
}

/** Glorot-uniform weights for a [fanIn, fanOut] matrix drawn from rng. */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = rng.uniformRange(-limit, limit);
  return out;
}

/** He-normal weights (for ReLU-like layers) drawn from rng. */
export function heNormal(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const sd = Math.sqrt(2 / fanIn);
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, sd);
  return out;
}

/** Weights serialised exactly (float32 bytes as base64), so a resumed run continues bit for bit. */
export interface SerializedTensor {
  shape: number[];
  data: string;
}

export function encodeFloat32(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function decodeFloat32(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export function serializeTensor(t: tf.Tensor): SerializedTensor {
  return { shape: t.shape.slice(), data: encodeFloat32(t.dataSync() as Float32Array) };
}

/** A multilayer perceptron whose weights are tf.Variables (trainable by tf.train optimizers). */
export class MLP {
  readonly sizes: number[];
  readonly activation: Activation;
  readonly outputActivation: Activation;
  private weights: tf.Variable[] = [];
  private biases: tf.Variable[] = [];

  /**
   * @param sizes layer widths including input and output, e.g. [4, 64, 64, 1]
   */
  constructor(sizes: number[], activation: Activation, rng: Rng, outputActivation: Activation = 'linear') {
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new Error(`MLP: layer sizes must be at least two positive integers (got [${sizes.join(', ')}])`);
    }
    this.sizes = sizes.slice();
    this.activation = activation;
    this.outputActivation = outputActivation;
    this.initialize(rng);
  }

  /** (Re-)draws all weights from rng: Glorot-uniform weights, zero biases. */
  initialize(rng: Rng): void {
    this.disposeVariables();
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      const fanIn = this.sizes[l]!;
      const fanOut = this.sizes[l + 1]!;
      this.weights.push(newVariable(tf.tensor2d(glorotUniform(fanIn, fanOut, rng), [fanIn, fanOut])));
      this.biases.push(newVariable(tf.zeros([fanOut])));
    }
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      h = dense(h, this.weights[l] as tf.Tensor2D, this.biases[l] as tf.Tensor1D, l === last ? this.outputActivation : this.activation);
    }
    return h;
  }

  variables(): tf.Variable[] {
    return [...this.weights, ...this.biases];
  }

  /** The last layer's weight and bias (for re-scaling the output in place). */
  outputLayer(): { w: tf.Variable; b: tf.Variable } {
    return { w: this.weights[this.weights.length - 1]!, b: this.biases[this.biases.length - 1]! };
  }

  getWeights(): SerializedTensor[] {
    return this.variables().map(serializeTensor);
  }

  setWeights(ws: SerializedTensor[]): void {
    const vars = this.variables();
    if (ws.length !== vars.length) throw new Error(`MLP: expected ${vars.length} weight tensors, got ${ws.length}`);
    vars.forEach((v, i) => {
      const s = ws[i]!;
      if (s.shape.join('x') !== v.shape.join('x')) {
        throw new Error(`MLP: weight ${i} has shape [${s.shape}] but the network needs [${v.shape}]`);
      }
      tf.tidy(() => v.assign(tf.tensor(decodeFloat32(s.data), s.shape)));
    });
  }

  private disposeVariables(): void {
    for (const v of this.variables()) v.dispose();
    this.weights = [];
    this.biases = [];
  }

  dispose(): void {
    this.disposeVariables();
  }
}

/** Mini-batches of indices 0..n−1 for one epoch, shuffled by rng. */
export function epochBatches(n: number, batchSize: number, rng: Rng): Int32Array[] {
  const perm = rng.permutation(n);
  const out: Int32Array[] = [];
  for (let i = 0; i < n; i += batchSize) out.push(perm.subarray(i, Math.min(n, i + batchSize)));
  return out;
}

/**
 * How an MLP is shaped and trained in stages of decreasing learning rate
 * (seed 002 Table 3 trains its networks this way). Epoch counts are sized for
 * a few seconds per iteration on 2 CPU cores; with transfer learning the
 * training accumulates over iterations.
 */
export interface StagedMlpTraining {
  /** width of the hidden layers */
  hidden?: number;
  /** number of dense layers */
  layers?: number;
  /** hidden activation */
  activation?: Activation;
  /** Adam learning rate per stage */
  learningRates?: number[];
  /** epochs per stage (one per learning rate) */
  epochs?: number[];
  /** at least this many optimizer steps per stage, whatever the number of events (small M) */
  minSteps?: number[];
  batchSize?: number;
}

/**
 * Epochs for one training stage so that it takes at least `minSteps` optimizer
 * steps: an epoch budget sized for K·M = 21 000 events gives 150 events
 * (M = 5) a handful of steps, which trains nothing. 0 epochs stays 0.
 */
export function stageEpochs(epochs: number, n: number, batchSize: number, minSteps: number): number {
  if (epochs <= 0) return 0;
  const stepsPerEpoch = Math.max(1, Math.ceil(n / batchSize));
  return Math.max(epochs, Math.ceil(minSteps / stepsPerEpoch));
}

/** Mean and standard deviation of a list (sd floored so it can divide). */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i]!;
  m /= Math.max(1, n);
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i]! - m) ** 2;
  const std = Math.sqrt(v / Math.max(1, n - 1));
  return { mean: m, std: std > 1e-12 ? std : 1 };
}
