// The RESuM design pipeline (seed 000 §6, appendix 11): LF runs on a feasible
// Latin hypercube plus a few HF runs; a CNP trained on the LF runs scores every
// run (y_CNP); the 3-level MFGP (surrogates/resum.ts) is fitted; then active
// learning: integrated variance reduction of the HF prediction over Monte-Carlo
// points of the feasible space picks the next HF design (simulated at HF and at
// LF), refit, repeat. Finally the minimum of the predicted t̄ is reported with
// its exact t̄ (ground truth, reporting only), the baseline's, and the cost.
// Every stage draws from its own named stream of RandomStreams(seed).
import { RandomStreams } from '../lib/random.ts';
import type { EventBatch } from '../lib/contracts.ts';
import type { CnpOptions } from '../surrogates/cnp.ts';
import { ivrMfgp, maximizeAcquisition } from '../surrogates/gp/acquisition.ts';
import type { MfgpHyperparameters } from '../surrogates/gp/mfgp.ts';
import { RareEventSurrogate, type DesignRecord } from '../surrogates/resum.ts';
import { feasibleLatinHypercube, feasibleUniform, repairDesign, type BoxSpec } from './resum-design.ts';
import type { RareEventProblem } from './resum-problem.ts';
import { emptyLedger, runMetrics, scoreRecords, simulateRun, summarizeCost, trainRunCnp, type CostSummary } from './resum-runs.ts';
import { minimizePrediction } from './resum-search.ts';

export interface ResumOptions {
  /** LF runs on the initial Latin hypercube (default 310) */
  lfRuns?: number;
  /** initial HF runs (default 4) */
  hfRuns?: number;
  /** active-learning rounds, one HF run each (default 6) */
  rounds?: number;
  lfEvents?: number;
  hfEvents?: number;
  seed?: number | string;
  /** CNP options; default steps 400 (bounded training time) */
  cnp?: CnpOptions;
  /** events of a run the CNP scores (default 50 000) */
  cnpEvents?: number;
  /** Monte-Carlo points of the IVR integral (default 300) */
  mcPoints?: number;
  /** random candidates screened by the acquisition maximiser (default 300) */
  acquisitionCandidates?: number;
  /** feasible points screened for the best design (default 4000) */
  searchPoints?: number;
  /** the best design minimises ŷ + caution·σ̂ (default 1; 0 = the plain predicted minimum) */
  caution?: number;
  /**
   * where the reported best design comes from (default 'simulated'): the
   * HF-simulated designs, where the surrogate is anchored by its own runs (the
   * usual recommendation in noisy Bayesian optimisation), or 'anywhere' in the
   * feasible space. RESULTS.md `resum` measures both: with ~10 HF runs the
   * space-wide minimum lands where σ̂ is too small. 'observed': the HF-simulated
   * design with the lowest m/N of its own run, ignoring the model: right when HF
   * runs hold enough signals (≈ 300 at 10⁷ neutrons: ±6 %) that their noise is
   * below the model's design-to-design error, which y_CNP's errors set at ≈ ±10 %
   * (RESULTS.md `resum-al-hf10000000-r12-x6`); wrong at 10⁶ (±18 %).
   */
  recommend?: Recommendation;
  /**
   * the last `exploitRounds` rounds simulate the minimum of ŷ + exploitCaution·σ̂
   * anywhere instead of the IVR choice (default 2): IVR spreads HF runs to
   * improve the model everywhere; these rounds check the model's optimum with an
   * HF run, which corrects the model where it was wrong and adds the design to
   * those the recommendation picks from.
   */
  exploitRounds?: number;
  /**
   * κ of the exploit rounds' choice, the minimum of ŷ + κσ̂ anywhere (default:
   * `caution`). The recommendation wants κ > 0 (trust what the runs support);
   * a round that is to find a better design may want κ ≤ 0: with κ = 1 the
   * minimum sits where σ̂ is smallest, often a design already simulated, and
   * the round re-simulates it.
   */
  exploitCaution?: number;
  /** GP restarts per fit (default 2) */
  restarts?: number;
  /** compute exact t̄ for reporting (default true) */
  exact?: boolean;
  onStage?: (stage: string) => void;
  onRound?: (r: RoundRecord) => void;
}

