// The one place that imports TensorFlow.js, so every file shares the same
// engine instance (and the backend chosen by lib/backend.ts).
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Scalar = tf.Scalar;
export type Variable = tf.Variable;
