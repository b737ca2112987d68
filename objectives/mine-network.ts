// K independent MINE statistics networks T_k(a, b), trained together.
//
// Architecture (the seed-002 reference): an encoder MLP for a, an encoder MLP
// for b, their outputs concatenated and fed to a joint MLP with one output.
// Default 1→32→32→64 and dim(b)→32→32→64, joint 128→128→1.
//
// Why the forward and backward passes are written by hand: on the wasm backend
// tf.matMul on rank-3 tensors (batched matmul) and every matmul with a
// transposed operand fall back to a naive kernel (1–3 GFLOP/s measured), while a
// plain 2-D x·W goes through XNNPACK (8–40 GFLOP/s, by machine; a depthwise
// convolution with the members as channels reaches a third of that:
// benchmarks/mine-batching-floor.ts). tf.grad's matmul gradient
// uses the transposed forms. So the parameters are stacked ([K, in, out], one
// tensor per layer, one Adam update per layer for all K members) but every
// matmul is a plain 2-D product per member, with explicit transposes. What the
// stack saves is the per-op overhead of the updates (~25 µs per tfjs op), not
// FLOPs: a member-step costs ~10 ms CPU batched, ~12.5 ms alone (measured,
// K = 117 vs 1, 490 training events).
//
// Two savings that do not change the maths:
//  - the first joint layer on concat(ea, eb) is ea·Wa + eb·Wb; the
//    product-of-marginals pairs reuse ea·Wa and a cyclically shifted eb·Wb, so
//    the encoders run once per event, not twice;
//  - the gradient of log-mean-exp is a softmax (or, bias-corrected, e^T over
//    the moving average of E[e^T]; MINE, Belghazi et al. 2018, §3.2).
import { tf } from '../lib/tf.ts';
import type { Rng } from '../lib/random.ts';
import { activate } from '../lib/nn.ts';
import { logMeanExpTensor } from './mine-logmeanexp.ts';

export type MineActivation = 'relu' | 'elu' | 'tanh';

export interface MineArchitecture {
  aDim: number;
  bDim: number;
  /** hidden widths of each encoder (reference: [32, 32]) */
  encoderHidden: number[];
  /** encoder output width (reference: 64) */
  encoderOut: number;
  /** hidden widths of the joint MLP (reference: [128]); its output is 1 */
  jointHidden: number[];
  activation: MineActivation;
}

type Act = MineActivation | 'linear';

interface DenseSpec {
  in: number;
  out: number;
  act: Act;
}

/** One member's training batch (transformed inputs, row-major). */
export interface MemberBatch {
  a: Float32Array;
  b: Float32Array;
  /**
   * Product-of-marginals pairs are (a_i, b_{(i+shift) mod n}), 1 ≤ shift < n.
   * The batch rows are already in random order, so a random cyclic shift is a
   * random pairing with no joint pair left in it; and on wasm two slices cost
   * far less than a gather (measured 4 ms per [490, 128] gather).
   */
  shift: number;
}

/** One member's held-out data (transformed inputs, row-major). */
export interface MemberEvalData {
  a: Float32Array;
  b: Float32Array;
}

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

// one activation implementation for the project (lib/nn.ts)
const act = (x: tf.Tensor, a: Act): tf.Tensor => activate(x, a);

/** Gradient through the activation, from its output y (all three have y-only derivatives). */
function actGrad(dy: tf.Tensor, y: tf.Tensor, a: Act): tf.Tensor {
  switch (a) {
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'elu':
      // elu'(x) = 1 for y > 0, y + 1 otherwise: the backend's own EluGrad kernel.
      return tf.engine().runKernel('EluGrad', { dy, y }) as tf.Tensor;
    case 'tanh':
      return tf.mul(dy, tf.sub(1, tf.square(y)));
    case 'linear':
      return dy;
  }
}

/** out = act(x·W + b) with a rank-1 bias (fused into one kernel where the backend can). */
function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, a: Act): tf.Tensor2D {
  if (a === 'tanh') return tf.tanh(tf.fused.matMul({ a: x, b: w, bias: b })) as tf.Tensor2D;
  return tf.fused.matMul({ a: x, b: w, bias: b, activation: a }) as tf.Tensor2D;
}

