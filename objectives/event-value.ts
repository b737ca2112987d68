// The simplest objective: δ per event is one column of the response y (the
// analytic problems' y already is a loss). Useful for toy problems and for
// simulators that compute their own figure of merit.
import type { Candidate, Objective, ObjectiveResult } from '../lib/contracts.ts';

export function eventValueObjective(column = 0): Objective {
  return {
    name: `event-value[y${column}]`,
    kind: 'per-event',
    async evaluate(candidates: Candidate[]): Promise<ObjectiveResult> {
      const perEvent: Float32Array[] = [];
      const perCandidate: number[] = [];
      for (const c of candidates) {
        const { y, yDim, n } = c.batch;
        if (column >= yDim) throw new Error(`objective: candidate ${c.index} has ${yDim} response columns, column ${column} requested`);
        const d = new Float32Array(n);
        let s = 0;
        for (let e = 0; e < n; e++) {
          d[e] = y[e * yDim + column]!;
          s += d[e]!;
        }
        perEvent.push(d);
        perCandidate.push(s / Math.max(1, n));
      }
      return { perEvent, perCandidate };
    },
  };
}
