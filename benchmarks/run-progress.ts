// Per-iteration progress of one run folder (finished or still partial) as a
// RESULTS.md section: θ at the start of each iteration, the mean objective over
// the candidates, the surrogate at θ, and the wall time with its objective part.
// For runs too long to finish in one session (MI-OPT: ~100 s per iteration), so
// that what they reached is recorded by a script, not by hand.
// Usage: npx tsx benchmarks/run-progress.ts <run dir> --id <section id> --title "<title>" [--note "<text>"]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IterationRecord } from '../lib/loop.ts';
import { table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = args[0];
const id = flag('--id');
const title = flag('--title');
if (!dir || dir.startsWith('--') || !id || !title) {
  console.error('usage: npx tsx benchmarks/run-progress.ts <run dir> --id <section id> --title "<title>" [--note "<text>"]');
  process.exit(2);
}
const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { problem: string; iterations: number; candidates: number; events: number; transferLearning: boolean };
const records = readFileSync(join(dir, 'history.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l) as IterationRecord);
if (records.length === 0) throw new Error(`${dir}: the history is empty`);
const f = (v: number) => v.toFixed(2);
// runs made before the radius was recorded (or with a fixed radius) show no radius column
const adaptive = (config as { adaptiveTrustRegion?: boolean }).adaptiveTrustRegion === true;
const rows = records.map((r) => [
  r.iteration + 1,
  r.theta.map(f).join(', '),
  r.delta.mean.toFixed(3),
  r.prediction.atTheta.toFixed(3),
  r.timings.total.toFixed(0),
  r.timings.objective.toFixed(0),
  ...(adaptive ? [(r.step.radius ?? NaN).toFixed(3)] : []),
]);
const last = records[records.length - 1]!;
const body = `
Run folder \`${dir}\`: ${config.problem}, K = ${config.candidates} candidates × M = ${config.events} events, TL ${config.transferLearning ? 'on' : 'off'};
${records.length} of ${config.iterations} iterations done (the run resumes with \`npx detopt run --resume ${dir}\`). Design after the last iteration:
${last.thetaNext.map(f).join(', ')}.${flag('--note') ? `\n\n${flag('--note')}` : ''}

${table(['iteration', 'θ at its start', 'objective δ̄ (mean over K)', 'surrogate at θ', 's / iteration', 'objective s', ...(adaptive ? ['trust radius (σ)'] : [])], rows)}
`;
writeSection(id, title, `npx tsx benchmarks/run-progress.ts ${dir} --id ${id} --title "${title}"`, body, last.backend);
console.log(body);
