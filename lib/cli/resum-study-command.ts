// `detopt study resum --seeds N`: the RESuM search of `detopt resum` for seeds S … S+N−1, one
// folder per seed under --out, then the spread of the recommended design over seeds
// (summary.json, a printed table and report.html). Finished seeds are skipped, so the command
// can be run again after a kill; a seed killed mid-search starts again from scratch (a RESuM
// search does not resume mid-way).
import type { Command } from 'commander';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateResumStudy, type ResumStudySummary } from '../../pipelines/resum-study.ts';
import { backendInfo, initBackend } from '../backend.ts';
import { readJson, RunFolder, writeJsonAtomic } from '../history.ts';
import { escapeHtml, factsHtml, formatCell, htmlPage, tableHtml } from '../plot/html.ts';
import { addResumOptions, executeResum, integerFlag, makeProblem, resumFolderConfig, resumPlanFromFlags, type ResumFlags, type ResumRunSummary } from './resum-command.ts';

interface ResumStudyFlags extends ResumFlags {
  seeds?: string;
}

const pm = (m: { mean: number; std: number } | null, f: (v: number) => string): string => (m ? `${f(m.mean)} ± ${f(m.std)}` : '—');
const sci = (v: number) => v.toExponential(3);

function reportHtml(s: ResumStudySummary, out: string): string {
  const rows = s.perSeed.map((r) => [String(r.seed), ...r.best.theta.map((v) => formatCell(v)), r.best.exact === null ? '—' : sci(r.best.exact), r.improvement === null ? '—' : `${(100 * r.improvement).toFixed(1)} %`, `${r.cost.percentEvents.toFixed(2)} %`]);
  rows.push(['mean ± std', ...s.names.map((n) => pm(s.best[n]!, (v) => formatCell(v))), pm(s.bestExact, sci), pm(s.improvement, (v) => `${(100 * v).toFixed(1)} %`), pm(s.percentEvents, (v) => `${v.toFixed(2)} %`)]);
  return htmlPage(
    `detopt study: resum (${s.problem})`,
    `<p>Written ${escapeHtml(new Date().toISOString())}; each seed's folder under ${escapeHtml(out)} holds its rounds (history.jsonl) and summary.json.</p>
${factsHtml([
  ['problem', s.problem],
  ['seeds', s.seeds.join(', ')],
])}
<h2>Recommended design per seed</h2>
${tableHtml(['seed', ...s.names, 'exact t̄ there', 'improvement on the baseline', 'cost (% of all-HF events)'], rows)}`,
  );
}

/**
 * A seed folder made with other settings must not be skipped into this study's mean ± std.
 * The backend may differ: it changes the last bits, not what the study compares.
 */
function checkSameResumConfig(folder: RunFolder, wanted: Record<string, unknown>): void {
  if (!existsSync(folder.configPath)) return;
  const existing = readJson<Record<string, unknown>>(folder.configPath, 'study resum');
  for (const key of new Set([...Object.keys(existing), ...Object.keys(wanted)])) {
    if (key === 'backend') continue;
    if (JSON.stringify(existing[key]) !== JSON.stringify(wanted[key])) {
      throw new Error(
        `study resum: ${folder.dir} holds a search with ${key} = ${JSON.stringify(existing[key])}, this study asks for ${JSON.stringify(wanted[key])}; choose another --out or remove that folder`,
      );
    }
  }
}

export function registerResumStudyCommand(program: Command): void {
  const group = program.commands.find((c) => c.name() === 'study') ?? program.command('study').description('run a paper study over several seeds (mean ± std, plots)');
  addResumOptions(group.command('resum').description('RESuM (seed 000) with several seeds: the spread of the recommended design (flags as detopt resum; --seed is the first seed)'))
    .option('--seeds <N>', 'number of seeds, from --seed on (default 3)')
    .option('--out <dir>', 'study folder, one seed-<s> folder per seed (default runs/study-resum-<problem>)')
    .action(async (f: ResumStudyFlags) => {
      const n = integerFlag(f.seeds, 'seeds', 1, 3);
      const first = resumPlanFromFlags({ ...f, out: undefined });
      const out = f.out ?? join('runs', `study-resum-${first.problem}`);
      await initBackend(f.backend, { quiet: true });
      const backend = backendInfo().name;
      const results: ResumRunSummary[] = [];
      for (let k = 0; k < n; k++) {
        const seed = Number(first.options.seed) + k; // the CLI seed is an integer (resumPlanFromFlags checks it)
        const plan = resumPlanFromFlags({ ...f, seed: String(seed), out: join(out, `seed-${seed}`) });
        const folder = new RunFolder(plan.out);
        checkSameResumConfig(folder, resumFolderConfig(plan, backend));
        if (existsSync(folder.summaryPath)) {
          if (!f.quiet) process.stderr.write(`study resum: seed ${seed} skipped (finished earlier, ${plan.out})\n`);
          results.push(readJson<ResumRunSummary>(folder.summaryPath, 'study resum'));
          continue;
        }
        if (existsSync(folder.historyPath)) {
          if (!f.quiet) process.stderr.write(`study resum: seed ${seed} was stopped mid-search; starting it again (${plan.out})\n`);
          rmSync(folder.historyPath);
          rmSync(folder.configPath, { force: true });
        }
        results.push(executeResum(plan, !!f.quiet, backend).summary);
      }
      const summary = aggregateResumStudy(first.problem, makeProblem(first).names, results.map((r) => ({ ...r, seed: Number(r.seed) })));
      writeJsonAtomic(join(out, 'summary.json'), summary);
      writeFileSync(join(out, 'report.html'), reportHtml(summary, out));
      if (f.json) {
        process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        return;
      }
      for (const r of summary.perSeed) {
        console.log(`seed ${r.seed}: best θ=[${r.best.theta.map((v) => v.toPrecision(4)).join(', ')}] exact ${r.best.exact === null ? '—' : sci(r.best.exact)}${r.improvement === null ? '' : `, improvement ${(100 * r.improvement).toFixed(1)} %`}`);
      }
      console.log(`over ${summary.seeds.length} seeds: ${summary.names.map((nm) => `${nm}=${pm(summary.best[nm]!, (v) => v.toPrecision(4))}`).join(' ')}; exact ${pm(summary.bestExact, sci)}; improvement ${pm(summary.improvement, (v) => `${(100 * v).toFixed(1)} %`)}`);
      console.log(`summary and report.html in ${out}`);
    });
}
