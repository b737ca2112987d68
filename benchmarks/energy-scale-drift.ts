// How far RECO-OPT's reconstruction network is off in energy scale at designs
// around the one it trained on, and what that does to δ: raw ((Ê − E)/E)²
// against δ after the per-candidate calibration (objectives/energy-calibration.ts).
// Loads the network from a 1-layer run's checkpoint and scores fresh photons at
// scintillator thicknesses 17–25 cm (no absorber).
// Usage: npx tsx benchmarks/energy-scale-drift.ts <1-layer reco-opt run dir>
import { initBackend, backendInfo } from '../lib/backend.ts';
import { RunFolder } from '../lib/history.ts';
import { Rng } from '../lib/random.ts';
import { CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { calibratedDeltas, calibrationScale } from '../objectives/energy-calibration.ts';
import { ReconstructionObjective } from '../objectives/reconstruction.ts';
import { table, writeSection } from './results.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx benchmarks/energy-scale-drift.ts <1-layer reco-opt run dir>');
  process.exit(2);
}
await initBackend(undefined, { quiet: true });
const checkpoint = new RunFolder(dir).readCheckpoint();
if (!checkpoint || checkpoint.objective === undefined) throw new Error(`${dir}: no checkpoint with a reconstruction state`);
const reco = new ReconstructionObjective();
await reco.load(checkpoint.objective);
const sim = new CalorimeterSimulator({ layers: 1 });
const PHOTONS = 4000;
const rows = [17, 18, 19, 20, 21, 22, 23, 24, 25].map((scint) => {
  const theta = [0, scint];
  const batch = sim.simulate(theta, PHOTONS, new Rng(`drift/${scint}`));
  const e = reco.reconstruct(batch.y, theta);
  const ratios = Float64Array.from(e, (v, i) => v / batch.x[i]!);
  const raw = ratios.reduce((s, r) => s + (r - 1) ** 2, 0) / ratios.length;
  const cal = calibratedDeltas(ratios, 0).reduce((s, d) => s + d, 0) / ratios.length;
  return [`0, ${scint}`, `${(100 * (1 / calibrationScale(ratios, 0) - 1)).toFixed(1)} %`, raw.toExponential(2), cal.toExponential(2)];
});
reco.dispose();
const body = `
Network from the checkpoint of \`${dir}\` (its design then: ${checkpoint.theta.map((v) => v.toFixed(2)).join(', ')} cm), ${PHOTONS} fresh photons
of 1–20 GeV per design. "Scale off" is 1/a − 1 for the least-squares scale a = Σr/Σr², r = Ê/E. Compare the best achievable δ
per design in the section calorimeter-resolution (2.5e-4 at 20 cm, 1.4e-4 at 25 cm): the raw δ has its minimum near the
network's training design, the calibrated δ keeps falling further out.

${table(['θ = (abs1, scint1) cm', 'energy scale off by', 'raw δ', 'calibrated δ (leave-one-out)'], rows)}
`;
writeSection('energy-scale-drift', "RECO-OPT reconstruction: energy-scale drift away from the network's design", `npx tsx benchmarks/energy-scale-drift.ts ${dir}`, body, backendInfo().name);
console.log(body);
