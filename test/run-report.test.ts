// report.html of a run folder: what it shows, that user text cannot break the page, and that
// `detopt report` (rewriteRunReport) rebuilds it from the folder alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../lib/backend.ts';
import { rewriteRunReport, runPipeline, type RunSummary } from '../pipelines/run.ts';
import { escapeHtml, runReportHtml } from '../pipelines/run-report.ts';
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
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
