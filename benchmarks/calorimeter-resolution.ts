// The physics floor of RECO-OPT's objective: for a list of calorimeter designs,
// the relative loss δ = ((Ê − E)/E)² of the best reconstruction from a
// per-design least-squares fit (weights 1/E², quadratic features of the layer
// deposits), trained on half of the photons and scored on the other half.
// No network: this is what a design allows, against which RECO-OPT's δ (one
// network for all candidates) and the surrogate's landscape can be judged.
// Usage: npx tsx benchmarks/calorimeter-resolution.ts [--quick]
import { bestDelta } from './calorimeter-floor.ts';
import { table, writeSection } from './results.ts';

const quick = process.argv.includes('--quick');
const PHOTONS = quick ? 10_000 : 60_000;

const designs: [string, number[]][] = [
  ['1 layer, 17 cm PbWO4', [0, 17]],
  ['1 layer, 20 cm', [0, 20]],
  ['1 layer, 22 cm', [0, 22]],
  ['1 layer, 25 cm', [0, 25]],
  ['1 layer, 1 cm Pb + 20 cm', [1, 20]],
  ['3 layers: stalled BASE seed 2 (lead behind the last active layer)', [0, 15.35, 0.87, 3.12, 5.66, 0]],
  ['  the same with that lead turned into scintillator 2', [0, 15.35, 0.87, 8.78, 0, 0]],
  ['3 layers: stalled BASE seed 3', [0, 15.06, 0.13, 3.93, 5.89, 0]],
  ['  the same with that lead turned into scintillator 2', [0, 15.06, 0.13, 9.82, 0, 0]],
  ['3 layers: BASE seed 1 (meets the criterion)', [0, 23.83, 0.33, 0, 0.84, 0]],
  ['3 layers: 2 cm Pb between scintillators at 25 cm total', [0, 16, 0, 4, 2, 3]],
];
const t0 = performance.now();
const deltas = designs.map(([, theta]) => bestDelta(theta, PHOTONS));

