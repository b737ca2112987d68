import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { DesignSpace, type DesignSpaceSpec } from '../lib/space.ts';
import { tf } from '../lib/tf.ts';

await initBackend(undefined, { quiet: true });

const base = (): DesignSpaceSpec => ({
  parameters: [
    { name: 'abs1', unit: 'cm', lower: 0, upper: 25, start: 1, sigma: 1.5 },
    { name: 'scint1', unit: 'cm', lower: 0, upper: 25, start: 1, sigma: 1.5 },
  ],
  constraints: ['abs1 + scint1 <= 25'],
});

function throwsNaming(spec: DesignSpaceSpec, pattern: RegExp): void {
  try {
    new DesignSpace(spec);
  } catch (err) {
    assert.match((err as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected an error matching ${pattern}`);
}

test('bad spaces give errors that name the field', () => {
  const s1 = base();
  s1.constraints = ['abs1 + scint2 <= 25'];
  throwsNaming(s1, /space\.constraints\[0\]: unknown parameter "scint2"/);
  const s2 = base();
  s2.parameters[0]!.lower = 30;
  throwsNaming(s2, /space\.parameters\[0\] \(abs1\): bounds reversed/);
  const s3 = base();
  s3.parameters[1]!.start = 26;
  throwsNaming(s3, /space\.parameters\[1\] \(scint1\)\.start: 26 is outside/);
  const s4 = base();
  s4.parameters[0]!.sigma = 0;
  throwsNaming(s4, /space\.parameters\[0\] \(abs1\)\.sigma: must be > 0/);
  const s5 = base();
  s5.constraints = ['abs1 + <= 25'];
  throwsNaming(s5, /space\.constraints\[0\]: cannot parse/);
  const s6 = base();
  s6.parameters[1]!.name = 'abs1';
  throwsNaming(s6, /space\.parameters\[1\] \(abs1\)\.name: duplicate parameter name "abs1"/);
  const s7 = base();
  s7.constraints = ['abs1 + scint1'];
  throwsNaming(s7, /space\.constraints\[0\]: "abs1 \+ scint1" is not a constraint/);
  const s8 = base();
  s8.cost = 'abs1 * foo';
  throwsNaming(s8, /space\.cost: unknown parameter "foo"/);
});

test('constraint violations, feasibility and the penalty value', () => {
  const space = new DesignSpace(base());
  assert.equal(space.violations([10, 10]), [0]);
  assert.ok(Math.abs(space.violations([20, 10])[0]! - 5) < 1e-12);
  assert.ok(space.isFeasible([10, 10]));
  assert.not.ok(space.isFeasible([20, 10]));
  assert.not.ok(space.isFeasible([-1, 10]));
  assert.ok(Math.abs(space.penaltyValue([20, 10]) - 1000 * 25) < 1e-9);
});

test('the penalty gradient reaches θ: d/dθ w·relu(a+s−25)² = 2w·violation', () => {
  const space = new DesignSpace({ ...base(), constraints: ['abs1 + 2*scint1 >= 30', 'sqrt(abs1^2) <= 20'] });
  const theta = [22, 3]; // violations: 30 − 28 = 2 (≥), 22 − 20 = 2 (≤)
  const g = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => space.penalty(t as tf.Tensor1D))(tf.tensor1d(theta)).dataSync()));
  // d/d abs1: 2w·2·(−1) + 2w·2·(+1) = 0; d/d scint1: 2w·2·(−2) = −8000
  assert.ok(Math.abs(g[0]!) < 1e-2, `abs1 gradient ${g[0]}`);
  assert.ok(Math.abs(g[1]! + 8000) < 1e-1, `scint1 gradient ${g[1]}`);
});

test('integer parameters are rounded for simulation and clipped to bounds', () => {
  const space = new DesignSpace({
    parameters: [
      { name: 'n', lower: 4, upper: 360, start: 100, sigma: 10, kind: 'integer' },
      { name: 'r', lower: 90, upper: 265, start: 100, sigma: 5 },
    ],
    cost: '0.5 * n',
  });
  assert.equal(space.round(space.clip([3.4, 300.5])), [4, 265]);
  assert.equal(space.round([99.6, 100.4]), [100, 100.4]);
  assert.is(space.cost([10, 100]), 5);
  assert.ok(Math.abs(space.distance([110, 100], [100, 95]) - Math.SQRT2) < 1e-12);
});

test.run();
