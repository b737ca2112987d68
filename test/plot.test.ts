// SVG plots (vega-lite → vega View.toSVG, headless): the evolution plot of one
// configuration and the comparison grid carry the expected series and titles.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evolutionSvg, objectiveRows, thicknessRows, type EvolutionData } from '../lib/plot/evolution.ts';
import { gridSvg } from '../lib/plot/grid.ts';

const data: EvolutionData = {
  parameters: ['abs1', 'scint1'],
  iterations: [
    { iteration: 0, theta: { abs1: { mean: 1, std: 0 }, scint1: { mean: 1, std: 0 } }, objective: { mean: 0.5, std: 0.1 }, prediction: { mean: 0.45, std: 0.05 } },
    { iteration: 1, theta: { abs1: { mean: 0.6, std: 0.2 }, scint1: { mean: 3, std: 0.5 } }, objective: { mean: 0.3, std: 0.05 }, prediction: { mean: 0.32, std: 0.02 } },
    { iteration: 2, theta: { abs1: { mean: 0.2, std: 0.1 }, scint1: { mean: 6, std: 1 } }, objective: null, prediction: { mean: 0.2, std: 0.03 } },
  ],
};

const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
const areaCount = (svg: string): number => (svg.match(/aria-roledescription="area mark"/g) ?? []).length;
const lineCount = (svg: string): number => (svg.match(/aria-roledescription="line mark"/g) ?? []).length;

test('rows: band = mean ± std per parameter and per objective series', () => {
  const rows = thicknessRows(data);
  assert.is(rows.length, 6);
  const scint = rows.find((r) => r.iteration === 2 && r.parameter === 'scint1')!;
  assert.equal([scint.lo, scint.mean, scint.hi], [5, 6, 7]);
  const obj = objectiveRows(data);
  assert.is(obj.filter((r) => r.series === 'measured').length, 2, 'no measurement at the final θ');
  assert.is(obj.filter((r) => r.series === 'surrogate').length, 3);
  const m1 = obj.find((r) => r.series === 'measured' && r.iteration === 1)!;
  assert.ok(Math.abs(m1.lo - 0.25) < 1e-12 && Math.abs(m1.hi - 0.35) < 1e-12);
});

test('evolution SVG: title, both axis titles, parameter and objective legends, bands and lines', async () => {
  const svg = await evolutionSvg(data, { title: 'reco-1layer', subtitle: '1 layer, M = 700', objectiveTitle: 'reconstruction loss' });
  assert.ok(svg.startsWith('<svg'), svg.slice(0, 40));
  const t = texts(svg);
  for (const s of ['reco-1layer', '1 layer, M = 700', 'thickness [cm]', 'reconstruction loss', 'iteration', 'abs1', 'scint1', 'measured', 'surrogate']) {
    assert.ok(t.includes(s), `missing text "${s}" in ${t.join(' | ')}`);
  }
  assert.not.ok(t.includes('truth'), 'no truth series when the data has none');
  // One band per parameter + one per objective series; one line per parameter + one per series.
  assert.is(areaCount(svg), 2 + 2);
  assert.is(lineCount(svg), 2 + 2);
  // The surrogate is dashed, the measurement solid (seed 002: gray solid vs gray dashed).
  assert.ok(svg.includes('stroke-dasharray="6,4"') && svg.includes('stroke-dasharray="1,0"'));
  // Two y axes: the objective axis sits on the right of the 360-px-wide frame.
  assert.ok(/translate\(360\.5,0\.5\)/.test(svg), 'right-hand axis at x = 360');
});

test('evolution SVG without objective values draws only the thicknesses', async () => {
  const bare: EvolutionData = { parameters: data.parameters, iterations: data.iterations.map((p) => ({ iteration: p.iteration, theta: p.theta })) };
  const svg = await evolutionSvg(bare, { objectiveTitle: 'mutual information' });
  assert.is(areaCount(svg), 2);
  assert.not.ok(texts(svg).includes('mutual information'));
});

test('grid SVG: every cell title appears, cells side by side', async () => {
  const svg = await gridSvg(
    [
      { cells: [{ title: 'TL, M = 50', data }, { title: 'no TL, M = 50', data }] },
      { cells: [{ title: 'TL, M = 5', data }, { title: 'no TL, M = 5', data, options: { objectiveTitle: 'mutual information' } }] },
    ],
    { title: 'TRANSFER' },
  );
  const t = texts(svg);
  for (const s of ['TRANSFER', 'TL, M = 50', 'no TL, M = 50', 'TL, M = 5', 'no TL, M = 5', 'mutual information', 'objective']) assert.ok(t.includes(s), `missing "${s}"`);
  assert.is(areaCount(svg), 4 * 4);
  const width = Number(/<svg[^>]*width="(\d+)"/.exec(svg)![1]);
  assert.ok(width > 2 * 300, `two cells side by side need > 600 px, got ${width}`);
});

test('bad input names what is wrong', async () => {
  const missing: EvolutionData = { parameters: ['abs1', 'abs2'], iterations: data.iterations };
  assert.throws(() => thicknessRows(missing), /iteration 0 has no value for parameter abs2/);
  const nan: EvolutionData = { parameters: ['abs1'], iterations: [{ iteration: 0, theta: { abs1: { mean: NaN, std: 0 } } }] };
  assert.throws(() => thicknessRows(nan), /iteration 0 abs1/);
  try {
    await gridSvg([]);
    assert.unreachable('empty grid accepted');
  } catch (err) {
    assert.match(String(err), /every row needs at least one cell/);
  }
});

test.run();
