// y_CNP of one simulation run for RESuM (seed 000 Eq. 7): the CNP's read-out of
// the run's events as a rate (Cnp.rate), put on the rate scale by one constant
// from the training events, so that all three RESuM levels share units and
// ρ ≈ 1. By default the read-out is the paper's mean score; a problem whose
// high-rate events saturate β (the moderator toy) asks for the prior-shifted
// odds instead (CnpOptions.rateFrom, RESULTS.md moderator-cnp).
// A large HF run is scored on its first `maxEvents` events: y_CNP is a mean
// over events, and 5·10⁴ of them pin it far below the GP's noise (scoring all
// 10⁶ would cost ~3 s per run).
import type { EventBatch } from '../lib/contracts.ts';
import type { Cnp } from './cnp.ts';
import { headOfBatch } from './cnp-data.ts';

export { headOfBatch };

/** Number of signal events (outcome 1) of a run. */
export function countSignals(b: EventBatch): number {
  if (!b.outcome) throw new Error('countSignals: the batch has no outcome field (rare-event simulators set it)');
  let m = 0;
  for (let i = 0; i < b.n; i++) m += b.outcome[i]!;
  return m;
}

/** y_CNP of a run as a rate per event. */
export function cnpRate(cnp: Cnp, b: EventBatch, maxEvents = 50_000): number {
  return cnp.rate(headOfBatch(b, maxEvents));
}