export type Recommendation = 'simulated' | 'observed' | 'anywhere';
export const RECOMMENDATIONS: readonly Recommendation[] = ['simulated', 'observed', 'anywhere'];

export interface RoundRecord {
  round: number;
  theta: number[];
  /** 'ivr': chosen by integrated variance reduction; 'exploit': the minimum of ŷ + exploitCaution·σ̂ (exploitRounds) */
  kind: 'ivr' | 'exploit';
  /** the IVR value, or ŷ + exploitCaution·σ̂ for an exploit round */
  acquisition: number;
  /** predicted t̄ ± σ̂ at the chosen design before simulating it */
  predicted: { mean: number; sd: number };
  /** y_Raw = m/N of the new HF run */
  observed: number;
  signals: number;
  exact: number | null;
  /** current best design under the refitted model */
  best: { theta: number[]; objective: number };
  seconds: number;
}

export interface ResumResult {
  problem: string;
  options: Required<Omit<ResumOptions, 'onStage' | 'onRound' | 'cnp'>> & { cnp: CnpOptions };
  rounds: RoundRecord[];
  best: { theta: number[]; predicted: number; sd: number; exact: number | null };
  /** the minimum of ŷ + caution·σ̂ over the whole feasible space (the best design when recommend = 'anywhere') */
  predictedOptimum: { theta: number[]; predicted: number; sd: number; exact: number | null };
  baseline: { theta: number[]; exact: number | null; predicted: number; sd: number };
  /** every HF-simulated design in the order simulated, under the final model: what the recommendation chose from */
  simulated: SimulatedDesign[];
  cost: CostSummary;
  hyperparameters: MfgpHyperparameters;
  records: DesignRecord[];
  seconds: number;
}

export interface SimulatedDesign {
  theta: number[];
  /** 'initial': the initial HF Latin hypercube; otherwise the round's kind */
  source: 'initial' | RoundRecord['kind'];
  /** y_Raw = m/N of its HF run */
  observed: number;
  signals: number;
  /** the final model's ŷ ± σ̂ there */
  predicted: number;
  sd: number;
  exact: number | null;
}

export const RESUM_DEFAULTS = {
  lfRuns: 310,
  hfRuns: 4,
  rounds: 6,
  seed: 1,
  cnpEvents: 50_000,
  mcPoints: 300,
  acquisitionCandidates: 300,
  searchPoints: 4000,
  restarts: 2,
  caution: 1,
  recommend: 'simulated' as Recommendation,
  exploitRounds: 2,
  exact: true,
  cnp: { steps: 400 } as CnpOptions,
};

function checkCount(v: number, field: string, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new Error(`resum ${field}: must be an integer ≥ ${min} (got ${v})`);
  return v;
}

export function boxOf(problem: RareEventProblem): BoxSpec {
  return { lower: problem.lower, upper: problem.upper, integer: problem.integer, feasible: problem.feasible };
}

