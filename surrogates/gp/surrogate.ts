// The GP as a detopt Surrogate (lib/contracts.ts): hyperparameters and the
// dual weights α = K⁻¹(y − m) are computed in float64 at fit time; predict()
// rebuilds the mean m + Σ_i α_i k(θ, x_i) from tfjs tensors so tf.grad can
// differentiate it with respect to θ (float32 from there on).
import { tf } from '../../lib/tf.ts';
import { Rng } from '../../lib/random.ts';
import type { FitOptions, FitReport, Surrogate, SurrogateData } from '../../lib/contracts.ts';
import { GaussianProcess, type GpOptions, type GpState } from './gp.ts';

export type GpSurrogateOptions = Omit<GpOptions, 'hyperparameters'>;

export interface GpSurrogate extends Surrogate {
  /** the fitted float64 GP (throws before the first fit) */
  gp(): GaussianProcess;
}

interface DualTensors {
  X: tf.Tensor2D; // n × F training inputs
  invLs: tf.Tensor1D; // 1/ℓ
  weights: tf.Tensor1D; // yScale · σ_f² · α
  offset: number; // yMean + yScale · c
  kind: 'rbf' | 'matern52';
}

export function createGpSurrogate(options: GpSurrogateOptions = {}): GpSurrogate {
  let model: GaussianProcess | null = null;
  let dual: DualTensors | null = null;

  const release = () => {
    if (dual) {
      dual.X.dispose();
      dual.invLs.dispose();
      dual.weights.dispose();
      dual = null;
    }
  };

  const upload = (gp: GaussianProcess) => {
    release();
    const f = gp.dualForm();
    if (f.dim.some((d) => d >= 0)) throw new Error('GP surrogate: derivative observations are not supported in predict()');
    const n = f.alpha.length;
    const X = new Float32Array(n * f.D);
    for (let i = 0; i < n; i++) for (let d = 0; d < f.D; d++) X[i * f.D + d] = f.X[f.pt[i]! * f.D + d]!;
    dual = {
      X: tf.tensor2d(X, [n, f.D]),
      invLs: tf.tensor1d(Array.from(f.kernel.lengthscales, (l) => 1 / l)),
      weights: tf.tensor1d(Array.from(f.alpha, (a) => a * f.yScale * f.kernel.variance)),
      offset: f.yMean + f.yScale * f.c,
      kind: f.kernel.kind,
    };
    model = gp;
  };

  return {
    name: 'gp',

    async fit(data: SurrogateData, opts: FitOptions): Promise<FitReport> {
      if (data.theta.length !== data.target.length) {
        throw new Error(`GP surrogate: data.theta has ${data.theta.length} rows, data.target ${data.target.length}`);
      }
      const warm = opts.warmStart && model ? model.hyperparameters() : null;
      const gp = new GaussianProcess(options);
      const rep = gp.fit({ X: data.theta, y: data.target }, { rng: opts.rng, warmStart: warm });
      upload(gp);
      return { loss: -rep.logML / data.target.length, epochs: rep.runs.reduce((a, r) => a + r.iterations, 0) };
    },

    predict(theta: tf.Tensor1D): tf.Scalar {
      if (!dual) throw new Error('GP surrogate: predict() before fit()');
      const d = dual;
      return tf.tidy(() => {
        const u = tf.mul(tf.sub(d.X, tf.reshape(theta, [1, -1])), d.invLs);
        const q = tf.sum(tf.square(u), 1);
        let g: tf.Tensor1D;
        if (d.kind === 'rbf') g = tf.exp(tf.mul(q, -0.5));
        else {
          // Matérn 5/2; the tiny shift keeps the gradient of √q finite at a training point
          const r = tf.sqrt(tf.add(q, 1e-12));
          const s5r = tf.mul(r, Math.sqrt(5));
          g = tf.mul(tf.add(tf.add(1, s5r), tf.mul(q, 5 / 3)), tf.exp(tf.neg(s5r)));
        }
        return tf.add(tf.sum(tf.mul(g, d.weights)), d.offset) as tf.Scalar;
      });
    },

    predictVariance(theta: readonly number[]): number {
      if (!model) throw new Error('GP surrogate: predictVariance() before fit()');
      return model.predict([theta]).variance[0]!;
    },

    async state(): Promise<unknown> {
      return { kind: 'gp-surrogate', options, gp: model ? model.state() : null };
    },

    async load(state: unknown): Promise<void> {
      const s = state as { kind?: string; gp?: GpState | null } | null;
      if (!s || s.kind !== 'gp-surrogate') throw new Error('GP surrogate: load() expects the object returned by state() (kind "gp-surrogate")');
      if (!s.gp) {
        release();
        model = null;
        return;
      }
      // hyperparameters are fixed in the state, so the rng is not used
      upload(GaussianProcess.fromState(s.gp, new Rng('gp-surrogate-load')));
    },

    gp(): GaussianProcess {
      if (!model) throw new Error('GP surrogate: not fitted yet');
      return model;
    },

    dispose(): void {
      release();
      model = null;
    },
  };
}
