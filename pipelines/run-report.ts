// report.html of a run folder: one self-contained page (no scripts, no external files) that a
// physicist can open or mail: what was run, the design it recommends with how well each parameter
// is resolved, the evolution plot, and every iteration in a table.
import type { IterationRecord } from '../lib/loop.ts';
import type { RunSummary } from './run.ts';

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

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A number for a table cell: 4 significant digits, small integers as they are, '—' for none. */
function num(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  return v.toPrecision(4);
}

function tableHtml(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
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
  if (last) facts.push(['candidates\' objective in the last iteration', `${num(last.delta.mean)} ± ${num(last.delta.std)} (mean ± sd over ${last.delta.perCandidate.length})`]);
  if (summary.finalTruth !== null) facts.push(['exact objective at the final design', num(summary.finalTruth)]);
  if (summary.knownOptimum) facts.push(['known optimum value', num(summary.knownOptimum.value)]);
  if (summary.gapClosed !== null) facts.push(['gap closed', `${(100 * summary.gapClosed).toFixed(1)} %`]);
  facts.push(['failed simulations', failed === 0 ? 'none' : `${failed} (listed below; the other candidates' results were used)`]);
  return `<dl>\n${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}\n</dl>`;
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
    num(r.step.distance),
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

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}dl{display:grid;grid-template-columns:max-content auto;gap:2px 1em}
dt{font-weight:600}dd{margin:0}pre{background:#f7f7f7;padding:0.5em;overflow:auto;font-size:0.85em}.scroll{overflow-x:auto}`;

/** The whole page. */
export function runReportHtml(input: RunReportInput): string {
  const { summary } = input;
  const title = `detopt run: ${summary.problem}${summary.runDir ? ` (${summary.runDir})` : ''}`;
  const written = input.writtenAt ?? new Date().toISOString();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Written ${escapeHtml(written)} from the run folder's summary.json, history.jsonl and config.json.</p>
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
<pre>${escapeHtml(JSON.stringify(input.config, null, 2))}</pre>
</body>
</html>
`;
}
