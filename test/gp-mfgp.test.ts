import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../lib/random.ts';
import { GaussianProcess } from '../surrogates/gp/gp.ts';
import { MultiFidelityGP, mfLikelihoodModelFor, type MfgpHyperparameters } from '../surrogates/gp/mfgp.ts';
import { logMarginalLikelihood } from '../surrogates/gp/likelihood.ts';
import { MfLikelihoodModel } from '../surrogates/gp/mfgp-model.ts';
import { ivrMfgp, ivrGp, maximizeAcquisition } from '../surrogates/gp/acquisition.ts';
import { forrester } from '../benchmarks/functions/mf-functions.ts';

const rng0 = new Rng('mf-data');
const XL = Array.from({ length: 10 }, () => [rng0.uniform(), rng0.uniform()]);
const XH = Array.from({ length: 4 }, () => [rng0.uniform(), rng0.uniform()]);
const g = (x: readonly number[]) => Math.sin(4 * x[0]!) + x[1]!;
const yL = XL.map(g);
const yH = XH.map((x) => g(x) + 0.05);

test('ρ = 1 and zero discrepancy reduce the MFGP to one GP on the pooled data', () => {
  for (const kernel of ['rbf', 'matern52'] as const) {
    const h: MfgpHyperparameters = { lengthscales: [[0.3, 0.5], [0.2, 0.2]], amplitude: [1.2, 1e-9], rho: [1], noise: [0.05, 0.05], mean: [0, 0] };
    const mf = new MultiFidelityGP({ kernel, normalize: false, hyperparameters: h });
    mf.fit([{ X: XL, y: yL }, { X: XH, y: yH }], { rng: new Rng(1) });
    const gp = new GaussianProcess({ kernel, normalize: false, mean: 'zero', hyperparameters: { lengthscales: [0.3, 0.5], amplitude: 1.2, noise: 0.05, derivativeNoise: 0, mean: 0 } });
    gp.fit({ X: [...XL, ...XH], y: [...yL, ...yH] }, { rng: new Rng(1) });
    const Xt = [[0.1, 0.9], [0.5, 0.5], [0.93, 0.2]];
    const a = mf.predict(Xt);
    const b = gp.predict(Xt);
    const a0 = mf.predict(Xt, 0);
    for (let i = 0; i < 3; i++) {
      assert.ok(Math.abs(a.mean[i]! - b.mean[i]!) < 1e-9, `${kernel} mean`);
      assert.ok(Math.abs(a.variance[i]! - b.variance[i]!) < 1e-9, `${kernel} variance`);
      assert.ok(Math.abs(a0.mean[i]! - b.mean[i]!) < 1e-9, `${kernel} low level mean`);
    }
    assert.ok(Math.abs(mf.logMarginalLikelihood - gp.logMarginalLikelihood) < 1e-8);
  }
});

test('MFGP likelihood gradient (kernels, ρ, noise, means; 3 levels) matches finite differences', () => {
  const XM = XL.slice(0, 5);
  const levels = [{ X: XL, y: yL }, { X: XM, y: XM.map((x) => 1.3 * g(x) - 0.2) }, { X: XH, y: yH }];
  for (const kernel of ['rbf', 'matern52'] as const) {
    const { model, y } = mfLikelihoodModelFor(levels, kernel);
    const rng = new Rng('p');
    const p = Float64Array.from({ length: model.nParams }, () => rng.uniformRange(-0.8, 0.5));
    const v = logMarginalLikelihood(model, y, p, true);
    for (let k = 0; k < model.nParams; k++) {
      const h = 1e-6;
      const pp = Float64Array.from(p);
      pp[k] = p[k]! + h;
      const fp = logMarginalLikelihood(model, y, pp, false).logML;
      pp[k] = p[k]! - h;
      const fm = logMarginalLikelihood(model, y, pp, false).logML;
      const fd = (fp - fm) / (2 * h);
      assert.ok(Math.abs(fd - v.grad![k]!) < 1e-5 * Math.max(1, Math.abs(fd)), `${kernel} ${model.paramNames[k]}: ${v.grad![k]} vs ${fd}`);
    }
  }
});

