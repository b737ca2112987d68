// Which HF-simulated design is best? Each has its own HF run (m/N, binomial noise
// known) and the model's prediction there. The fitted model treats y_CNP's errors
// as smooth in θ, but y_CNP/t̄ varies by ~±10 % from design to design (RESULTS.md
// `resum-al-hf10000000-r12-x6`), so its posterior at a simulated design leans on the
// CNP trend more than the design's own run warrants, and the minimum over designs
// picks the ones the CNP under-rates (the winner's curse).
// Empirical Bayes over the simulated designs: predict each one from the others
// (leave-one-out, hyperparameters fixed), estimate the design-level model error τ²
// from how far the runs fall from those predictions beyond their known variances,
// and combine each design's own m/N with its leave-one-out prediction by precision.
import type { Rng } from '../lib/random.ts';
import type { MfgpHyperparameters } from '../surrogates/gp/mfgp.ts';
import { RareEventSurrogate, type DesignRecord } from '../surrogates/resum.ts';

export interface DesignEstimate {
  /** the model's prediction from every other run (this design's HF run left out; its LF run kept) */
  looMean: number;
  looSd: number;
  /** this design's m/N and its binomial sd */
  observed: number;
  observedSd: number;
  /** the precision-weighted combination, with the design-level error τ added to the prediction's variance */
  mean: number;
  sd: number;
}

export interface SimulatedEstimates {
  /** per HF-simulated record, in the order of `records` */
  designs: DesignEstimate[];
  /** fitted design-level error of the model's prediction, per event (0 when the runs scatter no more than their variances) */
  tau: number;
}

export function estimateSimulated(
  records: readonly DesignRecord[],
  hyperparameters: MfgpHyperparameters,
  bounds: { lower: readonly number[]; upper: readonly number[] },
  rng: Rng,
): SimulatedEstimates {
  const hfIndex = records.flatMap((r, i) => (r.hf ? [i] : []));
  if (hfIndex.length < 3) throw new Error(`resum recommendation: leave-one-out needs at least 3 HF runs (got ${hfIndex.length})`);
  const loo = hfIndex.map((i) => {
    const rest = records.map((r, j) => (j === i ? { theta: r.theta, ...(r.lf ? { lf: r.lf } : {}) } : r));
    const model = new RareEventSurrogate('resum', bounds.lower, bounds.upper);
    model.fit(rest, { rng, fixed: hyperparameters });
    const p = model.predict([records[i]!.theta]);
    return { mean: p.mean[0]!, sd: p.sd[0]! };
  });
  const observed = hfIndex.map((i) => {
    const h = records[i]!.hf!;
    // a run with no signal still has a binomial variance of about 1/N²
    return { value: h.signals / h.events, sd: Math.sqrt(Math.max(h.signals, 1)) / h.events };
  });
  // method of moments: E[(y − μ_loo)²] = var_binomial + var_loo + τ²
  const excess = hfIndex.map((_, k) => (observed[k]!.value - loo[k]!.mean) ** 2 - observed[k]!.sd ** 2 - loo[k]!.sd ** 2);
  const tau2 = Math.max(0, excess.reduce((s, v) => s + v, 0) / excess.length);
  const designs = hfIndex.map((_, k) => {
    const priorVar = loo[k]!.sd ** 2 + tau2;
    const obsVar = observed[k]!.sd ** 2;
    const w = priorVar / (priorVar + obsVar);
    return {
      looMean: loo[k]!.mean,
      looSd: loo[k]!.sd,
      observed: observed[k]!.value,
      observedSd: observed[k]!.sd,
      mean: loo[k]!.mean + w * (observed[k]!.value - loo[k]!.mean),
      sd: Math.sqrt((priorVar * obsVar) / (priorVar + obsVar)),
    };
  });
  return { designs, tau: Math.sqrt(tau2) };
}
