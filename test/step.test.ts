// The design step on a known surrogate: where the steepest-descent direction points into an active
// bound or constraint, the step must follow the projected gradient along the face instead of stalling.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import type { Surrogate } from '../lib/contracts.ts';
import { DesignSpace } from '../lib/space.ts';
import { stepDesign, type StepOptions } from '../lib/step.ts';
import { tf } from '../lib/tf.ts';

await initBackend(undefined, { quiet: true });

/** A fixed differentiable function posing as a fitted surrogate. */
function known(f: (t: tf.Tensor1D) => tf.Scalar): Surrogate {
  return {
    name: 'known',
    fit: async () => ({ loss: 0, epochs: 0, seconds: 0 }),
    predict: f,
    state: async () => null,
    load: async () => {},
    dispose: () => {},
  };
}

/** a, b, c ≥ 0 with Σ ≤ 3: at (0, 2, 1) the sum constraint and a's bound are both active. */
function faceSpace(): DesignSpace {
  return new DesignSpace({
    parameters: [
      { name: 'a', lower: 0, upper: 10, start: 0, sigma: 1 },
      { name: 'b', lower: 0, upper: 10, start: 2, sigma: 1 },
      { name: 'c', lower: 0, upper: 10, start: 1, sigma: 1 },
    ],
    constraints: ['a + b + c <= 3'],
  });
}

const opts: StepOptions = {
  trustRegion: 1,
  optimizer: 'ngd',
  learningRate: 0.25,
  maxSteps: 100,
  patience: 25,
  tolerance: 1e-4,
  direction: 'minimize',
  projectConstraints: true,
};

test('a gradient dominated by an active bound still moves the free parameters a full step', () => {
  // f = 100·a + (b − 5)²: at a = 0 (its lower bound) the gradient (100, −10) points almost entirely
  // out of the box; the feasible descent is +b alone. A step on the raw normalised gradient moves
  // b by only 0.1 of its length and halves itself away; the projected step reaches the trust region.
  const space = new DesignSpace({
    parameters: [
      { name: 'a', lower: 0, upper: 10, start: 0, sigma: 1 },
      { name: 'b', lower: 0, upper: 10, start: 0, sigma: 1 },
    ],
  });
  const s = known((t) => tf.tidy(() => tf.add(tf.mul(t.slice(0, 1).sum(), 100), tf.square(tf.sub(t.slice(1, 1).sum(), 5))) as tf.Scalar));
  const r = stepDesign(s, space, [0, 0], opts);
  assert.is(r.stopReason, 'trust-region');
  assert.ok(r.steps <= 5, `four steps of 0.25 reach the trust radius, took ${r.steps}`);
  assert.ok(Math.abs(r.theta[0]!) < 1e-9, `a stays on its bound, got ${r.theta[0]}`);
  assert.ok(Math.abs(r.theta[1]! - 1) < 1e-6, `b moves the whole trust radius (1), got ${r.theta[1]}`);
});

test('on an active sum constraint with a bound, the step slides along the face toward the better parameter', () => {
  // Σθ ≤ 3 is active at (0, 2, 1) and a is on its bound; f = 50·a − b − 0.2·c prefers b over c,
  // so the feasible descent moves c into b (the calorimeter case: absorber into scintillator).
  const space = faceSpace();
  const w = tf.tensor1d([50, -1, -0.2]);
  const s = known((t) => tf.tidy(() => tf.sum(tf.mul(t, w)) as tf.Scalar));
  const r = stepDesign(s, space, [0, 2, 1], opts);
  w.dispose();
  const [a, b, c] = r.theta as [number, number, number];
  assert.ok(a < 1e-6, `a stays at 0, got ${a}`);
  assert.ok(Math.abs(a + b + c - 3) < 1e-6, `stays on the constraint, sum ${a + b + c}`);
  assert.ok(Math.abs(b - 2.707) < 0.01 && Math.abs(c - 0.293) < 0.01, `c moves 1/√2 into b (to 2.71, 0.29): got b = ${b}, c = ${c}`);
  assert.ok(Math.abs(r.startValue - r.endValue - 0.8 / Math.SQRT2) < 0.01, `objective falls by 0.8/√2: ${r.startValue} → ${r.endValue}`);
});

test('a design left a hair past the constraint still slides along it (the penalty does not steer projected steps)', () => {
  // as above with a surrogate 1000× flatter (gradients ~1e-4, like a calorimeter's loss) and the start
  // 2e-6 past Σθ ≤ 3: the penalty gradient 2·1000·2e-6 = 4e-3 would dominate and point off the face
  const space = faceSpace();
  const w = tf.tensor1d([5e-2, -1e-3, -2e-4]);
  const s = known((t) => tf.tidy(() => tf.sum(tf.mul(t, w)) as tf.Scalar));
  const r = stepDesign(s, space, [0, 2, 1 + 2e-6], opts);
  w.dispose();
  const [, b, c] = r.theta as [number, number, number];
  assert.ok(Math.abs(b - 2.707) < 0.01 && Math.abs(c - 0.293) < 0.01, `c moves 1/√2 into b: got b = ${b}, c = ${c}`);
});

test.run();