test('profiled-mean likelihood (GLS means) gradient matches finite differences', () => {
  const levels = [{ X: XL, y: yL.map((v) => v + 3) }, { X: XH, y: yH }];
  const obs = {
    T: 2,
    D: 2,
    X: Float64Array.from([...XL, ...XH].flat()),
    level: Int32Array.from([...XL.map(() => 0), ...XH.map(() => 1)]),
    y: Float64Array.from([...levels[0]!.y, ...levels[1]!.y]),
  };
  const P = 2 * 3 + 1 + 4;
  const model = new MfLikelihoodModel(obs, 'matern52', new Float64Array(P).fill(-20), new Float64Array(P).fill(20), true);
  const rng = new Rng('prof');
  const p = Float64Array.from({ length: P }, () => rng.uniformRange(-0.8, 0.5));
  const v = logMarginalLikelihood(model, obs.y, p, true);
  for (let k = 0; k < P - 2; k++) {
    const h = 1e-6;
    const pp = Float64Array.from(p);
    pp[k] = p[k]! + h;
    const fp = logMarginalLikelihood(model, obs.y, pp, false).logML;
    pp[k] = p[k]! - h;
    const fm = logMarginalLikelihood(model, obs.y, pp, false).logML;
    const fd = (fp - fm) / (2 * h);
    assert.ok(Math.abs(fd - v.grad![k]!) < 1e-5 * Math.max(1, Math.abs(fd)), `${model.paramNames[k]}: ${v.grad![k]} vs ${fd}`);
  }
});

test('Forrester: the MFGP learns ρ ≈ 2 and beats a GP on the 6 HF points; state() round trip', () => {
  const rng = new Rng('forrester');
  const XLf = Array.from({ length: 12 }, (_, i) => [(i + rng.uniform()) / 12]);
  const XHf = Array.from({ length: 6 }, (_, i) => [(i + rng.uniform()) / 6]);
  const mf = new MultiFidelityGP();
  const rep = mf.fit([{ X: XLf, y: XLf.map(forrester.levels[0]!) }, { X: XHf, y: XHf.map(forrester.levels[1]!) }], { rng });
  assert.ok(Math.abs(rep.hyperparameters.rho[0]! - 2) < 0.1, `rho ${rep.hyperparameters.rho}`);
  const gp = new GaussianProcess();
  gp.fit({ X: XHf, y: XHf.map(forrester.levels[1]!) }, { rng });
  const Xt = Array.from({ length: 200 }, (_, i) => [i / 199]);
  const yt = Xt.map(forrester.levels[1]!);
  const rm = Math.sqrt(mf.predict(Xt).mean.reduce((s, m, i) => s + (m - yt[i]!) ** 2, 0) / 200);
  const rg = Math.sqrt(gp.predict(Xt).mean.reduce((s, m, i) => s + (m - yt[i]!) ** 2, 0) / 200);
  assert.ok(rm < 0.2 && rm < rg / 3, `mfgp rmse ${rm}, gp ${rg}`);
  const back = MultiFidelityGP.fromState(JSON.parse(JSON.stringify(mf.state())), new Rng(0));
  const p1 = mf.predict([[0.3], [0.77]]);
  const p2 = back.predict([[0.3], [0.77]]);
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(p1.mean[i]! - p2.mean[i]!) < 1e-8 && Math.abs(p1.variance[i]! - p2.variance[i]!) < 1e-8);
  }
});

