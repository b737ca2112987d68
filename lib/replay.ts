// Replay of recent iterations' data (sample reuse, as in the local generative
// surrogates of seed 002's refs. [29, 45]): the surrogate is fitted on this
// iteration's candidates plus those of the last R iterations that could have
// been drawn around the current design. Simulations are the expensive part;
// with few events per candidate (M = 5) one iteration's data cannot resolve a
// shallow slope, while the pooled data of the iterations spent near the same
// design can. On a slope the design moves ε per iteration and only the last
// two or three iterations stay in reach, but those still pull the local
// gradient toward the slope behind (measured at M = 5: a slower climb; docs/methods.md).
import type { SurrogateData } from './contracts.ts';
import { decodeFloat32, encodeFloat32 } from './nn.ts';
import { gammaP } from './special.ts';

/** Probability mass of N(θ, σ) inside the replay radius: old candidates this close could have been drawn now. */
export const REPLAY_COVERAGE = 0.95;

/**
 * Radius (σ units) holding `coverage` of a d-dimensional standard normal:
 * the chi-square quantile √q with P(d/2, q/2) = coverage, by bisection.
 */
export function normalRadius(dim: number, coverage = REPLAY_COVERAGE): number {
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`normalRadius: dim must be a positive integer, got ${dim}`);
  if (!(coverage > 0 && coverage < 1)) throw new Error(`normalRadius: coverage must be in (0, 1), got ${coverage}`);
  let lo = 0;
  let hi = dim + 20 * Math.sqrt(2 * dim) + 20;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (gammaP(dim / 2, mid / 2) < coverage) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(0.5 * (lo + hi));
}

/** One past iteration's surrogate data. */
interface Entry {
  iteration: number;
  data: SurrogateData;
}

interface SerializedEntry {
  iteration: number;
  theta: number[][];
  target: number[];
  events?: { candidate: number[]; x: string; xDim: number; delta: string };
}

export interface ReplayState {
  kind: 'replay';
  version: 1;
  entries: SerializedEntry[];
}

export interface ReplaySelection {
  data: SurrogateData;
  /** past candidates added to this iteration's */
  candidates: number;
  /** past iterations they came from */
  iterations: number;
}

/** The last `depth` iterations' surrogate data, and the part of it near a design. */
export class ReplayBuffer {
  private entries: Entry[] = [];

  constructor(readonly depth: number) {
    if (!Number.isInteger(depth) || depth < 0) throw new Error(`replayIterations: must be an integer ≥ 0, got ${depth}`);
  }

  /**
   * This iteration's data plus every buffered candidate (with its events)
   * whose distance to θ is ≤ radius; `distance` is the design space's σ-metric.
   */
  select(current: SurrogateData, theta: readonly number[], radius: number, distance: (a: readonly number[], b: readonly number[]) => number): ReplaySelection {
    const parts: SurrogateData[] = [current];
    let candidates = 0;
    let iterations = 0;
    for (const e of this.entries) {
      const keep = e.data.theta.map((t, k) => (distance(t, theta) <= radius ? k : -1)).filter((k) => k >= 0);
      if (keep.length === 0) continue;
      parts.push(subset(e.data, keep));
      candidates += keep.length;
      iterations++;
    }
    return { data: parts.length === 1 ? current : concat(parts), candidates, iterations };
  }

  /** Remembers an iteration's own data (not what was replayed into it), dropping the oldest beyond `depth`. */
  push(iteration: number, data: SurrogateData): void {
    if (this.depth === 0) return;
    this.entries.push({ iteration, data });
    while (this.entries.length > this.depth) this.entries.shift();
  }

  /** Forgets every buffered iteration. */
  clear(): void {
    this.entries = [];
  }

  state(): ReplayState {
    return {
      kind: 'replay',
      version: 1,
      entries: this.entries.map(({ iteration, data }) => ({
        iteration,
        theta: data.theta.map((t) => t.slice()),
        target: data.target.slice(),
        ...(data.events
          ? { events: { candidate: Array.from(data.events.candidate), x: encodeFloat32(data.events.x), xDim: data.events.xDim, delta: encodeFloat32(data.events.delta) } }
          : {}),
      })),
    };
  }

  load(state: unknown): void {
    const s = state as Partial<ReplayState> | null;
    if (!s || s.kind !== 'replay' || s.version !== 1 || !Array.isArray(s.entries)) throw new Error('replay: checkpoint state is not a replay buffer (kind "replay", version 1)');
    this.entries = (this.depth === 0 ? [] : s.entries.slice(-this.depth)).map((e) => ({
      iteration: e.iteration,
      data: {
        theta: e.theta,
        target: e.target,
        ...(e.events
          ? { events: { candidate: Int32Array.from(e.events.candidate), x: decodeFloat32(e.events.x), xDim: e.events.xDim, delta: decodeFloat32(e.events.delta) } }
          : {}),
      },
    }));
  }
}

/** The candidates `keep` of `data`, with their events, renumbered 0..keep.length−1. */
function subset(data: SurrogateData, keep: readonly number[]): SurrogateData {
  const theta = keep.map((k) => data.theta[k]!.slice());
  const target = keep.map((k) => data.target[k]!);
  const ev = data.events;
  if (!ev) return { theta, target };
  const newIndex = new Int32Array(data.theta.length).fill(-1);
  keep.forEach((k, j) => (newIndex[k] = j));
  let n = 0;
  for (let i = 0; i < ev.candidate.length; i++) if (newIndex[ev.candidate[i]!]! >= 0) n++;
  const candidate = new Int32Array(n);
  const x = new Float32Array(n * ev.xDim);
  const delta = new Float32Array(n);
  let j = 0;
  for (let i = 0; i < ev.candidate.length; i++) {
    const c = newIndex[ev.candidate[i]!]!;
    if (c < 0) continue;
    candidate[j] = c;
    x.set(ev.x.subarray(i * ev.xDim, (i + 1) * ev.xDim), j * ev.xDim);
    delta[j] = ev.delta[i]!;
    j++;
  }
  return { theta, target, events: { candidate, x, xDim: ev.xDim, delta } };
}

/** Concatenates surrogate data sets (candidate indices offset); all or none must carry events. */
function concat(parts: readonly SurrogateData[]): SurrogateData {
  const theta = parts.flatMap((p) => p.theta);
  const target = parts.flatMap((p) => p.target);
  if (!parts[0]!.events) return { theta, target };
  const xDim = parts[0]!.events.xDim;
  let n = 0;
  for (const p of parts) {
    if (!p.events || p.events.xDim !== xDim) throw new Error('replay: every iteration must carry per-event data of the same xDim');
    n += p.events.candidate.length;
  }
  const candidate = new Int32Array(n);
  const x = new Float32Array(n * xDim);
  const delta = new Float32Array(n);
  let i = 0;
  let offset = 0;
  for (const p of parts) {
    const ev = p.events!;
    for (let k = 0; k < ev.candidate.length; k++) candidate[i + k] = ev.candidate[k]! + offset;
    x.set(ev.x, i * xDim);
    delta.set(ev.delta, i);
    i += ev.candidate.length;
    offset += p.theta.length;
  }
  return { theta, target, events: { candidate, x, xDim, delta } };
}