function denseSpecs(sizes: number[], hiddenAct: Act, lastAct: Act): DenseSpec[] {
  const out: DenseSpec[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    out.push({ in: sizes[l]!, out: sizes[l + 1]!, act: l + 2 === sizes.length ? lastAct : hiddenAct });
  }
  return out;
}

/**
 * K statistics networks with stacked parameters. Member k's weights are drawn
 * from rngs[k] only, so a member's estimate does not depend on which other
 * members share the batch.
 */
export class StackedStatisticsNetwork {
  readonly arch: MineArchitecture;
  private readonly encA: DenseSpec[];
  private readonly encB: DenseSpec[];
  /** joint layers after the first (split) one; the last has output 1 and is linear */
  private readonly jointRest: DenseSpec[];
  private readonly h1: number;
  /** stacked parameters in a fixed order: encA (W, b)…, encB (W, b)…, Wa, Wb, b1, jointRest (W, b)… */
  private params: tf.Tensor[];
  private m: tf.Tensor[];
  private v: tf.Tensor[];
  private t = 0;
  /** log of the moving average of E[e^T] per member (bias-corrected gradient), NaN before the first step */
  private logMovingAverage: Float64Array;
  private k: number;

  constructor(arch: MineArchitecture, rngs: Rng[]) {
    this.arch = arch;
    const A = arch.activation;
    this.encA = denseSpecs([arch.aDim, ...arch.encoderHidden, arch.encoderOut], A, A);
    this.encB = denseSpecs([arch.bDim, ...arch.encoderHidden, arch.encoderOut], A, A);
    if (arch.jointHidden.length < 1) throw new Error('jointHidden: needs at least one hidden layer');
    this.h1 = arch.jointHidden[0]!;
    this.jointRest = denseSpecs([...arch.jointHidden, 1], A, 'linear');
    this.k = rngs.length;
    this.params = this.initialParams(rngs);
    this.m = this.params.map((p) => tf.zerosLike(p));
    this.v = this.params.map((p) => tf.zerosLike(p));
    this.logMovingAverage = new Float64Array(this.k).fill(NaN);
  }

  get size(): number {
    return this.k;
  }

  /** Glorot-uniform weights and zero biases, member by member from its own rng. */
  private initialParams(rngs: Rng[]): tf.Tensor[] {
    // Shapes in parameter order, with the Glorot fan-in/out of the layer they belong to.
    const shapes: { shape: number[]; fanIn: number; fanOut: number; bias: boolean }[] = [];
    const addDense = (d: DenseSpec) => {
      shapes.push({ shape: [d.in, d.out], fanIn: d.in, fanOut: d.out, bias: false });
      shapes.push({ shape: [d.out], fanIn: 0, fanOut: 0, bias: true });
    };
    this.encA.forEach(addDense);
    this.encB.forEach(addDense);
    const e = this.arch.encoderOut;
    // Wa and Wb are the two halves of one [2e, h1] layer: draw them with that layer's limit.
    shapes.push({ shape: [e, this.h1], fanIn: 2 * e, fanOut: this.h1, bias: false });
    shapes.push({ shape: [e, this.h1], fanIn: 2 * e, fanOut: this.h1, bias: false });
    shapes.push({ shape: [this.h1], fanIn: 0, fanOut: 0, bias: true });
    this.jointRest.forEach(addDense);
    const buffers = shapes.map((s) => new Float32Array(this.k * s.shape.reduce((x, y) => x * y, 1)));
    rngs.forEach((rng, k) => {
      shapes.forEach((s, i) => {
        if (s.bias) return;
        const size = s.shape[0]! * s.shape[1]!;
        const limit = Math.sqrt(6 / (s.fanIn + s.fanOut));
        const w = buffers[i]!;
        for (let j = 0; j < size; j++) w[k * size + j] = rng.uniformRange(-limit, limit);
      });
    });
    return shapes.map((s, i) => tf.tensor(buffers[i]!, [this.k, ...s.shape]));
  }

  /**
   * Keeps only the listed members (indices into the current stack), e.g. when
   * the others have stopped early: later steps cost nothing for them.
   */
  keepMembers(indices: number[]): void {
    if (indices.length === this.k) return;
    const idx = tf.tensor1d(indices, 'int32');
    const pick = (ts: tf.Tensor[]) =>
      ts.map((t) => {
        const g = tf.gather(t, idx);
        t.dispose();
        return g;
      });
    this.params = pick(this.params);
    this.m = pick(this.m);
    this.v = pick(this.v);
    idx.dispose();
    this.logMovingAverage = Float64Array.from(indices, (i) => this.logMovingAverage[i]!);
    this.k = indices.length;
  }