test('MFGP integrated variance reduction equals the refit variance drop; GP IVR peaks away from the data', () => {
  const h: MfgpHyperparameters = { lengthscales: [[0.3, 0.4], [0.5, 0.5]], amplitude: [1, 0.3], rho: [0.9], noise: [0.01, 0.02], mean: [0, 0] };
  const levels = [{ X: XL, y: yL }, { X: XH, y: yH }];
  const mf = new MultiFidelityGP({ normalize: false, hyperparameters: h });
  mf.fit(levels, { rng: new Rng(1) });
  const mc = Array.from({ length: 30 }, () => [rng0.uniform(), rng0.uniform()]);
  const varHF = (m: MultiFidelityGP) => m.predict(mc, 1).variance.reduce((a, b) => a + b, 0) / mc.length;
  const xNew = [0.37, 0.81];
  for (const level of [0, 1]) {
    const acq = ivrMfgp(mf, mc, level);
    const aug = levels.map((l, t) => (t === level ? { X: [...l.X, xNew], y: [...l.y, 0] } : l));
    const m2 = new MultiFidelityGP({ normalize: false, hyperparameters: h });
    m2.fit(aug, { rng: new Rng(1) });
    const drop = varHF(mf) - varHF(m2);
    assert.ok(Math.abs(acq(xNew) - drop) < 1e-10, `level ${level}: ${acq(xNew)} vs ${drop}`);
  }
  // a 1-D GP with data on the left: the IVR maximiser is on the right
  const gp = new GaussianProcess({ normalize: false, mean: 'zero', hyperparameters: { lengthscales: [0.1], amplitude: 1, noise: 0.01, derivativeNoise: 0, mean: 0 } });
  gp.fit({ X: [[0], [0.1], [0.2]], y: [0, 0.5, 0.2] }, { rng: new Rng(1) });
  const best = maximizeAcquisition(ivrGp(gp, Array.from({ length: 100 }, (_, i) => [i / 99])), { lower: [0], upper: [1], rng: new Rng(3) });
  assert.ok(best.x[0]! > 0.4, `IVR maximiser ${best.x[0]}`);
});

test('rhoPrior: the fit maximises log ML + log N(ρ; mean, sd²); a loose prior changes nothing, a tight one pulls ρ', () => {
  const rng = new Rng('forrester-prior');
  const XLf = Array.from({ length: 12 }, (_, i) => [(i + rng.uniform()) / 12]);
  const XHf = Array.from({ length: 6 }, (_, i) => [(i + rng.uniform()) / 6]);
  const levels = [{ X: XLf, y: XLf.map(forrester.levels[0]!) }, { X: XHf, y: XHf.map(forrester.levels[1]!) }];
  const fit = (rhoPrior?: { mean: number; sd: number }) => {
    const mf = new MultiFidelityGP(rhoPrior ? { rhoPrior: [rhoPrior] } : {});
    const rep = mf.fit(levels, { rng: new Rng('fit') });
    return { rho: rep.hyperparameters.rho[0]!, logML: mf.logMarginalLikelihood };
  };
  const free = fit();
  assert.ok(Math.abs(free.rho - 2) < 0.1, `free ρ ${free.rho}`);
  assert.ok(Math.abs(fit({ mean: 1, sd: 100 }).rho - free.rho) < 0.02);
  const tight = { mean: 1, sd: 0.05 };
  const pulled = fit(tight);
  assert.ok(pulled.rho < 1.5, `ρ under a N(1, 0.05²) prior: ${pulled.rho}`);
  const objective = (r: { rho: number; logML: number }) => r.logML - 0.5 * ((r.rho - tight.mean) / tight.sd) ** 2;
  assert.ok(objective(pulled) >= objective(free) - 1e-6, `MAP ${objective(pulled)} against the ML point ${objective(free)}`);
  assert.throws(() => new MultiFidelityGP({ rhoPrior: [{ mean: 1, sd: 0 }] }).fit(levels, { rng: new Rng(1) }), /rhoPrior\[0\]/);
  assert.throws(() => new MultiFidelityGP({ rhoPrior: [] }).fit(levels, { rng: new Rng(1) }), /rhoPrior: expected 1 entries/);
});

test('bad input names the field', () => {
  const mf = new MultiFidelityGP();
  assert.throws(() => mf.fit([{ X: [[0]], y: [1, 2] }], { rng: new Rng(1) }), /levels\[0\] has 1 inputs and 2 outputs/);
  assert.throws(() => mf.predict([[0]]), /fit\(\) first/);
});

test.run();
