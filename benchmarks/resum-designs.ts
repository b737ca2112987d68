// The designs both RESuM benchmarks use (benchmarks/resum.ts simulates them,
// benchmarks/resum-ideal-cnp.ts feeds them to an oracle CNP): LF runs on a
// feasible Latin hypercube and a pool of HF designs drawn uniformly, from
// fixed named streams so the two benchmarks see the same designs.
import { RandomStreams } from '../lib/random.ts';
import { feasibleLatinHypercube, feasibleUniform, type BoxSpec } from '../pipelines/resum-design.ts';
import type { RareEventProblem } from '../pipelines/resum-problem.ts';
import { boxOf } from '../pipelines/resum.ts';

export interface BenchmarkDesigns {
  box: BoxSpec;
  /** the benchmark's named streams (more streams may be drawn from it) */
  streams: RandomStreams;
  /** LF designs on the Latin hypercube */
  lhs: number[][];
  /** HF (+ LF) designs, train and validation pool */
  pool: number[][];
}

export function benchmarkDesigns(problem: RareEventProblem, nLhs: number, nPool: number): BenchmarkDesigns {
  const box = boxOf(problem);
  const streams = new RandomStreams('resum-benchmark');
  return { box, streams, lhs: feasibleLatinHypercube(box, nLhs, streams.stream('lhs')), pool: feasibleUniform(box, nPool, streams.stream('pool')) };
}
