// tidyValues: the values of a tensor built in a tidy, with nothing left allocated.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { tf, tidyValues } from '../lib/tf.ts';

await initBackend(undefined, { quiet: true });

test('tidyValues returns the tensor values and disposes every tensor the callback made', () => {
  const n = 60_000;
  const before = tf.memory().numTensors;
  const values = tidyValues(() => tf.mul(tf.range(0, n), 0.5));
  assert.is(values.length, n);
  assert.is(values[0], 0);
  assert.is(values[1], 0.5);
  assert.is(values[n - 1], (n - 1) * 0.5);
  assert.is(tf.memory().numTensors, before);
});

test('tidyValues disposes the tensors when the callback throws', () => {
  const before = tf.memory().numTensors;
  assert.throws(
    () =>
      tidyValues(() => {
        tf.ones([3]);
        throw new Error('boom');
      }),
    /boom/,
  );
  assert.is(tf.memory().numTensors, before);
});

test.run();
