// report.html of a run folder: one self-contained page (no scripts, no external files) that a
// physicist can open or mail: what was run, the design it recommends with how well each parameter
// is resolved, the evolution plot, and every iteration in a table.
import type { IterationRecord } from '../lib/loop.ts';
import { escapeHtml, factsHtml, formatCell as num, htmlPage, tableHtml } from '../lib/plot/html.ts';
import type { RunSummary } from './run.ts';
import { sumIndices } from './studies/aggregate.ts';

export interface RunReportInput {
  summary: RunSummary;
  /** the run's config.json as parsed */
  config: Record<string, unknown>;
  history: readonly IterationRecord[];
  /** parameter names and units, in θ order */
  names: readonly string[];
  units: readonly string[];
  /** start design, in θ order */
  start: readonly number[];
  /** evolution.svg's content, inlined */
  evolutionSvg: string;
  /** how many final iterations RunSummary.averagedTheta and spreadTheta cover */
  averagedIterations: number;
  /** when the report was written (ISO); a parameter so a test can fix it */
  writtenAt?: string;
}

function designTable(input: RunReportInput): string {
  const { summary, names, units, start } = input;
  const optimum = summary.knownOptimum?.theta;
  const header = ['parameter', 'unit', 'start', 'final', `mean of the last designs`, 'spread (sd)'];
  if (optimum) header.push('known optimum');
  const rows = names.map((n, i) => {
    const row = [n, units[i] ?? '', num(start[i]), num(summary.finalTheta[n]), num(summary.averagedTheta?.[n]), num(summary.spreadTheta?.[n])];
    if (optimum) row.push(num(optimum[n]));
    return row;
  });
  return tableHtml(header, rows);
}

function factsList(input: RunReportInput): string {
  const { summary, history } = input;
  const last = history[history.length - 1];
  const failed = history.reduce((s, r) => s + r.failed.length, 0);
  const facts: [string, string][] = [
    ['problem', `${summary.problem}: ${summary.description}`],
    ['iterations', `${history.length} of ${summary.iterations} completed`],
    ['backend', summary.backend],
    ['seed', String(summary.seed)],
    ['wall time', `${summary.wallSeconds.toFixed(1)} s in the last process (a resumed run counts only its own part)`],
    ['final design feasible', summary.feasible ? 'yes' : 'no'],
    ['surrogate at the final design', num(summary.finalPrediction)],
  ];
  const sums = sumIndices(input.names);
  for (const [name, indices] of Object.entries(sums)) {
    const final = indices.reduce((t, i) => t + summary.finalTheta[input.names[i]!]!, 0);
    facts.push([`Σ ${name} at the final design`, `${num(final)} ${input.units[indices[0]!] ?? ''}`.trim()]);
  }
  if (last) facts.push(['candidates\' objective in the last iteration', `${num(last.delta.mean)} ± ${num(last.delta.std)} (mean ± sd over ${last.delta.perCandidate.length})`]);
  if (summary.finalTruth !== null) facts.push(['exact objective at the final design', num(summary.finalTruth)]);
  if (summary.knownOptimum) facts.push(['known optimum value', num(summary.knownOptimum.value)]);
  if (summary.gapClosed !== null) facts.push(['gap closed', `${(100 * summary.gapClosed).toFixed(1)} %`]);
  facts.push(['failed simulations', failed === 0 ? 'none' : `${failed} (listed below; the other candidates' results were used)`]);
  return factsHtml(facts);
}

function iterationTable(input: RunReportInput): string {
  const { history, names } = input;
  const hasTruth = history.some((r) => r.truth !== undefined);
  const header = ['iteration', ...names.map((n) => `${n} next`), 'objective mean', 'objective sd', 'surrogate at next', ...(hasTruth ? ['exact at next'] : []), 'step (σ)', 'stop', 'gate', 'failed', 'time (s)'];
  const rows = history.map((r) => [
    String(r.iteration),
    ...r.thetaNext.map((v) => num(v)),
    num(r.delta.mean),
    num(r.delta.std),
    num(r.prediction.atNext),
    ...(hasTruth ? [num(r.truth?.atNext)] : []),
    r.step.distance.toFixed(3),
    r.step.stopReason,
    r.step.gate,
    String(r.failed.length),
    r.timings.total.toFixed(1),
  ]);
  return tableHtml(header, rows);
}

function failureList(history: readonly IterationRecord[]): string {
  const items = history.flatMap((r) => r.failed.map((f) => `<li>iteration ${r.iteration}: ${escapeHtml(f.error)}</li>`));
  return items.length === 0 ? '' : `<h2>Failed simulations</h2>\n<ul>\n${items.join('\n')}\n</ul>`;
}

/** Mean time per stage over the iterations, in seconds. */
function timingLine(history: readonly IterationRecord[]): string {
  if (history.length === 0) return '';
  const stages = ['simulation', 'objective', 'surrogate', 'step', 'total'] as const;
  const mean = (k: (typeof stages)[number]) => history.reduce((s, r) => s + r.timings[k], 0) / history.length;
  return `<p>Mean time per iteration: ${stages.map((k) => `${k} ${mean(k).toFixed(2)} s`).join(', ')}.</p>`;
}

/** The whole page. */
export function runReportHtml(input: RunReportInput): string {
  const { summary } = input;
  const title = `detopt run: ${summary.problem}${summary.runDir ? ` (${summary.runDir})` : ''}`;
  const written = input.writtenAt ?? new Date().toISOString();
  return htmlPage(
    title,
    `<p>Written ${escapeHtml(written)} from the run folder's summary.json, history.jsonl and config.json.</p>
${factsList(input)}
<h2>Design</h2>
<p>“Mean of the last designs” averages the designs after the last ${Math.min(input.averagedIterations, input.history.length)} iterations; a spread near the step length marks a parameter the objective does not resolve, whose final value is the surrogate's noise rather than an optimum.</p>
${designTable(input)}
<h2>Evolution</h2>
<div class="scroll">${input.evolutionSvg}</div>
<h2>Iterations</h2>
${timingLine(input.history)}
<div class="scroll">${iterationTable(input)}</div>
${failureList(input.history)}
<h2>Configuration</h2>
<pre>${escapeHtml(JSON.stringify(input.config, null, 2))}</pre>`,
  );
}
