// Which design should an MI-OPT run recommend: its last iterate, or the mean of
// its last 10 designs (RunSummary.averagedTheta, iterate averaging)? Where MI is
// flat the last iterate is one step of a random walk, the mean cancels the walk;
// this checks that the mean costs no MI. For every run folder under --runs, MINE
// on N events at both designs (and at one reference design), with common random
// numbers: rep r uses the same photons' random stream and the same MINE member
// seed at every design (measured: this narrows the paired differences only a
// little, because MINE's training noise dominates).
// Usage: npx tsx benchmarks/mi-recommended-design.ts [--runs runs/studies-mi-shifts/base/mi-3layer]
//        [--events 10000] [--reps 8] [--id mi-recommended-design]  (--id names the RESULTS.md section, so
//        other runs' checks do not overwrite the first)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, backendInfo } from '../lib/backend.ts';
import { Rng } from '../lib/random.ts';
import { CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { estimateMIBatched, type MineDataset } from '../objectives/mine.ts';
import type { RunSummary } from '../pipelines/run.ts';
import { meetsPaperCriterion } from './paper-criterion.ts';
import { integerFlag, loadAtStart, loadLine, table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const runsDir = runsArg >= 0 ? args[runsArg + 1]! : 'runs/studies-mi-shifts/base/mi-3layer';
const events = integerFlag(args, '--events', 10000, 100);
const reps = integerFlag(args, '--reps', 8, 2);
const idArg = args.indexOf('--id');
const sectionId = idArg >= 0 ? args[idArg + 1]! : 'mi-recommended-design';
if (!/^[a-z0-9-]+$/.test(sectionId)) throw new Error(`--id: expected lower-case letters, digits and '-', got "${sectionId}"`);

interface RunConfigFile {
  dim: number;
  problemOptions?: { eMin?: number; eMax?: number };
}

const seedDirs = existsSync(runsDir) ? readdirSync(runsDir).filter((d) => /^seed-/.test(d) && existsSync(join(runsDir, d, 'summary.json'))).sort() : [];
if (seedDirs.length === 0) throw new Error(`--runs: no finished run (seed-*/summary.json) under ${runsDir}`);
const runs = seedDirs.map((d) => {
  const summary = JSON.parse(readFileSync(join(runsDir, d, 'summary.json'), 'utf8')) as RunSummary;
  const config = JSON.parse(readFileSync(join(runsDir, d, 'config.json'), 'utf8')) as RunConfigFile;
  if (!summary.averagedTheta) throw new Error(`${join(runsDir, d)}: summary.json has no averagedTheta`);
  return { name: d, summary, config };
});
const names = Object.keys(runs[0]!.summary.finalTheta);
const layers = runs[0]!.config.dim;
const eMin = runs[0]!.config.problemOptions?.eMin ?? 1;
const eMax = runs[0]!.config.problemOptions?.eMax ?? 20;
const values = (named: Record<string, number>) => names.map((n) => named[n]!);
/** reference: every centimetre in the first scintillator, total at the 25 cm limit */
const reference = names.map((n) => (n === 'scint1' ? 25 : 0));

const meets = (theta: readonly number[]) => meetsPaperCriterion(names, theta);

const load0 = loadAtStart();
await initBackend();
const t0 = performance.now();
const sim = new CalorimeterSimulator({ layers, eMin, eMax });
const designs = [...runs.flatMap((r) => [values(r.summary.finalTheta), values(r.summary.averagedTheta!)]), reference];

/** MI at one design, rep by rep: photons from stream r, MINE member r seeded the same at every design. */
async function miAt(theta: number[]): Promise<number[]> {
  const datasets: MineDataset[] = Array.from({ length: reps }, (_, r) => {
    const b = sim.simulate(theta, events, new Rng(`mi-recommended-design/photons/${r}`));
    return { a: Float32Array.from(b.x), aDim: 1, b: Float32Array.from(b.y), bDim: layers, n: b.n };
  });
  const est = await estimateMIBatched(datasets, {}, new Rng('mi-recommended-design/mine'));
  return est.map((e) => e.mi);
}

const mi: number[][] = [];
for (const [i, theta] of designs.entries()) {
  mi.push(await miAt(theta));
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0)} s] design ${i + 1}/${designs.length}\n`);
}

const meanSe = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const se = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length);
  return { m, se };
};
const pm = (s: { m: number; se: number }, sign = false) => `${sign && s.m >= 0 ? '+' : ''}${s.m.toFixed(3)} ± ${s.se.toFixed(3)}`;
const fmt = (t: number[]) => `(${t.map((v) => v.toFixed(2)).join(', ')})`;
const refMi = mi[mi.length - 1]!;
const rows: string[][] = [];
const diffs: { m: number; se: number }[] = [];
runs.forEach((r, k) => {
  const fin = mi[2 * k]!;
  const avg = mi[2 * k + 1]!;
  const diff = meanSe(avg.map((v, j) => v - fin[j]!));
  diffs.push(diff);
  rows.push([r.name, 'last iterate', fmt(designs[2 * k]!), meets(designs[2 * k]!) ? 'yes' : 'no', pm(meanSe(fin)), '', pm(meanSe(fin.map((v, j) => v - refMi[j]!)), true)]);
  rows.push([r.name, 'mean of the last 10 designs', fmt(designs[2 * k + 1]!), meets(designs[2 * k + 1]!) ? 'yes' : 'no', pm(meanSe(avg)), pm(diff, true), pm(meanSe(avg.map((v, j) => v - refMi[j]!)), true)]);
});
rows.push(['reference', 'all in scint1, total 25 cm', fmt(reference), meets(reference) ? 'yes' : 'no', pm(meanSe(refMi)), '', '']);
const seconds = (performance.now() - t0) / 1000;
const worse = diffs.filter((d) => d.m < -2 * d.se).length;
const better = diffs.filter((d) => d.m > 2 * d.se).length;
const body = [
  `Runs: ${runsDir} (${layers} layers, photons ${eMin}–${eMax} GeV). MINE with the MI-OPT defaults on ${events} photons per estimate, ${reps} estimates per design (mean ± standard error).`,
  `Common random numbers: estimate r of every design uses the same photon stream and the same MINE member seed, and the differences are taken pair by pair (mean ± standard error over the ${reps} pairs); this narrows them only a little, because MINE's training noise dominates.`,
  '',
  table(['run', 'design', 'θ (cm)', "meets seed 002's criterion", 'MI (nats)', 'mean − last iterate (nats)', 'vs reference (nats)'], rows),
  '',
  `Mean of the last 10 designs against the last iterate: better by more than 2 standard errors in ${better} of ${runs.length} runs, worse in ${worse}, equal within 2 standard errors in ${runs.length - better - worse}.`,
  `Took ${seconds.toFixed(0)} s (${backendInfo().name}). ${loadLine(load0)}`,
].join('\n');
const flags = `${runsArg >= 0 ? ` --runs ${runsDir}` : ''}${events !== 10000 ? ` --events ${events}` : ''}${reps !== 8 ? ` --reps ${reps}` : ''}${idArg >= 0 ? ` --id ${sectionId}` : ''}`;
const title = idArg >= 0 ? `MI-OPT: last iterate or mean of the last 10 designs? (${runsDir})` : 'MI-OPT: last iterate or mean of the last 10 designs?';
writeSection(sectionId, title, `npx tsx benchmarks/mi-recommended-design.ts${flags}`, body, backendInfo().name);
console.log(body);
