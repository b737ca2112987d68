// The empirical-Bayes recommendation (pipelines/resum-recommend.ts): when the HF
// runs depart from what the other runs predict by more than their variances (here:
// the true rate has a design-level part that the CNP score, which sees only the
// smooth part, cannot predict), the fitted τ finds it and each simulated design's
// estimate leans on its own HF run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { Rng } from '../lib/random.ts';
import { estimateSimulated } from '../pipelines/resum-recommend.ts';
import type { MfgpHyperparameters } from '../surrogates/gp/mfgp.ts';
import { RareEventSurrogate, type DesignRecord } from '../surrogates/resum.ts';

await initBackend(undefined, { quiet: true });

const bounds = { lower: [0, 0], upper: [1, 1] };
/** the smooth part of the rate per event: a bowl around 3e-5 */
const smooth = (t: readonly number[]) => 3e-5 * (1 + 0.8 * (t[0]! - 0.4) ** 2 + 0.3 * t[1]!);

/**
 * 80 LF and 16 HF (+LF) designs. The true rate is smooth × (1 + roughness·z), z drawn once per
 * design; y_CNP is the smooth part only. The counts are Poisson-like around the true rate.
 */
function records(seed: string, roughness: number): { recs: DesignRecord[]; truth: Map<DesignRecord, number> } {
  const rng = new Rng(seed);
  const run = (rate: number, events: number, score: number) => {
    const m = Math.max(0, Math.round(rng.normal(rate * events, Math.sqrt(rate * events))));
    return { events, signals: m, yCnp: score };
  };
  const recs: DesignRecord[] = [];
  const truth = new Map<DesignRecord, number>();
  for (let i = 0; i < 96; i++) {
    const t = [rng.uniform(), rng.uniform()];
    const rate = smooth(t) * (1 + roughness * rng.normal(0, 1));
    const r: DesignRecord = i < 80 ? { theta: t, lf: run(rate, 10_000, smooth(t)) } : { theta: t, lf: run(rate, 10_000, smooth(t)), hf: run(rate, 10_000_000, smooth(t)) };
    recs.push(r);
    truth.set(r, rate);
  }
  return { recs, truth };
}

function compare(seed: string, roughness: number) {
  const { recs, truth } = records(seed, roughness);
  const model = new RareEventSurrogate('resum', bounds.lower, bounds.upper);
  model.fit(recs, { rng: new Rng(`${seed}/fit`) });
  const est = estimateSimulated(recs, model.hyperparameters() as MfgpHyperparameters, bounds, new Rng(`${seed}/loo`));
  const hf = recs.filter((r) => r.hf);
  const p = model.predict(hf.map((r) => r.theta));
  const rms = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
  return {
    tau: est.tau / 3e-5,
    model: rms(hf.map((r, i) => p.mean[i]! / truth.get(r)! - 1)),
    eb: rms(hf.map((r, i) => est.designs[i]!.mean / truth.get(r)! - 1)),
  };
}

test('a 10 % design-level part of the rate: the estimates at the simulated designs beat the model posterior', () => {
  const taus: number[] = [];
  for (const seed of ['eb-1', 'eb-2', 'eb-3']) {
    const c = compare(seed, 0.1);
    taus.push(c.tau);
    // τ is what the leave-one-out σ̂ misses: 0 when the model's own σ̂ already covers the departures
    assert.ok(c.tau < 0.2, `${seed}: τ ${c.tau.toFixed(3)} of the rate (true departure 0.1)`);
    // an HF run of 10⁷ events here holds ≈ 300–400 signals: ±5–6 %
    assert.ok(c.eb < 0.08, `${seed}: EB rms error ${c.eb.toFixed(3)}`);
    assert.ok(c.eb < c.model, `${seed}: EB rms ${c.eb.toFixed(3)} against the model's ${c.model.toFixed(3)}`);
  }
  assert.ok(taus.filter((t) => t > 0.05).length >= 2, `τ ${taus.map((t) => t.toFixed(3)).join(', ')}`);
});

test('no design-level error: τ stays small and the estimates stay as good as the model', () => {
  const c = compare('eb-0', 0);
  assert.ok(c.tau < 0.05, `τ ${c.tau.toFixed(3)} of the rate`);
  assert.ok(c.eb < 0.05 && c.model < 0.05, `rms errors: EB ${c.eb.toFixed(3)}, model ${c.model.toFixed(3)}`);
});

test('leave-one-out needs three HF runs', () => {
  const recs = records('few', 0).recs.filter((r, i) => !r.hf || i < 82);
  assert.throws(() => estimateSimulated(recs, {} as MfgpHyperparameters, bounds, new Rng('x')), /at least 3 HF runs \(got 2\)/);
});

test.run();
