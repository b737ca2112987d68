// report.html of a run folder and of a study: what they show, that user text cannot break the
// page, and that `detopt report` (rewriteRunReport) rebuilds a run's from the folder alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../lib/backend.ts';
import { rewriteRunReport, runPipeline, type RunSummary } from '../pipelines/run.ts';
import { runReportHtml } from '../pipelines/run-report.ts';
import { escapeHtml } from '../lib/plot/html.ts';
import { studyReportHtml } from '../pipelines/studies/study-report.ts';
import type { StudySummary } from '../pipelines/studies/study-output.ts';
import type { IterationRecord } from '../lib/loop.ts';

await initBackend(undefined, { quiet: true });
const root = mkdtempSync(join(tmpdir(), 'detopt-report-'));

/** The rows of the page's last table body (the iterations). */
function iterationRows(html: string): string[] {
  const tables = html.split('<tbody>');
  return tables[tables.length - 1]!.split('</tbody>')[0]!.split('<tr>').slice(1);
}

test('escapeHtml turns every markup character into an entity', () => {
  assert.is(escapeHtml(`<a href="x">'b' & c</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;b&#39; &amp; c&lt;/a&gt;');
});

test('a run writes report.html with the final design, one row per iteration and the known optimum', async () => {
  const out = join(root, 'quad');
  const s = await runPipeline({ problem: 'quadratic', dim: 2, iterations: 4, sigma: 1, trustRegion: 2, seed: 3, events: 100, surrogateOptions: { epochs: 100 } }, { out });
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(html.startsWith('<!doctype html>'));
  assert.ok(html.includes('<svg'), 'the evolution plot is inlined');
  assert.not.ok(/<script|src=|href=/.test(html), 'self-contained: no scripts and no links to other files');
  assert.is(iterationRows(html).length, 4);
  // the final design, 4 significant digits, and the known optimum's column (x1* = 1)
  for (const [name, v] of Object.entries(s.finalTheta)) {
    assert.ok(html.includes(`<td>${name}</td><td></td><td>-3</td><td>${v.toPrecision(4)}</td>`), `design row of ${name}`);
  }
  assert.ok(html.includes('<th>known optimum</th>'));
  assert.ok(html.includes(`${(100 * s.gapClosed!).toFixed(1)} %`), 'gap closed');
  assert.ok(html.includes('<dt>failed simulations</dt><dd>none</dd>'));
});

test('rewriteRunReport rebuilds the same page from the folder; a folder without a summary is named in the error', async () => {
  const out = join(root, 'quad');
  const before = readFileSync(join(out, 'report.html'), 'utf8');
  unlinkSync(join(out, 'report.html'));
  const path = await rewriteRunReport(out);
  const after = readFileSync(path, 'utf8');
  const withoutDate = (h: string) => h.replace(/Written [^ ]+ from/, 'Written from');
  assert.is(withoutDate(after), withoutDate(before));

  const unfinished = join(root, 'unfinished');
  await runPipeline({ problem: 'quadratic', dim: 2, iterations: 4, seed: 3, events: 100, surrogateOptions: { epochs: 50 } }, { out: unfinished, stopAfter: 1 });
  try {
    await rewriteRunReport(unfinished);
    assert.unreachable('a run without summary.json has no report');
  } catch (err) {
    assert.match((err as Error).message, join(unfinished, 'summary.json'));
  }
  const studyDir = join(root, 'a-study');
  mkdirSync(studyDir);
  writeFileSync(join(studyDir, 'summary.json'), JSON.stringify({ study: 'base', configurations: [] }));
  try {
    await rewriteRunReport(studyDir);
    assert.unreachable('a study folder is not a run');
  } catch (err) {
    assert.match((err as Error).message, `report: ${studyDir} is a study folder; run its study command again`);
  }
});

test('user text (a description, a simulation error) is escaped, and failures are listed with their candidate', () => {
  const record = {
    iteration: 0,
    theta: [0],
    thetaNext: [0.5],
    candidates: [[0.1], [0.2]],
    failed: [{ index: 1, error: 'candidate 1 (θ = [0.2]): y[0] is NaN <boom>' }],
    delta: { perCandidate: [1], mean: 1, std: 0, min: 1, max: 1 },
    prediction: { atTheta: 1, atNext: 0.9 },
    penaltyAtNext: 0,
    feasibleNext: true,
    objectiveInfo: {},
    surrogateFit: {},
    step: { steps: 1, stopReason: 'trust-region', distance: 0.5, startValue: 1, endValue: 0.9, radius: 1, evidence: { gain: 0, se: 0, t: Number.NaN, candidates: 1 }, gate: 'off' },
    timings: { simulation: 0, objective: 0, surrogate: 0, step: 0, total: 0.1 },
    backend: 'cpu',
    seed: 1,
  } as unknown as IterationRecord;
  const summary: RunSummary = {
    problem: 'custom',
    description: 'my <script>alert(1)</script> detector',
    iterations: 1,
    finalTheta: { t: 0.5 },
    averagedTheta: { t: 0.5 },
    spreadTheta: null,
    finalPrediction: 0.9,
    finalTruth: null,
    knownOptimum: null,
    gapClosed: null,
    feasible: true,
    backend: 'cpu',
    seed: 1,
    wallSeconds: 1,
    runDir: null,
  };
  const html = runReportHtml({ summary, config: { cost: 'a < b' }, history: [record], names: ['t'], units: ['cm'], start: [0], evolutionSvg: '<svg></svg>', averagedIterations: 10 });
  assert.not.ok(html.includes('<script>'));
  assert.ok(html.includes('my &lt;script&gt;alert(1)&lt;/script&gt; detector'));
  assert.ok(html.includes('<li>iteration 0: candidate 1 (θ = [0.2]): y[0] is NaN &lt;boom&gt;</li>'));
  assert.ok(html.includes('&quot;cost&quot;: &quot;a &lt; b&quot;'));
  assert.ok(html.includes('<dt>failed simulations</dt><dd>1 (listed below'));
  assert.not.ok(html.includes('known optimum'), 'no optimum column for a problem without one');
  assert.not.ok(html.includes('Σ'), 'sums only for calorimeter layers');
  const calo = runReportHtml({
    summary: { ...summary, finalTheta: { abs1: 0.25, scint1: 24.5 }, averagedTheta: null },
    config: {},
    history: [record],
    names: ['abs1', 'scint1'],
    units: ['cm', 'cm'],
    start: [1, 1],
    evolutionSvg: '<svg></svg>',
    averagedIterations: 10,
  });
  assert.ok(calo.includes('<dt>Σ scintillator at the final design</dt><dd>24.50 cm</dd>'));
  assert.ok(calo.includes('<dt>Σ absorber at the final design</dt><dd>0.2500 cm</dd>'));
  assert.ok(calo.includes('<dt>Σ total at the final design</dt><dd>24.75 cm</dd>'));
});

test('a study report lists unfinished configurations and prints a bound-pressed thickness as 0', () => {
  const ms = (mean: number, std: number) => ({ mean, std, n: 3 });
  const summary = {
    study: 'base',
    seeds: [1, 2, 3],
    configurations: [
      {
        label: 'mi-1layer',
        objective: 'mi',
        problem: 'mi-opt',
        layers: 1,
        events: 700,
        transferLearning: true,
        energy: { eMin: 1, eMax: 20 },
        seeds: [1, 2, 3],
        final: { parameters: { abs1: ms(2.1e-5, 3e-5), scint1: ms(24.2, 0.31) }, sums: { scintillator: ms(24.2, 0.31), absorber: ms(2.1e-5, 3e-5) }, objective: ms(2.25, 0.04), prediction: null, truth: null },
      },
    ],
    missing: ['mi-3layer'],
    plots: [],
  } as unknown as StudySummary;
  const html = studyReportHtml({ summary, figures: [{ title: 'BASE <overview>', svg: '<svg id="p"></svg>' }] });
  assert.ok(html.includes('<td>mi-1layer</td><td>1, 2, 3</td><td class="text">1–20 GeV</td><td>700</td><td class="text">on</td><td>2.250 ± 0.040</td><td>24.20 ± 0.31</td><td>0 ± 0</td><td class="text">abs1 0 ± 0, scint1 24.20 ± 0.31</td>'), 'numbers align right, text left');
  assert.ok(html.includes('<dd>1 of 2</dd>') && html.includes('<dd>mi-3layer</dd>'));
  assert.ok(html.includes('<h3>BASE &lt;overview&gt;</h3>') && html.includes('<svg id="p"></svg>'));
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
