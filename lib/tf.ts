// The one place that imports TensorFlow.js, so every file shares the same
// engine instance (and the backend chosen by lib/backend.ts).
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Scalar = tf.Scalar;
export type Variable = tf.Variable;

/**
 * The values of the (float32) tensor that fn builds, with every tensor fn allocates disposed.
 * The read happens after the tidy on purpose: tf.tidy walks whatever its callback returns in
 * search of tensors, a typed array index by index (about 10 ms for 60,000 floats on wasm).
 */
export function tidyValues(fn: () => tf.Tensor): Float32Array {
  const t = tf.tidy(fn);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}
