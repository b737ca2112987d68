// Simulation runs for RESuM with their cost accounting: each run is reduced at
// once to its design metrics (events, signals m, y_CNP once a CNP exists), so
// no 10⁶-event batch is kept. LF batches are kept only until the CNP is trained.
import type { EventBatch } from '../lib/contracts.ts';
import type { Rng } from '../lib/random.ts';
import { trainCnp, type Cnp, type CnpOptions } from '../surrogates/cnp.ts';
import { cnpRate, countSignals } from '../surrogates/resum-cnp.ts';
import type { DesignRecord, RunMetrics } from '../surrogates/resum.ts';
import type { Fidelity, RareEventProblem } from './resum-problem.ts';

export interface CostLedger {
  runs: Record<Fidelity, number>;
  events: Record<Fidelity, number>;
  /** wall seconds spent simulating */
  seconds: Record<Fidelity, number>;
  /** wall seconds spent training the CNP and scoring runs with it */
  cnpSeconds: number;
}

export function emptyLedger(): CostLedger {
  return { runs: { lf: 0, hf: 0 }, events: { lf: 0, hf: 0 }, seconds: { lf: 0, hf: 0 }, cnpSeconds: 0 };
}

export interface CostSummary {
  lfRuns: number;
  hfRuns: number;
  lfEvents: number;
  hfEvents: number;
  simulationSeconds: number;
  cnpSeconds: number;
  /** the same number of runs, all at HF: events and seconds (HF seconds per run measured here) */
  allHfEvents: number;
  allHfSeconds: number;
  /** our simulated events / all-HF events, per cent */
  percentEvents: number;
  /** our simulation seconds / all-HF seconds, per cent */
  percentSeconds: number;
}

/** Cost as a fraction of an all-HF search with as many runs (seed 000 §6: "3.3 % of the cost"). */
export function summarizeCost(c: CostLedger, hfEventsPerRun: number): CostSummary {
  const total = c.runs.lf + c.runs.hf;
  const hfPerRun = c.runs.hf > 0 ? c.seconds.hf / c.runs.hf : NaN;
  const allHfEvents = total * hfEventsPerRun;
  const allHfSeconds = total * hfPerRun;
  const sim = c.seconds.lf + c.seconds.hf;
  return {
    lfRuns: c.runs.lf,
    hfRuns: c.runs.hf,
    lfEvents: c.events.lf,
    hfEvents: c.events.hf,
    simulationSeconds: sim,
    cnpSeconds: c.cnpSeconds,
    allHfEvents,
    allHfSeconds,
    percentEvents: (100 * (c.events.lf + c.events.hf)) / allHfEvents,
    percentSeconds: (100 * sim) / allHfSeconds,
  };
}

/** Runs the simulator once and records the cost. */
export function simulateRun(problem: RareEventProblem, theta: readonly number[], fidelity: Fidelity, nEvents: number, rng: Rng, ledger: CostLedger): EventBatch {
  const t0 = performance.now();
  const batch = problem.simulate(theta, fidelity, nEvents, rng);
  ledger.seconds[fidelity] += (performance.now() - t0) / 1000;
  ledger.runs[fidelity] += 1;
  ledger.events[fidelity] += nEvents;
  return batch;
}

/** A run's metrics; y_CNP when a CNP is given. */
export function runMetrics(batch: EventBatch, cnp: Cnp | null, ledger: CostLedger, cnpEvents = 50_000): RunMetrics {
  const m: RunMetrics = { events: batch.n, signals: countSignals(batch) };
  if (cnp) {
    const t0 = performance.now();
    m.yCnp = cnpRate(cnp, batch, cnpEvents);
    ledger.cnpSeconds += (performance.now() - t0) / 1000;
  }
  return m;
}

/** Trains the CNP on LF batches (seed 000 §5.2: the CNP learns from LF simulation) and records its time. */
export function trainRunCnp(batches: EventBatch[], options: CnpOptions, rng: Rng, ledger: CostLedger): Cnp {
  const t0 = performance.now();
  const cnp = trainCnp(batches, options, rng);
  ledger.cnpSeconds += (performance.now() - t0) / 1000;
  return cnp;
}

/** Fills in y_CNP of records from their kept batches (after the CNP is trained). */
export function scoreRecords(records: DesignRecord[], batches: Map<DesignRecord, { lf?: EventBatch; hf?: EventBatch }>, cnp: Cnp, ledger: CostLedger, cnpEvents = 50_000): void {
  for (const r of records) {
    const b = batches.get(r);
    if (!b) continue;
    if (b.lf && r.lf) r.lf = runMetrics(b.lf, cnp, ledger, cnpEvents);
    if (b.hf && r.hf) r.hf = runMetrics(b.hf, cnp, ledger, cnpEvents);
  }
}
