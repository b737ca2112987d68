// y_CNP of one simulation run for RESuM (seed 000 Eq. 7): the CNP's mean score
// over the run's events, on the rate scale via the CNP's prior-shift correction
// (Cnp.rateEstimate), so that all three RESuM levels share units and ρ ≈ 1.
// A large HF run is scored on its first `maxEvents` events: y_CNP is a mean
// over events, and 5·10⁴ of them pin it far below the GP's noise (scoring all
// 10⁶ would cost ~3 s per run).
import type { EventBatch } from '../lib/contracts.ts';
import type { Cnp } from './cnp.ts';

/** The first `count` events of a batch (views, no copy). */
export function headOfBatch(b: EventBatch, count: number): EventBatch {
  const n = Math.min(b.n, count);
  if (n === b.n) return b;
  const phiDim = b.phiDim ?? b.xDim;
  const phi = (b.phi ?? b.x).subarray(0, n * phiDim);
  return {
    ...b,
    n,
    x: b.x.subarray(0, n * b.xDim),
    y: b.y.subarray(0, n * b.yDim),
    phi,
    outcome: b.outcome?.subarray(0, n),
  };
}

/** Number of signal events (outcome 1) of a run. */
export function countSignals(b: EventBatch): number {
  if (!b.outcome) throw new Error('countSignals: the batch has no outcome field (rare-event simulators set it)');
  let m = 0;
  for (let i = 0; i < b.n; i++) m += b.outcome[i]!;
  return m;
}

/** y_CNP of a run as a rate per event. */
export function cnpRate(cnp: Cnp, b: EventBatch, maxEvents = 50_000): number {
  return cnp.rateEstimate(headOfBatch(b, maxEvents));
}
