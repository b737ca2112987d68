// The tensor math of the 1-D piecewise-linear flow (seed 002, Eq. 1).
//
// Formulation (chosen so that the density is exact and the inverse analytic):
//   w = log δ on [wMin, wMax] is cut into N equal bins of width h. The network
//   gives bin masses p_i (softmax, with a small floor so no bin is empty). The
//   map w → u = F(w) is the monotone piecewise-linear CDF
//       F(w) = C_i + p_i (w − e_i) / h   for w in bin i  (e_i its lower edge,
//                                        C_i = p_0 + … + p_{i−1}),
//   i.e. Eq. 1 with slope m_i = p_i / h and intercept b_i = C_i, and then
//   z = Φ⁻¹(u) makes the base distribution N(0, 1). Hence
//       log p(w | c) = log N(z) + log |dz/dw| = log p_i − log h,
//   which integrates to Σ p_i = 1 exactly, and the inverse z → w is
//       w = wMin + h Σ_i clip((Φ(z) − C_i) / p_i, 0, 1)
//   (bins below u count fully, the active bin by its fraction, bins above not
//   at all), differentiable in the p_i and hence in the conditions (x, θ).
//   This is the piecewise-linear transform of Müller et al. (seed 002 ref. [51])
//   used directly on a scalar instead of inside a coupling layer.
import { tf } from '../lib/tf.ts';

/** The fixed bin grid of w = log δ. */
export interface BinGrid {
  wMin: number;
  wMax: number;
  nBins: number;
}

export function binWidth(g: BinGrid): number {
  return (g.wMax - g.wMin) / g.nBins;
}

/**
 * Bin index of each w, with the paper's out-of-range rule: below wMin counts
 * as the lowest bin (a constant), above wMax as the highest bin.
 */
export function binIndex(w: ArrayLike<number>, g: BinGrid): Int32Array {
  const h = binWidth(g);
  const out = new Int32Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const k = Math.floor((w[i]! - g.wMin) / h);
    out[i] = k < 0 ? 0 : k >= g.nBins ? g.nBins - 1 : k;
  }
  return out;
}

/** Bin masses from network logits [n, N]: softmax mixed with a floor minMass per bin. */
export function binMasses(logits: tf.Tensor2D, minMass: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = logits.shape[1];
    return tf.add(tf.mul(tf.softmax(logits), 1 - n * minMass), minMass) as tf.Tensor2D;
  });
}

const strictUpperCache = new Map<number, Float32Array>();

/** U[j, i] = 1 if j < i, so masses · U gives the CDF at each bin's lower edge. */
function strictUpper(n: number): tf.Tensor2D {
  let a = strictUpperCache.get(n);
  if (!a) {
    a = new Float32Array(n * n);
    for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) a[j * n + i] = 1;
    strictUpperCache.set(n, a);
  }
  return tf.tensor2d(a, [n, n]);
}

/** C_i: cumulative mass below each bin's lower edge, [n, N]. */
export function lowerEdgeCdf(masses: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(masses, strictUpper(masses.shape[1])));
}

/**
 * Inverse map u = Φ(z) → w, one u per row ([n, 1]); returns w as [n].
 * Differentiable w.r.t. the masses (and so w.r.t. θ through the network).
 */
export function wFromU(masses: tf.Tensor2D, u: tf.Tensor2D, g: BinGrid): tf.Tensor1D {
  return tf.tidy(() => {
    const cdf = lowerEdgeCdf(masses);
    const frac = tf.clipByValue(tf.div(tf.sub(u, cdf), masses), 0, 1);
    return tf.add(tf.mul(tf.sum(frac, 1), binWidth(g)), g.wMin) as tf.Tensor1D;
  });
}

/** log p(w | c) = log p_bin − log h for precomputed bin indices ([n] int32); returns [n]. */
export function logDensity(masses: tf.Tensor2D, bins: tf.Tensor1D, g: BinGrid): tf.Tensor1D {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(bins, g.nBins);
    return tf.sub(tf.sum(tf.mul(oneHot, tf.log(masses)), 1), Math.log(binWidth(g))) as tf.Tensor1D;
  });
}

/**
 * E_z[exp(w) | c] exactly: w is uniform inside bin i with mass p_i, so
 * E = Σ_i p_i (e^{e_{i+1}} − e^{e_i}) / h. Returns [n].
 */
export function expectedExpW(masses: tf.Tensor2D, g: BinGrid): tf.Tensor1D {
  return tf.tidy(() => {
    const h = binWidth(g);
    const means = new Float32Array(g.nBins);
    for (let i = 0; i < g.nBins; i++) {
      const lo = g.wMin + i * h;
      means[i] = (Math.exp(lo + h) - Math.exp(lo)) / h;
    }
    return tf.reshape(tf.matMul(masses, tf.tensor2d(means, [g.nBins, 1])), [-1]) as tf.Tensor1D;
  });
}
