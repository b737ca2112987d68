// report.html of a study: the final design of every configuration (mean ± std over its finished
// seeds), the comparison panels and each configuration's evolution plot, in one self-contained page.
import { escapeHtml, factsHtml, htmlPage, tableHtml } from '../../lib/plot/html.ts';
import type { MeanStd } from './aggregate.ts';
import type { StudySummary } from './study-output.ts';

export interface StudyReportInput {
  summary: StudySummary;
  /** the comparison panels and the per-configuration plots: a heading and the SVG text */
  figures: { title: string; svg: string }[];
  /** when the report was written (ISO); a parameter so a test can fix it */
  writtenAt?: string;
}

/**
 * mean ± std; values below `resolution` print as 0 (a thickness of 2e-5 cm is a bound the step
 * pressed against, and its digits would only hide the numbers that matter)
 */
function meanStd(m: MeanStd | null | undefined, resolution = 0): string {
  if (!m) return '—';
  const f = (v: number, digits: number) => (Math.abs(v) < resolution ? '0' : v.toPrecision(digits));
  return `${f(m.mean, 4)} ± ${f(m.std, 2)}`;
}

/** The resolution of a configuration's numbers: 1e-4 of its largest parameter mean. */
function resolutionOf(parameters: Record<string, MeanStd>): number {
  return 1e-4 * Math.max(0, ...Object.values(parameters).map((m) => Math.abs(m.mean)));
}

export function studyReportHtml(input: StudyReportInput): string {
  const { summary } = input;
  const title = `detopt study: ${summary.study}`;
  const rows = summary.configurations.map((c) => {
    const res = resolutionOf(c.final.parameters);
    return [
      c.label,
      c.seeds.join(', '),
      `${c.energy.eMin}–${c.energy.eMax} GeV`,
      String(c.events),
      c.transferLearning ? 'on' : 'off',
      meanStd(c.final.objective),
      meanStd(c.final.sums.scintillator, res),
      meanStd(c.final.sums.absorber, res),
      Object.entries(c.final.parameters)
        .map(([name, m]) => `${name} ${meanStd(m, res)}`)
        .join(', '),
  ];
  });
  const facts: [string, string][] = [
    ['study', summary.study],
    ['seeds asked for', summary.seeds.join(', ')],
    ['configurations finished', `${summary.configurations.length} of ${summary.configurations.length + summary.missing.length}`],
  ];
  if (summary.missing.length) facts.push(['not finished yet (run the study command again to continue)', summary.missing.join(', ')]);
  const figures = input.figures.map((f) => `<h3>${escapeHtml(f.title)}</h3>\n<div class="scroll">${f.svg}</div>`).join('\n');
  return htmlPage(
    title,
    `<p>Written ${escapeHtml(input.writtenAt ?? new Date().toISOString())} from the finished runs under this folder; each run folder has its own report.html.</p>
${factsHtml(facts)}
<h2>Final designs</h2>
<p>Mean ± standard deviation over the finished seeds of each configuration, at the last iteration; the objective is the candidates' mean there.</p>
<div class="scroll">${tableHtml(['configuration', 'seeds', 'photons', 'M', 'TL', 'objective', 'Σ scintillator', 'Σ absorber', 'design'], rows)}</div>
<h2>Plots</h2>
${figures}`,
  );
}
