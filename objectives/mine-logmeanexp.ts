// Numerically stable log-mean-exp, the second term of the Donsker–Varadhan
// bound I ≥ E_P[T] − log E_{P⊗P}[e^T] (seed 002, Sec. IV "MI-OPT"; MINE,
// Belghazi et al. 2018, eq. 10). Subtracting the maximum first keeps e^T finite
// when the statistics network outputs values of ~1e3 (e^710 overflows float64,
// e^89 overflows float32).
import { tf } from '../lib/tf.ts';

/** log( (1/n) Σ e^{v_i} ) in float64, stable for any finite values. */
export function logMeanExp(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) throw new Error('logMeanExp: values must not be empty');
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) return NaN;
    if (v > max) max = v;
  }
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(values[i]! - max);
  return max + Math.log(s / n);
}

/**
 * log-mean-exp of a tensor along `axis` (tf.logSumExp subtracts the max
 * internally, so it is stable in float32 too).
 */
export function logMeanExpTensor(x: tf.Tensor, axis: number | number[]): tf.Tensor {
  return tf.tidy(() => {
    const axes = Array.isArray(axis) ? axis : [axis];
    const rank = x.rank;
    let count = 1;
    for (const a of axes) count *= x.shape[a < 0 ? rank + a : a]!;
    return tf.sub(tf.logSumExp(x, axes), Math.log(count));
  });
}