export function runResum(problem: RareEventProblem, options: ResumOptions = {}): ResumResult {
  const t0 = performance.now();
  const o = {
    ...RESUM_DEFAULTS,
    lfEvents: problem.nominalEvents.lf,
    hfEvents: problem.nominalEvents.hf,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as Required<Omit<ResumOptions, 'onStage' | 'onRound'>>;
  checkCount(o.lfRuns, 'lfRuns', 2);
  checkCount(o.hfRuns, 'hfRuns', 2);
  checkCount(o.rounds, 'rounds', 0);
  checkCount(o.lfEvents, 'lfEvents', 1);
  checkCount(o.hfEvents, 'hfEvents', 1);
  checkCount(o.exploitRounds, 'exploitRounds', 0);
  if (o.exploitCaution === undefined) o.exploitCaution = o.caution;
  for (const [field, v] of [['caution', o.caution], ['exploitCaution', o.exploitCaution]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`resum ${field}: must be a finite number (got ${v})`);
  }
  if (!RECOMMENDATIONS.includes(o.recommend)) throw new Error(`resum recommend: must be one of ${RECOMMENDATIONS.join(', ')} (got ${JSON.stringify(o.recommend)})`);
  const stage = options.onStage ?? (() => {});
  const streams = new RandomStreams(o.seed);
  const box = boxOf(problem);
  const ledger = emptyLedger();
  const sim = streams.stream('simulate');

  // initial design: LF on a feasible Latin hypercube, HF (+ LF) on a small one
  stage('initial runs');
  const records: DesignRecord[] = [];
  const kept = new Map<DesignRecord, { lf?: EventBatch; hf?: EventBatch }>();
  const lfBatches: EventBatch[] = [];
  for (const theta of feasibleLatinHypercube(box, o.lfRuns, streams.stream('lhs-lf'))) {
    const b = simulateRun(problem, theta, 'lf', o.lfEvents, sim, ledger);
    const r: DesignRecord = { theta, lf: runMetrics(b, null, ledger) };
    records.push(r);
    kept.set(r, { lf: b });
    lfBatches.push(b);
  }
  for (const theta of feasibleLatinHypercube(box, o.hfRuns, streams.stream('lhs-hf'))) {
    const lf = simulateRun(problem, theta, 'lf', o.lfEvents, sim, ledger);
    const hf = simulateRun(problem, theta, 'hf', o.hfEvents, sim, ledger);
    const r: DesignRecord = { theta, lf: runMetrics(lf, null, ledger), hf: runMetrics(hf, null, ledger, o.cnpEvents) };
    records.push(r);
    kept.set(r, { lf, hf });
    lfBatches.push(lf);
  }

  stage('training CNP');
  // the problem's CNP options (e.g. no θ for the moderator) under the user's; recorded in the result as used
  o.cnp = { ...RESUM_DEFAULTS.cnp, ...problem.cnp, ...options.cnp };
  const cnp = trainRunCnp(lfBatches, o.cnp, streams.stream('cnp'), ledger);
  try {
    scoreRecords(records, kept, cnp, ledger, o.cnpEvents);
    kept.clear();
    lfBatches.length = 0;

    const mc = feasibleUniform(box, o.mcPoints, streams.stream('mc'));
    const model = new RareEventSurrogate('resum', problem.lower, problem.upper);
    const fitRng = streams.stream('fit');
    let warm: MfgpHyperparameters | null = null;
    const refit = () => {
      stage('fitting MFGP');
      model.fit(records, { rng: fitRng, restarts: o.restarts, warmStart: warm });
      warm = model.hyperparameters() as MfgpHyperparameters;
    };
    const searchRng = streams.stream('search');
    // minimum of ŷ + κσ̂ (κ = o.caution): with ~10 HF runs the plain mean's minimum sits
    // where the GP extrapolates (corners); one σ̂ of caution keeps it where data support it
    const bound = (kappa: number) => (th: number[][]) => {
      const p = model.predict(th);
      return p.mean.map((m, i) => m + kappa * p.sd[i]!);
    };
    const objective = bound(o.caution);
    const simulated = () => records.filter((r) => r.hf).map((r) => r.theta.slice());
    const searchSpace = (f = objective) => minimizePrediction(f, box, searchRng, { points: o.searchPoints, include: simulated() });
    const bestSimulated = () => {
      const th = simulated();
      const v = o.recommend === 'observed' ? records.filter((r) => r.hf).map((r) => r.hf!.signals / r.hf!.events) : objective(th);
      let i = 0;
      for (let j = 1; j < th.length; j++) if (v[j]! < v[i]!) i = j;
      return { theta: th[i]!, value: v[i]! };
    };
    const findBest = () => (o.recommend === 'anywhere' ? searchSpace() : bestSimulated());
    refit();

    const rounds: RoundRecord[] = [];
    const acqRng = streams.stream('acquisition');
    const ivrChoice = (): { theta: number[]; value: number } => {
      const mf = model.multiFidelity!;
      const acq = ivrMfgp(mf, mc.map((x) => model.unit(x)), mf.nLevels - 1);
      const toTheta = (u: readonly number[]) => u.map((v, d) => box.lower[d]! + v * (box.upper[d]! - box.lower[d]!));
      const pick = maximizeAcquisition(acq, {
        lower: box.lower.map(() => 0),
        upper: box.lower.map(() => 1),
        rng: acqRng,
        candidates: o.acquisitionCandidates,
        starts: 2,
        maxIter: 30,
        feasible: (u) => repairDesign(box, toTheta(u)) !== null,
      });
      const theta = repairDesign(box, toTheta(pick.x));
      if (!theta) throw new Error('resum: the acquisition maximiser returned a design that cannot be made feasible');
      return { theta, value: pick.value };
    };
    for (let k = 0; k < o.rounds; k++) {
      const tr = performance.now();
      stage(`round ${k + 1}: acquisition`);
      const kind: RoundRecord['kind'] = k >= o.rounds - o.exploitRounds ? 'exploit' : 'ivr';
      const pick = kind === 'exploit' ? searchSpace(bound(o.exploitCaution)) : ivrChoice();
      const theta = pick.theta;
      const pred = model.predict([theta]);
      stage(`round ${k + 1}: simulating`);
      const lf = simulateRun(problem, theta, 'lf', o.lfEvents, sim, ledger);
      const hf = simulateRun(problem, theta, 'hf', o.hfEvents, sim, ledger);
      const r: DesignRecord = { theta, lf: runMetrics(lf, cnp, ledger, o.cnpEvents), hf: runMetrics(hf, cnp, ledger, o.cnpEvents) };
      records.push(r);
      refit();
      const best = findBest();
      const rec: RoundRecord = {
        round: k + 1,
        theta,
        kind,
        acquisition: pick.value,
        predicted: { mean: pred.mean[0]!, sd: pred.sd[0]! },
        observed: r.hf!.signals / r.hf!.events,
        signals: r.hf!.signals,
        exact: o.exact ? problem.exactRates([theta])[0]! : null,
        best: { theta: best.theta, objective: best.value },
        seconds: (performance.now() - tr) / 1000,
      };
      rounds.push(rec);
      options.onRound?.(rec);
    }

    stage('best design');
    const best = findBest();
    const optimum = o.recommend === 'anywhere' ? best : searchSpace();
    const pb = model.predict([best.theta, problem.baseline, optimum.theta]);
    const exact = o.exact ? problem.exactRates([best.theta, problem.baseline, optimum.theta]) : null;
    const hfRecords = records.filter((r) => r.hf);
    const ps = model.predict(hfRecords.map((r) => r.theta));
    const exactSimulated = o.exact ? problem.exactRates(hfRecords.map((r) => r.theta)) : null;
    const simulatedDesigns: SimulatedDesign[] = hfRecords.map((r, i) => ({
      theta: r.theta.slice(),
      source: i < o.hfRuns ? 'initial' : rounds[i - o.hfRuns]!.kind,
      observed: r.hf!.signals / r.hf!.events,
      signals: r.hf!.signals,
      predicted: ps.mean[i]!,
      sd: ps.sd[i]!,
      exact: exactSimulated ? exactSimulated[i]! : null,
    }));
    return {
      problem: problem.name,
      options: o as ResumResult['options'],
      rounds,
      best: { theta: best.theta, predicted: pb.mean[0]!, sd: pb.sd[0]!, exact: exact ? exact[0]! : null },
      predictedOptimum: { theta: optimum.theta, predicted: pb.mean[2]!, sd: pb.sd[2]!, exact: exact ? exact[2]! : null },
      baseline: { theta: problem.baseline.slice(), exact: exact ? exact[1]! : null, predicted: pb.mean[1]!, sd: pb.sd[1]! },
      simulated: simulatedDesigns,
      cost: summarizeCost(ledger, o.hfEvents),
      hyperparameters: model.hyperparameters() as MfgpHyperparameters,
      records,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    cnp.dispose();
  }
}
