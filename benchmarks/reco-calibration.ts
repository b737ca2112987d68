// Does RECO-OPT's per-candidate δ follow the detector? Loads the reconstruction
// network from a run's checkpoint, draws K candidates around the run's design as
// the loop does (σ = 1.5 cm, thicknesses ≥ 0), simulates M photons for each and
// scores them three ways: the network's raw δ, after one energy scale per
// candidate, and after the scale plus per-layer weights (objectives/energy-calibration.ts).
// Each is compared with the physics floor of that design (benchmarks/calorimeter-floor.ts,
// a per-design least-squares reconstruction on 40 000 photons): how far above the
// floor, and whether the candidates are ranked as the floor ranks them.
// Usage: npx tsx benchmarks/reco-calibration.ts <reco-opt run dir> [more run dirs]
import { initBackend, backendInfo } from '../lib/backend.ts';
import { RunFolder } from '../lib/history.ts';
import { Rng } from '../lib/random.ts';
import { spearman } from '../lib/stats.ts';
import { CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { calibratedDeltas, layerCalibratedDeltas } from '../objectives/energy-calibration.ts';
import { ReconstructionObjective } from '../objectives/reconstruction.ts';
import { bestDelta } from './calorimeter-floor.ts';
import { table, writeSection } from './results.ts';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: npx tsx benchmarks/reco-calibration.ts <reco-opt run dir> [more run dirs]');
  process.exit(2);
}
const K = 30;
const M = 700;
const FLOOR_PHOTONS = 40_000;
const PRIOR_EVENTS = 20;

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const median = (a: number[]) => {
  const s = [...a].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
await initBackend(undefined, { quiet: true });
const t0 = performance.now();
const rows: string[][] = [];
for (const dir of dirs) {
  const checkpoint = new RunFolder(dir).readCheckpoint();
  if (!checkpoint || checkpoint.objective === undefined) throw new Error(`${dir}: no checkpoint with a reconstruction state`);
  const reco = new ReconstructionObjective();
  await reco.load(checkpoint.objective);
  const theta0 = checkpoint.theta;
  const layers = theta0.length / 2;
  const sim = new CalorimeterSimulator({ layers });
  const rng = new Rng(`reco-calibration/${theta0.join(',')}`);
  const thetas = [theta0, ...Array.from({ length: K - 1 }, () => theta0.map((v) => Math.max(0, v + 1.5 * rng.normal())))];
  const raw: number[] = [];
  const scale: number[] = [];
  const layered: number[] = [];
  const floor: number[] = [];
  thetas.forEach((theta, k) => {
    const batch = sim.simulate(theta, M, new Rng(`reco-calibration/${theta0.join(',')}/${k}`));
    const e = reco.reconstruct(batch.y, theta);
    const ratios = Float64Array.from(e, (v, i) => v / batch.x[i]!);
    raw.push(mean(ratios.map((r) => (r - 1) ** 2)));
    scale.push(mean(calibratedDeltas(ratios, PRIOR_EVENTS)));
    layered.push(mean(layerCalibratedDeltas(ratios, batch.y, batch.yDim, batch.x, PRIOR_EVENTS)));
    floor.push(bestDelta(theta, FLOOR_PHOTONS, `reco-calibration/floor/${k}`));
  });
  reco.dispose();
  const where = `${dir} (θ = ${theta0.map((v) => v.toFixed(2)).join(', ')})`;
  for (const [name, d] of [
    ['raw ((Ê − E)/E)²', raw],
    ['one energy scale per candidate', scale],
    ['scale + layer weights per candidate (default)', layered],
  ] as const) {
    const ratio = d.map((v, i) => v / floor[i]!);
    rows.push([where, name, median(ratio).toFixed(2), `${Math.min(...ratio).toFixed(2)} – ${Math.max(...ratio).toFixed(2)}`, spearman(d, floor).toFixed(2)]);
  }
}
const body = `
The reconstruction network of each run's checkpoint (trained around the run's last design), ${K} candidates around that design
(σ = 1.5 cm per thickness, clipped at 0), ${M} photons of 1–20 GeV each, as one RECO-OPT iteration sees them. Floor: the held-out δ of
the best per-design least-squares reconstruction (quadratic features of the deposits) on ${FLOOR_PHOTONS} photons. "Spearman" ranks
the ${K} candidates by their δ against the floor's ranking: what the surrogate has to learn the landscape from.
Calibrations are leave-one-out; the scale-only one with ${PRIOR_EVENTS} pseudo-events at Ê/E = 1, the layer one without a prior. Took ${((performance.now() - t0) / 1000).toFixed(0)} s.

${table(['run', 'δ per candidate', 'median δ / floor', 'range over candidates', 'Spearman with floor'], rows)}
`;
writeSection('reco-calibration', "RECO-OPT's per-candidate δ against the physics floor", `npx tsx benchmarks/reco-calibration.ts ${dirs.join(' ')}`, body, backendInfo().name);
console.log(body);
