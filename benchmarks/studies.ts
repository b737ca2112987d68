// Summarises the finished paper studies in runs/studies (BASE, TRANSFER,
// ENERGY; run them with `detopt study ...`) into benchmarks/RESULTS.md: final
// thicknesses (mean ± std over seeds) against seed 002's findings, and the
// wall time per iteration split by stage.
// Usage: npx tsx benchmarks/studies.ts [--out runs/studies] [--note "<which code made which runs>"]
//        [--id <section id> --title "<title>"] (another section, e.g. for runs kept from older code)
// It first (re)writes each study's aggregate.json, plots and summary.json from
// the run folders (it runs nothing), then reads the final design of every run
// from its history (the last completed iteration, so a run stopped while being
// extended counts with the iterations it has).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IterationRecord } from '../lib/loop.ts';
import { planStudy, type ObjectiveName, type StudyName } from '../pipelines/studies/study-spec.ts';
import { writeStudyOutputs, type ConfigurationAggregate } from '../pipelines/studies/study-output.ts';
import { averagedDesign } from '../pipelines/run.ts';
import { meetsPaperCriterion } from './paper-criterion.ts';
import { table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = outArg >= 0 ? args[outArg + 1]! : 'runs/studies';
const noteArg = args.indexOf('--note');
const note = noteArg >= 0 ? args[noteArg + 1] : undefined;
const idArg = args.indexOf('--id');
const titleArg = args.indexOf('--title');
const sectionId = idArg >= 0 ? args[idArg + 1]! : 'studies';
const sectionTitle = titleArg >= 0 ? args[titleArg + 1]! : 'Paper studies (BASE, TRANSFER, ENERGY)';

const pm = (m: { mean: number; std: number } | undefined | null, digits = 2) => (m ? `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}` : '–');

interface Row {
  label: string;
  cells: (string | number)[];
}

function studyRows(study: string): { rows: Row[]; timings: Map<string, number[][]> } {
  const rows: Row[] = [];
  const timings = new Map<string, number[][]>();
  const summaryPath = join(out, study, 'summary.json');
  if (!existsSync(summaryPath)) return { rows, timings };
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { configurations: { label: string }[] };
  for (const c of summary.configurations) {
    const aggPath = join(out, study, c.label, 'aggregate.json');
    if (!existsSync(aggPath)) continue;
    const agg = JSON.parse(readFileSync(aggPath, 'utf8')) as ConfigurationAggregate;
    const histories = agg.runDirs.map((d) => readFileSync(join(d, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as IterationRecord));
    const finals = histories.map((h) => ({ finalTheta: Object.fromEntries(agg.parameters.map((n, i) => [n, h[h.length - 1]!.thetaNext[i]!])) }));
    const absNames = agg.parameters.filter((p) => /^abs\d+$/.test(p));
    const maxAbs = finals.map((f) => Math.max(...absNames.map((n) => f.finalTheta[n]!)));
    const scint = agg.final.sums.scintillator;
    const total = agg.final.sums.total;
    const meets = (theta: readonly number[]) => meetsPaperCriterion(agg.parameters, theta);
    const passes = histories.filter((h) => meets(h[h.length - 1]!.thetaNext)).length;
    // how steady the criterion is at the end: designs after each of the last 10 iterations that meet it
    const lastTen = histories.map((h) => h.slice(-10).filter((r) => meets(r.thetaNext)).length).join(', ');
    // how fast: the first iteration after which Σ scintillator ≥ 20 cm
    const scintOf = (theta: readonly number[]) => theta.filter((_, k) => /^scint\d+$/.test(agg.parameters[k]!)).reduce((a, v) => a + v, 0);
    const first20 = histories.map((h) => {
      const i = h.findIndex((r) => scintOf(r.thetaNext) >= 20);
      return i < 0 ? '–' : `${i + 1}`;
    }).join(', ');
    // the run summary's iterate-averaged design (mean of the last 10)
    const averagedPasses = histories.filter((h) => meets(averagedDesign(h)!)).length;
    const iterations = histories.map((h) => h.length).join(', ');
    rows.push({
      label: c.label,
      cells: [
        c.label,
        `${finals.length}`,
        iterations,
        pm(scint),
        pm(agg.final.sums.absorber),
        maxAbs.map((v) => v.toFixed(2)).join(', '),
        pm(total),
        pm(agg.final.objective, 4),
        first20,
        `${passes}/${finals.length}`,
        lastTen,
        `${averagedPasses}/${finals.length}`,
      ],
    });
    const split: number[][] = histories.flat().map((r) => [r.timings.total, r.timings.simulation, r.timings.objective, r.timings.surrogate, r.timings.step]);
    timings.set(c.label, split);
  }
  return { rows, timings };
}

/** Rebuilds a study's outputs from whatever configurations and seeds its folder holds. */
async function refresh(study: StudyName): Promise<void> {
  const dir = join(out, study);
  if (!existsSync(dir)) return;
  const labels = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const objectives = [...new Set(labels.map((l) => l.split('-')[0]!))].filter((o): o is ObjectiveName => o === 'reco' || o === 'mi');
  const layers = [...new Set(labels.map((l) => Number(/-(\d+)layer/.exec(l)?.[1])))].filter((n) => n > 0);
  const events = [...new Set(labels.map((l) => Number(/-M(\d+)-/.exec(l)?.[1])).filter((n) => n > 0))];
  if (objectives.length === 0 || layers.length === 0) return;
  // seeds: the most found in any configuration's run folder (the ENERGY baseline's live under base/)
  const folders = planStudy({ study, objectives, layers, ...(events.length ? { events } : {}), seeds: 1, firstSeed: 1 }).configurations.map((c) => join(out, c.runsFolder));
  const seeds = Math.max(0, ...folders.filter((f) => existsSync(f)).flatMap((f) => readdirSync(f).map((s) => Number(/^seed-(\d+)$/.exec(s)?.[1] ?? 0))));
  if (!(seeds > 0)) return;
  const plan = planStudy({ study, objectives, layers, ...(events.length ? { events } : {}), seeds, firstSeed: 1 });
  await writeStudyOutputs(plan, out);
}

for (const study of ['base', 'transfer', 'energy'] as const) await refresh(study);

const header = ['configuration', 'seeds', 'iterations per seed', 'Σ scintillator (cm)', 'Σ absorber (cm)', 'max absorber per seed', 'total (cm)', 'last δ̄ (objective)', 'first iteration with Σ scintillator ≥ 20 cm', 'seeds meeting Σscint ≥ 20, abs ≤ 1, total ≤ 25.5', 'of the last 10 designs per seed, meeting it', 'seeds whose mean design of the last 10 iterations meets it'];
const parts: string[] = [];
const allTimings = new Map<string, number[][]>();
for (const study of ['base', 'transfer', 'energy']) {
  const { rows, timings } = studyRows(study);
  if (rows.length === 0) continue;
  parts.push(`### ${study.toUpperCase()}`, '', table(header, rows.map((r) => r.cells)), '');
  for (const [k, v] of timings) allTimings.set(`${study}/${k}`, v);
}
const timingRows = [...allTimings].map(([label, rows]) => {
  const mean = (i: number) => rows.reduce((s, r) => s + r[i]!, 0) / rows.length;
  return [label, rows.length, mean(0).toFixed(1), mean(1).toFixed(2), mean(2).toFixed(1), mean(3).toFixed(1), mean(4).toFixed(1)];
});
parts.push(
  '### Wall time per iteration (mean over all iterations of all seeds, seconds)',
  '',
  table(['configuration', 'iterations', 'total', 'simulation', 'objective (reco / MINE)', 'surrogate fit', 'step'], timingRows),
);
const body = [
  'Final designs of the paper studies (seed 002 Figs. 3–9) from the run folders under `' + out + '`; mean ± std over seeds.',
  'The runs are made with `npx detopt study base|transfer ...` (30 iterations by default) and extended with `npx detopt run --resume <run folder> --iterations N`; the iterations each seed ran are in the table.',
  'Seed 002 finds Σ scintillator ≥ 20 cm, absorbers → ~0, total at the 25 cm limit. The timings are read from the run histories: where runs shared the 2 cores (the note says when) they are upper bounds; `npx tsx benchmarks/iteration-time.ts` measures them alone.',
  ...(note ? ['', note] : []),
  '',
  ...parts,
].join('\n');
const flags = `${outArg >= 0 ? ` --out ${out}` : ''}${note ? ' --note "…"' : ''}${idArg >= 0 ? ` --id ${sectionId}` : ''}${titleArg >= 0 ? ` --title "${sectionTitle}"` : ''}`;
writeSection(sectionId, sectionTitle, `npx tsx benchmarks/studies.ts${flags}`, body);
console.log(body);
