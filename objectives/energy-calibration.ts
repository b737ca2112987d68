// Per-design energy-scale calibration of RECO-OPT's reconstruction.
//
// One network reconstructs E for every candidate design, and it is most
// accurate where it has trained most: at the current design θ. Away from it
// its energy scale drifts (benchmarks/energy-scale-drift.ts, a network trained
// around 20 cm of PbWO4: off by 1.7 % at 22 cm, 3.4 % at 24, 5.9 % at 25). A 2 %
// scale error alone adds 4e-4 to δ, more than the resolution difference between
// a 20 and a 25 cm calorimeter (2.5e-4 vs 1.4e-4), so the raw δ has a spurious
// minimum near the current design (19 cm there) and the optimisation stalls.
// A real calorimeter is calibrated to its energy scale; its figure of merit is
// the resolution after calibration. So δ is taken after one scale factor per
// candidate, fitted to that candidate's own events by the same relative loss:
//     a = Σ r / Σ r²,  r = Ê/E,   δ_i = (a r_i − 1)².
// Leave-one-out (event i is not used for its own a), so δ is not optimistic,
// and n0 pseudo-events at r = 1 shrink a toward 1 when a candidate has few
// events (M = 5 in the TRANSFER study): a = (Σ_{j≠i} r_j + n0)/(Σ_{j≠i} r_j² + n0).

/** Calibrated per-event δ for the events of one candidate, given r_i = Ê_i / E_i. */
export function calibratedDeltas(ratios: ArrayLike<number>, priorEvents: number): Float32Array {
  if (!(priorEvents >= 0)) throw new Error(`calibrationPriorEvents: must be ≥ 0 (got ${priorEvents})`);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < ratios.length; i++) {
    s1 += ratios[i]!;
    s2 += ratios[i]! ** 2;
  }
  const out = new Float32Array(ratios.length);
  for (let i = 0; i < ratios.length; i++) {
    const r = ratios[i]!;
    const den = s2 - r * r + priorEvents;
    // one event and no prior: nothing to calibrate with, keep the raw error
    const a = den > 0 ? (s1 - r + priorEvents) / den : 1;
    out[i] = (a * r - 1) ** 2;
  }
  return out;
}

/** The fitted scale a = (Σ r + n0)/(Σ r² + n0) of a candidate (all its events), for reporting. */
export function calibrationScale(ratios: ArrayLike<number>, priorEvents: number): number {
  let s1 = priorEvents;
  let s2 = priorEvents;
  for (let i = 0; i < ratios.length; i++) {
    s1 += ratios[i]!;
    s2 += ratios[i]! ** 2;
  }
  return s2 > 0 ? s1 / s2 : 1;
}
