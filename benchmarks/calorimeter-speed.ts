// Photons per second per core of the calorimeter simulator (single thread, no
// tfjs), for 1, 2 and 3 (absorber, scintillator) pairs at two designs: the BASE
// study's start (every slab 1 cm) and an all-scintillator end point.
// Throughput is reported against CPU time of this process (what one core
// delivers even when other jobs share the machine) and against wall time.
// Usage: npx tsx benchmarks/calorimeter-speed.ts [--quick]
import { loadavg } from 'node:os';
import { Rng } from '../lib/random.ts';
import { CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { table, writeSection } from './results.ts';

const quick = process.argv.includes('--quick');
const EVENTS = quick ? 50_000 : 400_000;
const REPEATS = quick ? 2 : 5;

interface Design {
  label: string;
  theta: number[];
}

function designs(layers: number): Design[] {
  const start = new Array<number>(2 * layers).fill(1);
  const scint: number[] = [];
  for (let l = 0; l < layers; l++) scint.push(0, 25 / layers);
  return [
    { label: `start (${start.join(', ')} cm)`, theta: start },
    { label: `scintillator only (${scint.map((v) => +v.toFixed(2)).join(', ')} cm)`, theta: scint },
  ];
}

/** Best of REPEATS runs (the least disturbed by other jobs), in photons per second. */
function measure(sim: CalorimeterSimulator, theta: number[]): { cpu: number; wall: number } {
  const rng = new Rng('speed');
  sim.simulate(theta, 20_000, rng); // warm-up: let V8 optimise the event loop
  let bestCpu = 0;
  let bestWall = 0;
  for (let r = 0; r < REPEATS; r++) {
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    sim.simulate(theta, EVENTS, rng);
    const wall = (performance.now() - wall0) / 1000;
    const cpuUsed = process.cpuUsage(cpu0);
    const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
    bestCpu = Math.max(bestCpu, EVENTS / cpu);
    bestWall = Math.max(bestWall, EVENTS / wall);
  }
  return { cpu: bestCpu, wall: bestWall };
}

const rows: (string | number)[][] = [];
const load0 = loadavg()[0]!;
for (const layers of [1, 2, 3]) {
  const sim = new CalorimeterSimulator({ layers });
  for (const d of designs(layers)) {
    const { cpu, wall } = measure(sim, d.theta);
    rows.push([layers, d.label, Math.round(cpu), Math.round(wall), (1e6 / cpu).toFixed(2)]);
    console.log(`${layers} layer(s), ${d.label}: ${Math.round(cpu)} photons/s per core (CPU time), ${Math.round(wall)} photons/s wall`);
  }
}
const load1 = loadavg()[0]!;

const body = [
  `Single thread, ${EVENTS} photons per run, best of ${REPEATS} runs after a warm-up; default options`,
  '(1–20 GeV, stochastic term 2.8 %/√E, constant term 0.3 %). Target: ≥ 300 000 photons/s per core for 3 layers.',
  `Load average while it ran: ${load0.toFixed(2)} → ${load1.toFixed(2)} on 2 cores (other jobs were running).`,
  '',
  table(['layers', 'design', 'photons/s per core (CPU time)', 'photons/s (wall)', 'µs per photon (CPU)'], rows),
].join('\n');
writeSection('calorimeter-speed', 'Calorimeter simulator speed', `npx tsx benchmarks/calorimeter-speed.ts${quick ? ' --quick' : ''}`, body);