// ---- the best 3-layer design on the 25 cm limit, by local search on the floor δ ----------
// Moves shift thickness between two segments (total kept at 25 cm); a move is kept when δ
// falls by more than 1 % (common photons, so this is not noise). Run once free and once with
// every absorber ≤ 1 cm (the acceptance's criterion), from the same starts.
const SEARCH_PHOTONS = quick ? 8_000 : 30_000;
const searchSeed = 'resolution/search';
function localSearch(start: number[], maxAbsorber: number): { theta: number[]; delta: number; evaluations: number } {
  let theta = start.slice();
  let delta = bestDelta(theta, SEARCH_PHOTONS, searchSeed);
  let evaluations = 1;
  for (const step of [2, 1, 0.5]) {
    let improved = true;
    while (improved) {
      improved = false;
      for (let from = 0; from < theta.length; from++) {
        for (let to = 0; to < theta.length; to++) {
          if (from === to || theta[from]! <= 0) continue;
          const trial = theta.slice();
          const moved = Math.min(step, trial[from]!);
          trial[from]! -= moved;
          trial[to]! += moved;
          if (trial.some((v, i) => i % 2 === 0 && v > maxAbsorber + 1e-9)) continue;
          const d = bestDelta(trial, SEARCH_PHOTONS, searchSeed);
          evaluations++;
          if (d < delta * 0.99) {
            theta = trial;
            delta = d;
            improved = true;
          }
        }
      }
    }
  }
  return { theta, delta, evaluations };
}
const starts: number[][] = [
  [0, 25, 0, 0, 0, 0],
  [0, 15.35, 0.87, 3.12, 5.66, 0],
  [0, 16, 0, 4, 2, 3],
  [0, 8, 0, 8, 0, 9],
];
const searchT0 = performance.now();
/** A start with every absorber cut to maxAbs; the removed thickness goes to scintillator 1 (total stays 25 cm). */
function capAbsorbers(start: number[], maxAbs: number): number[] {
  const capped = start.map((v, i) => (i % 2 === 0 ? Math.min(v, maxAbs) : v));
  capped[1]! += 25 - capped.reduce((a, b) => a + b, 0);
  return capped;
}
const runs = (maxAbs: number) => starts.map((s) => localSearch(capAbsorbers(s, maxAbs), maxAbs));
const free = runs(25);
const capped = runs(1);
const bestOf = (r: typeof free) => r.reduce((a, b) => (b.delta < a.delta ? b : a));
const bestFree = bestOf(free);
const blockDelta = bestDelta([0, 25, 0, 0, 0, 0], SEARCH_PHOTONS, searchSeed);
const bestCapped = bestOf(capped);
// final numbers on fresh photons, more of them
const FINAL_PHOTONS = quick ? 20_000 : 200_000;
const finalFree = bestDelta(bestFree.theta, FINAL_PHOTONS, 'resolution/final');
const finalCapped = bestDelta(bestCapped.theta, FINAL_PHOTONS, 'resolution/final');
const searchSeconds = (performance.now() - searchT0) / 1000;
const fmt = (t: number[]) => t.map((v) => v.toFixed(2)).join(', ');
const searchRows = [
  ...free.map((r, i) => [`free, start ${i + 1}`, fmt(r.theta), r.delta.toExponential(3), r.evaluations]),
  ...capped.map((r, i) => [`absorbers ≤ 1 cm, start ${i + 1}`, fmt(r.theta), r.delta.toExponential(3), r.evaluations]),
];
const rows = designs.map(([label, theta], i) => [label, theta.map((v) => v.toFixed(2)).join(', '), deltas[i]!.toExponential(3)]);
const pct = (a: number, b: number) => `${(100 * (deltas[a]! / deltas[b]! - 1)).toFixed(0)} %`;
const body = `
${PHOTONS} photons of 1–20 GeV per design (half fit, half scored); δ of the best reconstruction from a least-squares fit on
quadratic features of the layer deposits (weights 1/E²), per design. The stochastic term alone (2.8 %/√E) gives 1.24e-4.
Statistical error of each δ ≈ 2–3 %. Took ${((performance.now() - t0) / 1000).toFixed(0)} s.

${table(['design', 'θ = (abs1, scint1, …) cm', 'best δ'], rows)}

Reading: from 20 to 25 cm of PbWO4 the achievable δ falls by ${(100 * (1 - deltas[3]! / deltas[1]!)).toFixed(0)} %, so the
surrogate should keep pushing scintillator toward the 25 cm limit, as the 1-layer runs do. On the 25 cm limit the landscape is
nearly flat: the lead left behind the last active layer in the two stalled 3-layer runs costs ${pct(5, 6)} and ${pct(7, 8)} in δ
against the same thickness of scintillator, and the run that meets the absorber criterion is no better than them
(${deltas[9]!.toExponential(2)}). The acceptance's "every absorber ≤ 1 cm" separates 3-layer designs whose δ differs by
less than the scatter between neighbouring candidates' δ in one iteration (often a factor 2, network error included).

### The best 3-layer design on the 25 cm limit
Local search on this floor δ (${SEARCH_PHOTONS} photons, the same for every design; moves shift 2, 1, 0.5 cm between two segments at
25 cm total, kept when δ falls by > 1 %), from four starts, free and with every absorber ≤ 1 cm. ${searchSeconds.toFixed(0)} s.

${table(['search', 'end design θ (cm)', 'δ (search photons)', 'designs evaluated'], searchRows)}

Best free design: ${fmt(bestFree.theta)}: δ = ${finalFree.toExponential(3)}; best with absorbers ≤ 1 cm: ${fmt(bestCapped.theta)}:
δ = ${finalCapped.toExponential(3)} (both on ${FINAL_PHOTONS} fresh photons). The free optimum is ${(100 * (1 - finalFree / finalCapped)).toFixed(0)} % better.
${
  finalFree < 0.97 * finalCapped && bestFree.theta.some((v, i) => i % 2 === 0 && v > 1)
    ? `In this toy the optimum keeps lead in the shower's tail: lead has a shorter radiation length than PbWO4 (0.56 vs 0.89 cm), so within a
25 cm limit a lead-and-scintillator tail catcher contains more of the shower than scintillator alone. So "every absorber ≤ 1 cm"
(seed 002 Fig. 3) is not the minimum of this objective for 3 layers.`
    : `Within 3 % the two optima are equal: on the 25 cm limit many designs, with or without a few cm of lead in the shower's tail, reach
the same δ, so "every absorber ≤ 1 cm" picks one of many equivalent optima; the objective does not prefer it.`
}
Segmenting helps a little: on the search photons the best 3-layer design's δ is ${(100 * (1 - bestFree.delta / blockDelta)).toFixed(0)} % below that of one 25 cm block
(${blockDelta.toExponential(3)}; the longitudinal profile lets the reconstruction correct for leakage). The stalled BASE seeds' designs (rows above) are ${(100 * (deltas[5]! / finalFree - 1)).toFixed(0)} % and ${(100 * (deltas[7]! / finalFree - 1)).toFixed(0)} % above the best:
lead behind the last active layer is wasted depth, a real if shallow local trap for the optimiser.
`;
writeSection('calorimeter-resolution', 'Calorimeter: best achievable δ per design (physics floor of RECO-OPT)', `npx tsx benchmarks/calorimeter-resolution.ts${quick ? ' --quick' : ''}`, body);
console.log(body);