  /** Per-member views of the stacked parameters (and of the transposed weights, for backprop). */
  private unstackAll(withTransposes: boolean): { p: tf.Tensor[][]; pT: (tf.Tensor[] | null)[] } {
    // Read once and re-upload per member: wasm's Unpack/Split copy the whole input for every
    // output slice (O(K²): measured 5.7 ms per member-step at K = 117), and an unstacked bias
    // keeps its parent's rank-2 shape in the backend's bookkeeping, which wasm's fused matmul
    // rejects as a "rank-2 bias".
    const perMember = (t: tf.Tensor): tf.Tensor[] => {
      const data = t.dataSync() as Float32Array;
      const shape = t.shape.slice(1);
      const size = shape.reduce((x, y) => x * y, 1);
      return Array.from({ length: this.k }, (_, i) => tf.tensor(data.subarray(i * size, (i + 1) * size), shape));
    };
    const p = this.params.map(perMember);
    const pT = this.params.map((t) => (withTransposes && t.rank === 3 ? perMember(tf.transpose(t, [0, 2, 1])) : null));
    return { p, pT };
  }

  /**
   * One Adam step on −DV for every member, on its own batch. Returns the batch
   * terms E_P[T] and log E_{P⊗P}[e^T] per member (before the update).
   * @param emaRate rate α of the moving average for the bias-corrected gradient; 0 = plain DV gradient
   */
  step(batches: MemberBatch[], adam: AdamSettings, emaRate: number): { meanJoint: Float32Array; logMeanExpMarginal: Float32Array } {
    if (batches.length !== this.k) throw new Error(`step: ${batches.length} batches for ${this.k} members`);
    const nb = batches[0]!.a.length / this.arch.aDim;
    const { aDim, bDim } = this.arch;
    const nEncA = this.encA.length * 2;
    const nEncB = this.encB.length * 2;
    const iWa = nEncA + nEncB;
    const iRest = iWa + 3;
    const meanJoint = new Float32Array(this.k);
    const lme = new Float32Array(this.k);
    const newState = tf.tidy(() => {
      const { p, pT } = this.unstackAll(true);
      // Member by member, forward then backward inside its own tidy, keeping only the
      // parameter-sized gradients: the activations of one member stay small enough for the
      // cache, and memory does not grow with K (measured: holding all K members' activations
      // made a member-step ~30 % slower than training it alone).
      const grads: tf.Tensor[][] = this.params.map(() => []);
      const dTJ = tf.fill([nb, 1], -1 / nb);
      batches.forEach((bt, k) => {
        const g = tf.tidy(() => {
          const out: tf.Tensor[] = new Array(this.params.length);
          // ---- forward (plain 2-D matmuls) ----
          const hA: tf.Tensor2D[] = [tf.tensor2d(bt.a, [nb, aDim])];
          this.encA.forEach((d, l) => hA.push(dense(hA[l]!, p[2 * l]![k] as tf.Tensor2D, p[2 * l + 1]![k] as tf.Tensor1D, d.act)));
          const hB: tf.Tensor2D[] = [tf.tensor2d(bt.b, [nb, bDim])];
          this.encB.forEach((d, l) =>
            hB.push(dense(hB[l]!, p[nEncA + 2 * l]![k] as tf.Tensor2D, p[nEncA + 2 * l + 1]![k] as tf.Tensor1D, d.act)),
          );
          const ea = hA[hA.length - 1]!;
          const eb = hB[hB.length - 1]!;
          const ua = dense(ea, p[iWa]![k] as tf.Tensor2D, p[iWa + 2]![k] as tf.Tensor1D, 'linear');
          const ub = tf.matMul(eb, p[iWa + 1]![k] as tf.Tensor2D) as tf.Tensor2D;
          const a1 = this.arch.activation;
          const hJ: tf.Tensor2D[] = [act(tf.add(ua, ub), a1) as tf.Tensor2D];
          const hM: tf.Tensor2D[] = [act(tf.add(ua, rollRows(ub, bt.shift)), a1) as tf.Tensor2D];
          this.jointRest.forEach((d, l) => {
            const w = p[iRest + 2 * l]![k] as tf.Tensor2D;
            const b = p[iRest + 2 * l + 1]![k] as tf.Tensor1D;
            hJ.push(dense(hJ[l]!, w, b, d.act));
            hM.push(dense(hM[l]!, w, b, d.act));
          });
          const tJ = hJ[hJ.length - 1]!;
          const tM = hM[hM.length - 1]!;
          // ---- the DV terms ----
          meanJoint[k] = tf.mean(tJ).dataSync()[0]!;
          lme[k] = logMeanExpTensor(tM, [0, 1]).dataSync()[0]!;
          // d(−DV)/dT_M,i = e^{T_i} / (n · denominator): the plain DV gradient uses the batch's own
          // mean of e^T as the denominator, the bias-corrected one its moving average (MINE §3.2).
          let logDen = lme[k]!;
          if (emaRate > 0) {
            const prev = this.logMovingAverage[k]!;
            this.logMovingAverage[k] = Number.isNaN(prev) ? lme[k]! : logAddExp(Math.log(1 - emaRate) + prev, Math.log(emaRate) + lme[k]!);
            logDen = this.logMovingAverage[k]!;
          }
          // ---- backward ----
          let gJ: tf.Tensor = dTJ;
          let gM: tf.Tensor = tf.div(tf.exp(tf.sub(tM, logDen)), nb);
          for (let l = this.jointRest.length - 1; l >= 0; l--) {
            const d = this.jointRest[l]!;
            const dJ = actGrad(gJ, hJ[l + 1]!, d.act);
            const dM = actGrad(gM, hM[l + 1]!, d.act);
            const x = tf.concat([hJ[l]!, hM[l]!], 0);
            const dPre = tf.concat([dJ, dM], 0);
            out[iRest + 2 * l] = weightGrad(x, dPre);
            out[iRest + 2 * l + 1] = tf.sum(dPre, 0);
            const wT = pT[iRest + 2 * l]![k] as tf.Tensor2D;
            gJ = tf.matMul(dJ as tf.Tensor2D, wT);
            gM = tf.matMul(dM as tf.Tensor2D, wT);
          }
          const dJ = actGrad(gJ, hJ[0]!, a1);
          const dM = actGrad(gM, hM[0]!, a1);
          const dUa = tf.add(dJ, dM) as tf.Tensor2D;
          const dUb = tf.add(dJ, rollRows(dM as tf.Tensor2D, nb - bt.shift)) as tf.Tensor2D;
          out[iWa] = weightGrad(ea, dUa);
          out[iWa + 1] = weightGrad(eb, dUb);
          out[iWa + 2] = tf.sum(dUa, 0);
          this.backEncoder(this.encA, hA, tf.matMul(dUa, pT[iWa]![k] as tf.Tensor2D), 0, k, pT, out);
          this.backEncoder(this.encB, hB, tf.matMul(dUb, pT[iWa + 1]![k] as tf.Tensor2D), nEncA, k, pT, out);
          return out;
        });
        g.forEach((t, i) => grads[i]!.push(t));
      });
      // ---- Adam on the stacked parameters (TF-style ε̂) ----
      this.t += 1;
      const { learningRate, beta1, beta2, epsilon } = adam;
      const lrT = (learningRate * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
      const out: { p: tf.Tensor[]; m: tf.Tensor[]; v: tf.Tensor[] } = { p: [], m: [], v: [] };
      this.params.forEach((w, i) => {
        const g = tf.stack(grads[i]!);
        const m = tf.add(tf.mul(this.m[i]!, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
        out.p.push(tf.sub(w, tf.div(tf.mul(m, lrT), tf.add(tf.sqrt(v), epsilon))));
        out.m.push(m);
        out.v.push(v);
      });
      return out;
    });
    tf.dispose([...this.params, ...this.m, ...this.v]);
    this.params = newState.p;
    this.m = newState.m;
    this.v = newState.v;
    return { meanJoint, logMeanExpMarginal: lme };
  }

  private backEncoder(
    specs: DenseSpec[],
    h: tf.Tensor2D[],
    gOut: tf.Tensor,
    offset: number,
    k: number,
    pT: (tf.Tensor[] | null)[],
    out: tf.Tensor[],
  ): void {
    let g = gOut;
    for (let l = specs.length - 1; l >= 0; l--) {
      const dPre = actGrad(g, h[l + 1]!, specs[l]!.act) as tf.Tensor2D;
      out[offset + 2 * l] = weightGrad(h[l]!, dPre);
      out[offset + 2 * l + 1] = tf.sum(dPre, 0);
      if (l > 0) g = tf.matMul(dPre, pT[offset + 2 * l]![k] as tf.Tensor2D);
    }
  }

  /**
   * Held-out Donsker–Varadhan bound per member: mean T on the joint pairs minus
   * log-mean-exp of T on product-of-marginals pairs (a_i, b_{(i+s) mod n}) for
   * `shifts` fixed shifts s (no pair is a joint pair; more pairs, less noise).
   */
  evaluate(data: MemberEvalData[], shifts: number[]): Float64Array {
    if (data.length !== this.k) throw new Error(`evaluate: ${data.length} datasets for ${this.k} members`);
    const { aDim, bDim } = this.arch;
    const n = data[0]!.a.length / aDim;
    const nEncA = this.encA.length * 2;
    const nEncB = this.encB.length * 2;
    const iWa = nEncA + nEncB;
    const iRest = iWa + 3;
    const result = new Float64Array(this.k);
    tf.tidy(() => {
      const { p } = this.unstackAll(false);
      const tJs: tf.Tensor[] = [];
      const tMs: tf.Tensor[] = [];
      data.forEach((dt, k) => {
        let ha: tf.Tensor2D = tf.tensor2d(dt.a, [n, aDim]);
        this.encA.forEach((d, l) => (ha = dense(ha, p[2 * l]![k] as tf.Tensor2D, p[2 * l + 1]![k] as tf.Tensor1D, d.act)));
        let hb: tf.Tensor2D = tf.tensor2d(dt.b, [n, bDim]);
        this.encB.forEach((d, l) => (hb = dense(hb, p[nEncA + 2 * l]![k] as tf.Tensor2D, p[nEncA + 2 * l + 1]![k] as tf.Tensor1D, d.act)));
        const ua = dense(ha, p[iWa]![k] as tf.Tensor2D, p[iWa + 2]![k] as tf.Tensor1D, 'linear');
        const ub = tf.matMul(hb, p[iWa + 1]![k] as tf.Tensor2D);
        // joint rows first, then one block per shift
        let h = act(tf.concat([tf.add(ua, ub), ...shifts.map((s) => tf.add(ua, rollRows(ub as tf.Tensor2D, s)))], 0), this.arch.activation) as tf.Tensor2D;
        this.jointRest.forEach((d, l) => (h = dense(h, p[iRest + 2 * l]![k] as tf.Tensor2D, p[iRest + 2 * l + 1]![k] as tf.Tensor1D, d.act)));
        tJs.push(tf.slice(h, [0, 0], [n, 1]));
        tMs.push(tf.slice(h, [n, 0], [n * shifts.length, 1]));
      });
      const mJ = tf.mean(tf.stack(tJs), [1, 2]).dataSync();
      const lmeM = logMeanExpTensor(tf.stack(tMs), [1, 2]).dataSync();
      for (let k = 0; k < this.k; k++) result[k] = mJ[k]! - lmeM[k]!;
    });
    return result;
  }

  dispose(): void {
    tf.dispose([...this.params, ...this.m, ...this.v]);
    this.params = [];
    this.m = [];
    this.v = [];
  }
}

/** dW = xᵀ·dPre with an explicit transpose (the transposed-matmul kernel is slow on wasm). */
function weightGrad(x: tf.Tensor, dPre: tf.Tensor): tf.Tensor2D {
  if (dPre.shape[1] === 1) {
    // one output column: Σ_i x_i·dPre_i as a broadcast product (a 1-row matmul is slow on wasm)
    return tf.reshape(tf.sum(tf.mul(x, dPre), 0), [x.shape[1]!, 1]) as tf.Tensor2D;
  }
  return tf.matMul(tf.transpose(x as tf.Tensor2D), dPre as tf.Tensor2D);
}

/** Row i of the result is row (i + s) mod n of x. */
function rollRows(x: tf.Tensor2D, s: number): tf.Tensor2D {
  const n = x.shape[0];
  const c = x.shape[1];
  const k = ((s % n) + n) % n;
  if (k === 0) return x;
  return tf.concat([tf.slice(x, [k, 0], [n - k, c]), tf.slice(x, [0, 0], [k, c])], 0);
}

function logAddExp(x: number, y: number): number {
  const m = Math.max(x, y);
  return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}
