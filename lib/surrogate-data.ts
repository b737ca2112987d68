// The data a surrogate is fitted on, built from the candidates of one iteration.
import type { Candidate, ObjectiveResult, SurrogateData } from './contracts.ts';

/**
 * What the surrogate learns from in one iteration: θ and δ per candidate and,
 * for per-event objectives, every event's candidate index, truth x and δ
 * (Algorithm 2, step 4: the flow's training data).
 */
export function surrogateData(candidates: readonly Candidate[], result: ObjectiveResult): SurrogateData {
  const theta = candidates.map((c) => c.theta.slice());
  const perEvent = result.perEvent;
  if (!perEvent) return { theta, target: result.perCandidate.slice() };
  if (perEvent.length !== candidates.length || result.perCandidate.length !== candidates.length) {
    throw new Error(`surrogateData: ${candidates.length} candidates but ${perEvent.length} perEvent arrays and ${result.perCandidate.length} perCandidate values`);
  }
  if (candidates.length === 0) throw new Error('surrogateData: no candidates');
  const xDim = candidates[0]!.batch.xDim;
  let n = 0;
  candidates.forEach((c, k) => {
    if (c.batch.xDim !== xDim) throw new Error(`surrogateData: candidate ${c.index} has xDim ${c.batch.xDim}, the first ${xDim}`);
    if (perEvent[k]!.length !== c.batch.n) throw new Error(`surrogateData: candidate ${c.index} has ${c.batch.n} events but ${perEvent[k]!.length} δ values`);
    n += c.batch.n;
  });
  const candidate = new Int32Array(n);
  const x = new Float32Array(n * xDim);
  const delta = new Float32Array(n);
  let i = 0;
  candidates.forEach((c, k) => {
    candidate.fill(k, i, i + c.batch.n);
    x.set(c.batch.x.subarray(0, c.batch.n * xDim), i * xDim);
    delta.set(perEvent[k]!, i);
    i += c.batch.n;
  });
  return {
    theta,
    target: result.perCandidate.slice(),
    events: { candidate, x, xDim, delta },
  };
}
